//! The week ahead (JOURNEYS J2): for today and the six days after it, the kind of day the
//! rules expect and why — a long run the day before, a check-in due that morning, a
//! knee-to-wall retest, the safety lock or pause, a rest day. A forecast on what is known
//! now: each morning's check-in still decides its own day, and levels are decided when a day
//! is planned (`Coach::plan_day`), so this writes nothing.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::reminders::{plan_reminders, ReminderKind};
use super::runs::long_run_ends;
use super::{text, ScheduleError};
use crate::catalog::Catalog;
use crate::domain::{History, PlanVariant, PlannedSession, Reason, Settings};
use crate::progression::{had_long_run_recently, plan_today};
use crate::session::SessionRunner;
use crate::time::{local_date, parse_zone, resolve_local_date_time};

/// Days in the forecast, today included.
pub const WEEK_DAYS: i64 = 7;

/// One day of the week ahead.
#[derive(Debug, Clone, PartialEq)]
pub struct DayForecast {
    /// The local date in the zone the week was planned in.
    pub date: NaiveDate,
    /// The kind of day expected (today: the plan as it stands now).
    pub variant: PlanVariant,
    /// The plan the rules make for it on what is known now.
    pub plan: PlannedSession,
    /// About how long its session takes, seconds (0 without drills).
    pub estimated_s: u32,
    /// A long-run check-in (or its re-ask) is due that morning.
    pub checkin_due: bool,
    /// The weekly knee-to-wall retest falls on it.
    pub retest_due: bool,
    /// Why the day is what it is, in the runner's locale.
    pub reasons: Vec<Reason>,
}

/// The seven days from `now`'s local date in `zone`. Today is planned at `now`; a later day
/// at the start of the runner's wake window, with no check-in yet. Blocked (locked or paused)
/// stays blocked all week: only the runner's clearance or follow-up ends it.
pub fn plan_week(
    catalog: &Catalog,
    settings: &Settings,
    history: &History,
    screened: bool,
    now: DateTime<Utc>,
    zone: &str,
) -> Result<Vec<DayForecast>, ScheduleError> {
    plan_week_from_today(catalog, settings, history, None, screened, now, zone)
}

/// [`plan_week`] whose first day is `today_plan`, the plan `today()` gives at `now`
/// (`Coach::forecast_day`: the day's own history window and today's level decisions), so
/// the week's today and `today()` always agree; `None` plans it from `history` like the
/// other days.
pub fn plan_week_from_today(
    catalog: &Catalog,
    settings: &Settings,
    history: &History,
    today_plan: Option<&PlannedSession>,
    screened: bool,
    now: DateTime<Utc>,
    zone: &str,
) -> Result<Vec<DayForecast>, ScheduleError> {
    let tz = parse_zone(zone)?;
    let locale = settings.locale.as_str();
    let today = local_date(now, tz);
    let ends = long_run_ends(&history.runs, &settings.long_run);
    // Which mornings have a long-run check-in or a retest: the reminder plan knows, whether
    // or not the runner has notifications on.
    let mut asks = settings.clone();
    asks.reminders.long_run_checkin = true;
    asks.reminders.daily_drill_at = None;
    let reminders = plan_reminders(&asks, history, now, zone)?;
    let mut out = Vec::new();
    for offset in 0..WEEK_DAYS {
        let date = today + Duration::days(offset);
        let at = if offset == 0 {
            now
        } else {
            resolve_local_date_time(tz, date, settings.wake_window.start)?
        };
        let mut plan = if let (0, Some(plan)) = (offset, today_plan) {
            plan.clone()
        } else if screened {
            plan_today(
                catalog,
                settings,
                history,
                had_long_run_recently(&ends, at),
                at,
                zone,
            )?
        } else {
            crate::progression::screening_needed_plan(settings, at, zone)?
        };
        let on_day = |kinds: &[ReminderKind]| {
            reminders
                .iter()
                .any(|r| kinds.contains(&r.kind) && r.local_time.date() == date)
        };
        let checkin_due = on_day(&[ReminderKind::LongRunCheckIn, ReminderKind::LongRunReask]);
        let retest_due = on_day(&[ReminderKind::RomRetest]);
        let mut reasons = std::mem::take(&mut plan.reasons);
        if offset > 0 {
            // No morning has been answered for a later day; say what will decide it instead.
            reasons.retain(|r| r.code != "no_checkin_today");
            if !matches!(
                plan.variant,
                PlanVariant::Locked | PlanVariant::Paused | PlanVariant::ScreeningNeeded
            ) {
                reasons.push(text::week_reason("morning_decides", locale));
            }
        }
        if checkin_due {
            reasons.push(text::week_reason("long_run_checkin_due", locale));
        }
        if retest_due {
            reasons.push(text::week_reason("retest_due", locale));
        }
        let estimated_s = if plan.items.is_empty() {
            0
        } else {
            SessionRunner::new(&plan, catalog)
                .map(|r| r.frame(at.timestamp_millis()).view.remaining_s)
                .unwrap_or(0)
        };
        plan.reasons = reasons.clone();
        out.push(DayForecast {
            date,
            variant: plan.variant,
            plan,
            estimated_s,
            checkin_due,
            retest_due,
            reasons,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Run, RunRecord};
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, day, hour, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn settings() -> Settings {
        use crate::catalog::Equipment::*;
        Settings {
            equipment: vec![Wall, Band, Step, Chair, Backpack, Ball, Towel, Foam, Tape],
            ..Settings::default()
        }
    }

    #[test]
    fn a_long_run_makes_the_next_day_recovery_with_a_checkin_and_the_rest_normal() {
        let catalog = Catalog::embedded().unwrap();
        let mut history = History::default();
        // Wednesday 3 June, 10:00 UTC: a 2-hour run is long by duration.
        history.runs.push(Run {
            id: uuid::Uuid::from_u128(1),
            record: RunRecord {
                source: "manual".into(),
                external_id: "1".into(),
                start: at(3, 8),
                end: at(3, 10),
                distance_m: 22_000.0,
                tags: vec![],
                zone: "UTC".into(),
            },
        });
        let week = plan_week(&catalog, &settings(), &history, true, at(2, 18), "UTC").unwrap();
        assert_eq!(week.len(), 7);
        assert_eq!(week[0].date, NaiveDate::from_ymd_opt(2026, 6, 2).unwrap());
        assert_eq!(
            week[2].variant,
            PlanVariant::Recovery,
            "{:?}",
            week[2].reasons
        );
        assert!(week[2].checkin_due);
        assert!(week[2]
            .reasons
            .iter()
            .any(|r| r.code == "day_after_long_run"));
        assert!(week[2]
            .reasons
            .iter()
            .any(|r| r.code == "long_run_checkin_due"));
        for day in [&week[1], &week[4], &week[6]] {
            assert_eq!(day.variant, PlanVariant::Normal, "{:?}", day.reasons);
            assert!(!day.checkin_due);
            assert!(day.estimated_s > 0);
            assert!(day.reasons.iter().all(|r| r.code != "no_checkin_today"));
            assert!(day.reasons.iter().any(|r| r.code == "morning_decides"));
        }
        // Before the first screening, nothing is planned all week.
        let week = plan_week(&catalog, &settings(), &history, false, at(2, 18), "UTC").unwrap();
        assert!(week
            .iter()
            .all(|d| d.variant == PlanVariant::ScreeningNeeded && d.estimated_s == 0));
    }
}
