//! Looking ahead and looking back at the plan: the week ahead (JOURNEYS J2: each day's
//! variant and why) and the history of drill levels (J6: every level change, from what to
//! what, and the rule behind it). Conversions only; the forecast is `schedule::plan_week`.

use chrono::Duration;
use talus_core::domain::Side as CoreSide;
use talus_core::progression;
use talus_core::schedule;

use crate::coach::ReasonInfo;
use crate::engine::Engine;
use crate::error::TalusError;
use crate::kinds::{display_level, secs_ms, LevelChange, PlanVariant};
use crate::records::{drill_name, instant, Side};

/// One day of the week ahead.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct WeekDayInfo {
    /// Local date `YYYY-MM-DD` (format it with the platform's date formatter).
    pub date: String,
    /// The first day is today, planned as it stands now.
    pub is_today: bool,
    /// The kind of day expected.
    pub variant: PlanVariant,
    /// The drills expected, by localized name, in order.
    pub drill_names: Vec<String>,
    /// About how long the session takes (0 without drills).
    pub estimated_ms: i64,
    /// A check-in after a long run (or its re-ask) is due that morning.
    pub checkin_due: bool,
    /// The weekly knee-to-wall retest falls on that day.
    pub retest_due: bool,
    /// Why the day is what it is (a long run the day before, a check-in, the lock, a
    /// rest day…), localized.
    pub reasons: Vec<ReasonInfo>,
}

/// The week ahead: today and the six days after it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct WeekPlan {
    /// IANA zone the dates are in.
    pub zone: String,
    /// Seven days, today first.
    pub days: Vec<WeekDayInfo>,
}

/// One change of a drill level, as the history of levels lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct LevelHistoryEntry {
    /// When it changed (the day it was decided).
    pub at_ms: i64,
    /// Which leg; `None` for two-footed drills.
    pub side: Option<Side>,
    /// Up or down.
    pub change: LevelChange,
    /// The drill before (`None` when unknown: a level set by hand with nothing before it).
    pub from_drill_id: Option<String>,
    /// Its localized name.
    pub from_drill_name: Option<String>,
    /// The level before (1 is the drill's first level).
    pub from_level: Option<i32>,
    /// The drill after (another drill of the family when it moved on or back).
    pub to_drill_id: String,
    /// Its localized name.
    pub to_drill_name: String,
    /// The level after (1 is the drill's first level).
    pub to_level: i32,
    /// The rule behind it (code and sentence in the runner's current language); `None` for
    /// a level set by hand or by an app version that did not record why.
    pub reason: Option<ReasonInfo>,
}

#[uniffi::export]
impl Engine {
    /// The week ahead from `now_ms` in `zone`: seven days, each with its expected variant,
    /// drills, estimated time, check-ins and retests due, and why. A forecast: each
    /// morning's check-in still decides its own day, and nothing is stored. Its first day is
    /// the plan `today()` gives at `now_ms`. Touches disk.
    pub fn week_plan(&self, now_ms: i64, zone: String) -> Result<WeekPlan, TalusError> {
        let now = instant(now_ms, "now")?;
        let settings = self.store().settings()?;
        let history = self
            .store()
            .history(now - Duration::days(40), now + Duration::days(8))?;
        let screened = history.safety.screened();
        // Today is planned as `today()` plans it: its own history window and today's level
        // decisions (applied in memory, not stored), so the two always agree.
        let today = self.coach().forecast_day(now, &zone)?.plan;
        let week = schedule::plan_week_from_today(
            self.plan_catalog(),
            &settings,
            &history,
            Some(&today),
            screened,
            now,
            &zone,
        )?;
        let days = week
            .iter()
            .enumerate()
            .map(|(i, d)| WeekDayInfo {
                date: talus_core::formats::date_text(d.date),
                is_today: i == 0,
                variant: d.variant.into(),
                drill_names: d
                    .plan
                    .items
                    .iter()
                    .map(|item| drill_name(self.plan_catalog(), &item.drill_id, &settings.locale))
                    .collect(),
                estimated_ms: secs_ms(d.estimated_s),
                checkin_due: d.checkin_due,
                retest_due: d.retest_due,
                reasons: d.reasons.iter().map(ReasonInfo::from).collect(),
            })
            .collect();
        Ok(WeekPlan { zone, days })
    }

    /// Every drill-level change, newest first, from every device: when, which drill and leg,
    /// from what to what, and why in the runner's language. Touches disk.
    pub fn level_history(&self) -> Result<Vec<LevelHistoryEntry>, TalusError> {
        let locale = self.store().settings()?.locale;
        let catalog = self.catalog();
        let name = |id: &str| drill_name(catalog, id, &locale);
        // The level each (drill, side) record held before, for changes without a note.
        // (A scan: a few dozen records, and no hash table of its own in the phone library.)
        let mut previous: Vec<(String, Option<CoreSide>, u32)> = Vec::new();
        let mut out = Vec::new();
        for entry in self.store().level_log()? {
            let p = &entry.level;
            let held = previous
                .iter_mut()
                .find(|(drill, side, _)| *drill == p.drill_id && *side == p.side);
            let before = match held {
                Some((_, _, level)) => Some(std::mem::replace(level, p.level)),
                None => {
                    previous.push((p.drill_id.clone(), p.side, p.level));
                    None
                }
            };
            let (from_drill, from_level, change, reason) = match &entry.why {
                Some(why) => (
                    Some(why.from_drill_id.clone()),
                    Some(why.from_level),
                    if why.change == "progress" {
                        LevelChange::Progress
                    } else {
                        LevelChange::Regress
                    },
                    Some(ReasonInfo::from(&progression::explain(
                        &why.reason_code,
                        &why.numbers,
                        &locale,
                    ))),
                ),
                // Set by hand (or by an older version): a change only against a level this
                // record held before; its first placement is not a change.
                None => match before {
                    Some(b) if b != p.level => (
                        Some(p.drill_id.clone()),
                        Some(b),
                        if p.level > b {
                            LevelChange::Progress
                        } else {
                            LevelChange::Regress
                        },
                        None,
                    ),
                    _ => continue,
                },
            };
            out.push(LevelHistoryEntry {
                at_ms: p.changed_at.timestamp_millis(),
                side: p.side.map(Side::from),
                change,
                from_drill_name: from_drill.as_deref().map(name),
                from_drill_id: from_drill,
                from_level: from_level.map(display_level),
                to_drill_id: p.drill_id.clone(),
                to_drill_name: name(&p.drill_id),
                to_level: display_level(p.level),
                reason,
            });
        }
        out.reverse();
        Ok(out)
    }
}
