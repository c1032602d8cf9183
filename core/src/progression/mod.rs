//! Pain-aware coaching rules: red-flag screening, the morning check-in traffic light, today's
//! plan and knee-to-wall tracking. Every rule takes `now` and the zone as arguments and
//! returns its decision with reasons (stable code, the numbers behind it, a sentence).
//!
//! Sources: pain monitoring after Silbernagel et al. 2007 (≤ 5/10 acceptable during loading,
//! settled by next morning, no rising trend); mobilisations pain-free after Vicenzino et al.
//! 2011; knee-to-wall minimal detectable change after Powden, Hoch & Hoch 2015.

mod levels;
mod scenario;
#[cfg(test)]
mod templates;
mod text;

pub use scenario::*;

pub(crate) use levels::evaluate_levels_after;
pub use levels::{
    apply_decisions, evaluate_levels, with_level_changes, LevelChange, LevelDecision, LevelRef,
    MIN_DAYS_BETWEEN_STEPS, MIN_SESSIONS, MONITORED_MAX, PAIN_FREE_MAX, PAIN_RISE_HOLD,
    WINDOW_DAYS,
};

use std::borrow::Cow;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Drill, DrillKind, PainPolicy, Sides, Target};
use crate::domain::{
    CheckIn, History, PlanVariant, PlannedItem, PlannedSession, Reason, RomMeasurement, Settings,
    Side,
};
use crate::sorted_map::SortedMap;
use crate::time::{local_date, parse_zone, TimeError};

/// Errors from the coaching rules.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProgressionError {
    #[error(transparent)]
    Zone(#[from] TimeError),
    #[error("unknown screening question {0:?}")]
    UnknownQuestion(String),
}

/// Morning traffic light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MorningStatus {
    Green,
    Amber,
    Red,
}

/// One yes/no screening question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningQuestion {
    pub id: String,
    /// `fracture`, `achilles_rupture`, `clot`, `bone_stress`, `other`.
    pub group: String,
    pub text: String,
    /// A "yes" here needs urgent care, not just a check-up.
    pub urgent: bool,
}

/// The screening questions (Ottawa ankle rules, Achilles rupture, clot, bone stress and other
/// red flags), in `locale`.
pub fn screening_questions(locale: &str) -> Vec<ScreeningQuestion> {
    text::QUESTIONS
        .iter()
        .map(|q| {
            let (en, de) = text::question_text(q.id);
            ScreeningQuestion {
                id: q.id.into(),
                group: q.group.into(),
                text: text::pick(locale, en, de).into(),
                urgent: q.urgent,
            }
        })
        .collect()
}

fn reason(code: &str, numbers: &[(&str, f64)], locale: &str) -> Reason {
    Reason::new(code, numbers, text::message(code, locale, numbers))
}

/// A stored decision explained again in `locale`: the same code and numbers, the sentence
/// rendered anew (history screens show past level changes in the runner's current language).
pub fn explain(code: &str, numbers: &SortedMap<String, f64>, locale: &str) -> Reason {
    let pairs: Vec<(&str, f64)> = numbers.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    reason(code, &pairs, locale)
}

/// Whether `id` is a red-flag question, and if so whether a "yes" needs urgent care.
pub fn question_is_urgent(id: &str) -> Option<bool> {
    text::QUESTIONS
        .iter()
        .find(|q| q.id == id)
        .map(|q| q.urgent)
}

/// Result of the morning check-in rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MorningAssessment {
    pub status: MorningStatus,
    /// The runner's usual worst-region score (median of earlier settled mornings).
    pub baseline: Option<f64>,
    pub reasons: Vec<Reason>,
}

fn worst(c: &CheckIn) -> f64 {
    f64::from(c.pain.max().value().max(c.stiffness.max().value()))
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    crate::order::sort_by(&mut v, f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 0 {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    })
}

/// Morning check-ins (on distinct local days) a baseline needs: a median of three tolerates
/// one odd morning. See `docs/adr/0002-progression-rules.md` ("Missing data").
pub const MIN_BASELINE_MORNINGS: usize = 3;
/// How far back a baseline looks, in days: four weeks of the runner's usual mornings.
pub const BASELINE_DAYS: i64 = 28;

/// The latest check-in of each local date (in the check-in's own zone; UTC when its zone is
/// unknown) with `from <= at < before`, as worst-region scores.
fn morning_scores(history: &History, from: DateTime<Utc>, before: DateTime<Utc>) -> Vec<f64> {
    latest_per_day(
        history
            .checkins
            .iter()
            .filter(|c| c.at >= from && c.at < before)
            .map(|c| (c, morning_date(c))),
    )
}

/// The local date a check-in was answered on, in its own zone (UTC when the zone is
/// unknown).
fn morning_date(c: &CheckIn) -> chrono::NaiveDate {
    zone_date(c).unwrap_or_else(|| c.at.date_naive())
}

/// The local date a check-in was answered on, when its zone is known.
fn zone_date(c: &CheckIn) -> Option<chrono::NaiveDate> {
    parse_zone(&c.zone).ok().map(|z| local_date(c.at, z))
}

/// The worst-region score of the latest check-in of each date, by date.
fn latest_per_day<'h>(dated: impl Iterator<Item = (&'h CheckIn, chrono::NaiveDate)>) -> Vec<f64> {
    // By date, in date order (a map without a B-tree of its own, as `levels::date_slot`).
    let mut days: Vec<(chrono::NaiveDate, &CheckIn)> = Vec::new();
    for (c, date) in dated {
        match days.binary_search_by_key(&date, |e| e.0) {
            Ok(at) => {
                if let Some((_, prev)) = days.get_mut(at) {
                    if (prev.at, prev.id) < (c.at, c.id) {
                        *prev = c;
                    }
                }
            }
            Err(at) => days.insert(at, (date, c)),
        }
    }
    days.iter().map(|(_, c)| worst(c)).collect()
}

/// A history's check-ins, each with its local date worked out once: the level rules read a
/// baseline for every morning of their window, each over the same four weeks of check-ins.
pub(crate) struct DatedCheckins<'h> {
    /// Each check-in and its local date (`None` when its zone is unknown).
    dated: Vec<(&'h CheckIn, Option<chrono::NaiveDate>)>,
}

impl<'h> DatedCheckins<'h> {
    pub(crate) fn new(history: &'h History) -> DatedCheckins<'h> {
        DatedCheckins {
            dated: history.checkins.iter().map(|c| (c, zone_date(c))).collect(),
        }
    }

    /// Each check-in with its local date, `None` when its zone is unknown.
    pub(crate) fn iter(
        &self,
    ) -> impl Iterator<Item = (&'h CheckIn, Option<chrono::NaiveDate>)> + '_ {
        self.dated.iter().copied()
    }

    fn scores(&self, from: DateTime<Utc>, before: DateTime<Utc>) -> Vec<f64> {
        latest_per_day(
            self.dated
                .iter()
                .filter(|(c, _)| c.at >= from && c.at < before)
                .map(|(c, date)| (*c, date.unwrap_or_else(|| c.at.date_naive()))),
        )
    }

    /// [`baseline`] of the same history.
    pub(crate) fn baseline(&self, before: DateTime<Utc>) -> Option<f64> {
        baseline_of(self.scores(baseline_from(before), before))
    }

    /// [`baseline_mornings`] of the same history.
    pub(crate) fn mornings(&self, before: DateTime<Utc>) -> usize {
        self.scores(baseline_from(before), before).len()
    }
}

/// Where the baseline before `before` starts looking.
fn baseline_from(before: DateTime<Utc>) -> DateTime<Utc> {
    before
        .checked_sub_signed(Duration::days(BASELINE_DAYS))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The baseline from its mornings' scores (see [`baseline`]).
fn baseline_of(scores: Vec<f64>) -> Option<f64> {
    if scores.len() < MIN_BASELINE_MORNINGS {
        return None;
    }
    Some(median(scores.into_iter().filter(|s| *s <= 5.0).collect()).unwrap_or(0.0))
}

/// How many mornings (distinct local days with a check-in) the baseline before `before`
/// rests on.
pub fn baseline_mornings(history: &History, before: DateTime<Utc>) -> usize {
    morning_scores(history, baseline_from(before), before).len()
}

/// Baseline: the runner's usual morning, from the mornings (latest check-in per local date)
/// of the [`BASELINE_DAYS`] days before `before`. It exists once there are at least
/// [`MIN_BASELINE_MORNINGS`] mornings; its value is the median of the settled ones (≤ 5/10),
/// so a flare does not raise what counts as usual, and 0 when none was settled (the most
/// careful reading). Red mornings count towards the minimum: pushing a morning over 5/10
/// must never make the baseline disappear and a worse morning look green.
pub fn baseline(history: &History, before: DateTime<Utc>) -> Option<f64> {
    baseline_of(morning_scores(history, baseline_from(before), before))
}

/// History as the rules read it at `now`: a record stamped after `now` counts as made at
/// `now`. Such records are not this device's input (the application layer refuses that
/// beyond clock skew, [`crate::app::OWN_INPUT_SKEW`]); they were merged from a peer whose
/// clock runs fast, or written before this device's clock was set back. They happened, so
/// they count, but never as later than the present, and they never block planning
/// (ADR 0011). Borrowed unchanged when nothing is ahead of `now`.
pub fn history_as_of(history: &History, now: DateTime<Utc>) -> Cow<'_, History> {
    let ahead = history.checkins.iter().any(|c| c.at > now)
        || history
            .sessions
            .iter()
            .any(|s| s.sets.iter().any(|set| set.at > now))
        || history.rom.iter().any(|m| m.at > now)
        || history.progress.iter().any(|p| p.changed_at > now);
    if !ahead {
        return Cow::Borrowed(history);
    }
    let mut h = history.clone();
    for c in &mut h.checkins {
        c.at = c.at.min(now);
    }
    for set in h.sessions.iter_mut().flat_map(|s| s.sets.iter_mut()) {
        set.at = set.at.min(now);
    }
    for m in &mut h.rom {
        m.at = m.at.min(now);
    }
    for p in &mut h.progress {
        p.changed_at = p.changed_at.min(now);
    }
    Cow::Owned(h)
}

/// Classifies a morning check-in (Silbernagel et al. 2007): red above 5/10 or with any red
/// flag; amber when 2 or more above the baseline (or above 3 while no baseline is known);
/// green otherwise. A weekly average that rose two weeks running adds the reason
/// `weekly_trend_rising` but leaves a green morning green: a slow drift pauses progression
/// (the level rules hold) instead of counting as an amber morning, which would regress every
/// drill after two days (ADR 0002, "Rules by principle"). A check-in stamped after `now`
/// (merged from a peer whose clock runs fast) is judged as made at `now`.
pub fn classify_morning(
    checkin: &CheckIn,
    history: &History,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<MorningAssessment, ProgressionError> {
    let judged = judge_morning(checkin, now, |at| baseline(history, at))?;
    let (score, base) = (judged.score, judged.baseline);
    let mut reasons = Vec::new();
    match judged.why {
        MorningWhy::RedFlag => reasons.push(reason(
            "red_flag_answered",
            &[("answers_yes", checkin.red_flags_yes.len() as f64)],
            locale,
        )),
        MorningWhy::PainHigh => reasons.push(reason(
            "morning_pain_high",
            &[("score", score), ("limit", 5.0)],
            locale,
        )),
        MorningWhy::AboveBaseline(b) => reasons.push(reason(
            "above_baseline",
            &[("score", score), ("baseline", b)],
            locale,
        )),
        MorningWhy::NoBaselineHigh => reasons.push(reason(
            "no_baseline_score_high",
            &[("score", score), ("limit", 3.0)],
            locale,
        )),
        MorningWhy::Settled(b) => reasons.push(reason(
            "settled",
            &[("score", score), ("baseline", b)],
            locale,
        )),
        MorningWhy::BaselineUnknown => {
            reasons.push(reason("baseline_unknown", &[("score", score)], locale))
        }
    }
    let at = checkin.at.min(now);
    if judged.status == MorningStatus::Green && rising_two_weeks(history, at) {
        reasons.push(reason("weekly_trend_rising", &[], locale));
    }
    Ok(MorningAssessment {
        status: judged.status,
        baseline: base,
        reasons,
    })
}

/// Which rule set a morning's traffic light.
#[derive(Debug, Clone, Copy, PartialEq)]
enum MorningWhy {
    RedFlag,
    PainHigh,
    AboveBaseline(f64),
    NoBaselineHigh,
    Settled(f64),
    BaselineUnknown,
}

/// A morning's traffic light, before any sentence is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct JudgedMorning {
    pub(crate) status: MorningStatus,
    pub(crate) baseline: Option<f64>,
    score: f64,
    why: MorningWhy,
}

/// The traffic light of [`classify_morning`] without its reasons (the level rules read
/// each morning's light and whether it had a baseline, never the sentences, nor the
/// weekly trend, which only adds a reason).
///
/// `baseline_at` is the history's [`baseline`] before an instant.
pub(crate) fn judge_morning(
    checkin: &CheckIn,
    now: DateTime<Utc>,
    baseline_at: impl FnOnce(DateTime<Utc>) -> Option<f64>,
) -> Result<JudgedMorning, ProgressionError> {
    parse_zone(&checkin.zone)?;
    let at = checkin.at.min(now);
    let score = worst(checkin);
    let base = baseline_at(at);
    let (status, why) = if !checkin.red_flags_yes.is_empty() {
        (MorningStatus::Red, MorningWhy::RedFlag)
    } else if score > 5.0 {
        (MorningStatus::Red, MorningWhy::PainHigh)
    } else {
        match base {
            Some(b) if score - b >= 2.0 => (MorningStatus::Amber, MorningWhy::AboveBaseline(b)),
            None if score > 3.0 => (MorningStatus::Amber, MorningWhy::NoBaselineHigh),
            Some(b) => (MorningStatus::Green, MorningWhy::Settled(b)),
            None => (MorningStatus::Green, MorningWhy::BaselineUnknown),
        }
    };
    Ok(JudgedMorning {
        status,
        baseline: base,
        score,
        why,
    })
}

fn week_mean(history: &History, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<f64> {
    let v: Vec<f64> = history
        .checkins
        .iter()
        .filter(|c| c.at >= from && c.at < to)
        .map(worst)
        .collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn rising_two_weeks(history: &History, at: DateTime<Utc>) -> bool {
    let w = |k: i64| {
        week_mean(
            history,
            at - Duration::days(7 * (k + 1)),
            at - Duration::days(7 * k),
        )
    };
    matches!((w(0), w(1), w(2)), (Some(a), Some(b), Some(c)) if a > b && b > c)
}

/// Knee-to-wall summary for one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideTrend {
    pub side: Side,
    pub latest_cm: Option<f64>,
    pub change_cm: Option<f64>,
    /// The change is at least the minimal detectable change.
    pub real_change: bool,
    pub series: Vec<(DateTime<Utc>, f64)>,
}

/// Knee-to-wall report: per-side trends, asymmetry and whether a retest is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RomReport {
    pub left: SideTrend,
    pub right: SideTrend,
    pub stiffer_side: Option<Side>,
    pub asymmetry_cm: Option<f64>,
    pub asymmetry_flag: bool,
    pub retest_due: bool,
    pub reasons: Vec<Reason>,
}

/// Trends per side (first vs latest of the last 8 weeks, judged against the MDC), left–right
/// asymmetry and the weekly retest.
/// What the day's plan reads of the knee-to-wall record: the stiffer side and whether the
/// sides differ by more than the setting, from each side's latest measurement, as
/// [`rom_report`] works them out (without its trends and sentences).
struct RomSides {
    stiffer_side: Option<Side>,
    asymmetry_flag: bool,
}

fn rom_sides(measurements: &[RomMeasurement], settings: &Settings) -> RomSides {
    // The latest by time; of several at the same instant, the last in the list (the last
    // of the series `rom_report` sorts stably by time).
    let latest = |side: Side| {
        measurements
            .iter()
            .filter(|m| m.side == side)
            .fold(None, |best: Option<&RomMeasurement>, m| match best {
                Some(b) if m.at < b.at => Some(b),
                _ => Some(m),
            })
            .map(|m| m.cm)
    };
    let (left, right) = (latest(Side::Left), latest(Side::Right));
    RomSides {
        stiffer_side: match (left, right) {
            (Some(l), Some(r)) if l < r => Some(Side::Left),
            (Some(l), Some(r)) if r < l => Some(Side::Right),
            _ => None,
        },
        asymmetry_flag: match (left, right) {
            (Some(l), Some(r)) => (l - r).abs() > settings.rom_asymmetry_cm,
            _ => false,
        },
    }
}

pub fn rom_report(
    measurements: &[RomMeasurement],
    settings: &Settings,
    now: DateTime<Utc>,
) -> RomReport {
    let locale = settings.locale.as_str();
    let mut reasons = Vec::new();
    let trend = |side: Side, reasons: &mut Vec<Reason>| {
        let mut series: Vec<(DateTime<Utc>, f64)> = measurements
            .iter()
            .filter(|m| m.side == side)
            .map(|m| (m.at, m.cm))
            .collect();
        crate::order::sort_by_key(&mut series, |(t, _)| *t);
        let latest = series.last().map(|(_, cm)| *cm);
        let window: Vec<_> = series
            .iter()
            .filter(|(t, _)| *t >= now - Duration::weeks(8))
            .collect();
        let change = match (window.first(), window.last()) {
            (Some(a), Some(b)) if window.len() >= 2 => Some(b.1 - a.1),
            _ => None,
        };
        let real = change.is_some_and(|c| c.abs() >= settings.rom_mdc_cm);
        if let Some(c) = change {
            let code = if !real {
                "rom_no_real_change"
            } else if c > 0.0 {
                "rom_improved"
            } else {
                "rom_worse"
            };
            reasons.push(reason(
                code,
                &[
                    ("side_right", f64::from(u8::from(side == Side::Right))),
                    ("change_cm", c),
                    ("mdc_cm", settings.rom_mdc_cm),
                ],
                locale,
            ));
        }
        SideTrend {
            side,
            latest_cm: latest,
            change_cm: change,
            real_change: real,
            series,
        }
    };
    let left = trend(Side::Left, &mut reasons);
    let right = trend(Side::Right, &mut reasons);
    let asymmetry = match (left.latest_cm, right.latest_cm) {
        (Some(l), Some(r)) => Some((l - r).abs()),
        _ => None,
    };
    let stiffer = match (left.latest_cm, right.latest_cm) {
        (Some(l), Some(r)) if l < r => Some(Side::Left),
        (Some(l), Some(r)) if r < l => Some(Side::Right),
        _ => None,
    };
    let flag = asymmetry.is_some_and(|a| a > settings.rom_asymmetry_cm);
    if flag {
        reasons.push(reason(
            "rom_asymmetry",
            &[
                ("difference_cm", asymmetry.unwrap_or(0.0)),
                ("limit_cm", settings.rom_asymmetry_cm),
            ],
            locale,
        ));
    }
    let last = measurements.iter().map(|m| m.at).max();
    let retest_due = last.is_none_or(|t| now - t >= Duration::days(7));
    RomReport {
        left,
        right,
        stiffer_side: stiffer,
        asymmetry_cm: asymmetry,
        asymmetry_flag: flag,
        retest_due,
        reasons,
    }
}

/// Number of drills in a normal day.
const DAY_SIZE: usize = 6;

/// Chooses today's session: the variant from the safety lock, this morning's check-in and
/// yesterday's long run, then one drill per chain (the runner's goals first) at its level,
/// within the equipment at hand, with the dose adjusted to the variant.
pub fn plan_today(
    catalog: &Catalog,
    settings: &Settings,
    history: &History,
    after_long_run: bool,
    now: DateTime<Utc>,
    zone: &str,
) -> Result<PlannedSession, ProgressionError> {
    let tz = parse_zone(zone)?;
    let history = &*history_as_of(history, now);
    let locale = settings.locale.as_str();
    let today = local_date(now, tz);
    let mut reasons = Vec::new();
    // A check-in on today's local date was made less than 76 hours before `now` (a day, plus
    // the widest gap between two zones' offsets, both within ±26 h): only those few are
    // dated in their zone.
    let recent = now - Duration::days(4);
    let morning = history
        .checkins
        .iter()
        .filter(|c| {
            c.at <= now
                && c.at > recent
                && parse_zone(&c.zone).map(|z| local_date(c.at, z)).ok() == Some(today)
        })
        .max_by_key(|c| c.at);
    let status = match morning {
        Some(c) => {
            let a = classify_morning(c, history, locale, now)?;
            reasons.extend(a.reasons);
            Some(a.status)
        }
        None => {
            reasons.push(reason("no_checkin_today", &[], locale));
            None
        }
    };
    let safety = history.safety.state();
    let variant = if safety.is_locked() {
        // A lock or a pause is the whole story of the day: morning notes would only
        // suggest that something else was planned.
        reasons.clear();
        reasons.push(reason("locked_by_red_flag", &[], locale));
        reasons.push(safety.reason(locale));
        PlanVariant::Locked
    } else if safety.blocks_drills() {
        reasons.clear();
        reasons.push(safety.reason(locale));
        PlanVariant::Paused
    } else {
        if after_long_run {
            reasons.push(reason("day_after_long_run", &[], locale));
        }
        // The most restrictive variant any input calls for, so a worse input never plans
        // more load: normal ≥ light ≥ recovery ≥ mobility only (see `plan_load`).
        match status {
            Some(MorningStatus::Red) => PlanVariant::MobilityOnly,
            _ if after_long_run => PlanVariant::Recovery,
            Some(MorningStatus::Amber) => PlanVariant::Light,
            _ => PlanVariant::Normal,
        }
    };
    let mut session = PlannedSession {
        date: today,
        zone: zone.into(),
        locale: locale.into(),
        variant,
        items: Vec::new(),
        reasons,
    };
    if matches!(variant, PlanVariant::Locked | PlanVariant::Paused) {
        return Ok(session);
    }
    let rom = rom_sides(&history.rom, settings);
    let first_side = rom
        .stiffer_side
        .or(settings.preferred_start_side)
        .unwrap_or(Side::Left);
    // Goal chains first, then the rest; a chain contributes the drill at the runner's level.
    let mut chains: Vec<(bool, Vec<&Drill>)> = catalog
        .chain_ids()
        .values()
        .filter_map(|ids| {
            let drills: Vec<&Drill> = ids.iter().filter_map(|id| catalog.drill(id).ok()).collect();
            let goal = drills
                .iter()
                .any(|d| d.targets.iter().any(|t| settings.goals.contains(t)));
            (!drills.is_empty()).then_some((goal, drills))
        })
        .collect();
    crate::order::sort_by_key(&mut chains, |(goal, drills)| {
        (
            !goal,
            drills
                .first()
                .map(|d| !d.targets.contains(&Target::Dorsiflexion)),
        )
    });
    let sets = levels::SetsByDrill::new(
        history
            .sessions
            .iter()
            .flat_map(|s| s.sets.iter())
            .collect(),
    );
    for (_, drills) in chains {
        if session.items.len() >= DAY_SIZE {
            break;
        }
        // Where the runner stands in the chain (the level model of `levels`: the latest
        // record per leg; the weaker leg when the legs differ, because an item has one dose).
        let Some(position) = levels::plan_position(history, &sets, &drills) else {
            continue;
        };
        let mut drill = position.drill;
        let reached_id = drill.id.clone();
        // Red days: pain-free mobility only, one step easier where the chain allows.
        if variant == PlanVariant::MobilityOnly {
            if drill.pain_policy != PainPolicy::PainFree || is_loading(drill) {
                continue;
            }
            if let Some(easier) = drill
                .regression
                .as_deref()
                .and_then(|r| catalog.drill(r).ok())
            {
                drill = easier;
            }
        }
        // Recovery: no heavy calf/plantar loading in the first 48 h after a long run.
        if variant == PlanVariant::Recovery && is_loading(drill) {
            continue;
        }
        // Equipment: step down the chain to a drill the runner can do (the stand-in is
        // checked against the variant again below).
        let mut stepped_for_equipment = false;
        while !drill
            .equipment
            .iter()
            .all(|e| settings.equipment.contains(e))
        {
            match drill
                .regression
                .as_deref()
                .and_then(|r| catalog.drill(r).ok())
            {
                Some(easier) => {
                    drill = easier;
                    stepped_for_equipment = true;
                }
                None => break,
            }
        }
        if !drill
            .equipment
            .iter()
            .all(|e| settings.equipment.contains(e))
        {
            continue;
        }
        // The runner's level applies to the drill it was reached on. A stand-in for missing
        // equipment is the highest ladder position below the reached one that the runner can
        // do: the easier drill at its top dosage, as one step down from a drill's first
        // dosage lands (ADR 0002). Its own stored level instead would plan a leg that never
        // progressed below one that did (a leg regressed onto the stand-in planned above a
        // leg that progressed past it), breaking "a worse input never plans more load". On a
        // red day the easier drill keeps its own stored level (lowest over the legs), else
        // its first dosage: that day wants less, and it plans no loading drill.
        let level = if drill.id == reached_id {
            position.level
        } else if stepped_for_equipment && variant != PlanVariant::MobilityOnly {
            u32::try_from(drill.dosage.len().saturating_sub(1)).unwrap_or(0)
        } else {
            history
                .progress
                .iter()
                .filter(|p| p.drill_id == drill.id)
                .map(|p| p.level)
                .min()
                .unwrap_or(0)
        };
        if matches!(variant, PlanVariant::Recovery | PlanVariant::MobilityOnly) && is_loading(drill)
        {
            continue;
        }
        let Some(base_dose) = drill.dose(level) else {
            continue;
        };
        let mut dose = base_dose.clone();
        let mut code = "normal_dose";
        if matches!(
            variant,
            PlanVariant::Light | PlanVariant::Recovery | PlanVariant::MobilityOnly
        ) {
            dose.sets = dose.sets.saturating_sub(1).max(1);
            code = "lighter_dose";
        }
        let sides = match drill.sides {
            Sides::Each => vec![first_side, first_side.other()],
            Sides::Both => Vec::new(),
        };
        let extra = (rom.asymmetry_flag
            && drill.sides == Sides::Each
            && drill.targets.contains(&Target::Dorsiflexion))
        .then_some(rom.stiffer_side)
        .flatten();
        let numbers: SortedMap<String, f64> = [
            ("level".to_string(), f64::from(level)),
            ("sets".to_string(), f64::from(dose.sets)),
        ]
        .into();
        let mut why = reason(code, &[], locale);
        why.numbers = numbers;
        session.items.push(PlannedItem {
            drill_id: drill.id.clone(),
            level,
            dose,
            sides,
            extra_set_side: extra,
            reason: why,
        });
    }
    if session.items.is_empty() {
        session.variant = PlanVariant::Rest;
        session.reasons.push(reason("rest_day", &[], locale));
    }
    Ok(session)
}

/// Whether a drill loads tissue (strength work, or any drill under the monitored pain
/// policy): the drills a recovery or red day leaves out and [`plan_load`] counts.
pub fn is_loading(drill: &Drill) -> bool {
    drill.kind == DrillKind::Strength || drill.pain_policy == PainPolicy::Monitored
}

/// The loading volume of a plan: over its loading drills ([`is_loading`]), sets × reps (or
/// seconds held) × legs, the stiffer side's extra set included. Drills the catalog does not
/// know count nothing. Comparable between plans at the same levels; a step up a chain may
/// trade volume for intensity (a heavier towel raise has fewer reps), so across levels
/// compare the ladder position first (ADR 0002, "Monotonic safety").
pub fn plan_load(plan: &PlannedSession, catalog: &Catalog) -> u64 {
    plan.items
        .iter()
        .filter(|i| catalog.drill(&i.drill_id).is_ok_and(is_loading))
        .map(|i| {
            let per_set = u64::from(i.dose.reps.or(i.dose.hold_s).unwrap_or(0));
            let legs = i.sides.len().max(1) as u64;
            let sets = u64::from(i.dose.sets) * legs + u64::from(i.extra_set_side.is_some());
            sets * per_set
        })
        .sum()
}

/// The first-run plan: no drills until the safety screening is answered.
pub fn screening_needed_plan(
    settings: &Settings,
    now: DateTime<Utc>,
    zone: &str,
) -> Result<PlannedSession, ProgressionError> {
    let tz = parse_zone(zone)?;
    let locale = settings.locale.as_str();
    Ok(PlannedSession {
        date: local_date(now, tz),
        zone: zone.into(),
        locale: locale.into(),
        variant: PlanVariant::ScreeningNeeded,
        items: Vec::new(),
        reasons: vec![reason("screening_needed", &[], locale)],
    })
}

/// Whether the runner has a long run ending in the 36 hours before `now` (the "day after a
/// long run" for planning), given which runs are long.
pub fn had_long_run_recently(long_run_ends: &[DateTime<Utc>], now: DateTime<Utc>) -> bool {
    long_run_ends
        .iter()
        .any(|end| *end <= now && now - *end <= Duration::hours(36))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{RegionScores, Score};
    use chrono::TimeZone;
    use proptest::prelude::*;
    use uuid::Uuid;

    /// Check-ins over six weeks in three zones (one unknown), by the hour.
    fn checkins() -> impl Strategy<Value = Vec<CheckIn>> {
        prop::collection::vec((0i64..42 * 24, 0u8..9, 0usize..3), 0..45).prop_map(|specs| {
            let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
            specs
                .into_iter()
                .enumerate()
                .map(|(i, (hour, pain, zone))| CheckIn {
                    id: Uuid::from_u128(i as u128 + 1),
                    at: t0 + Duration::hours(hour),
                    zone: ["Europe/London", "Pacific/Kiritimati", "Mars/Olympus"][zone].into(),
                    pain: RegionScores {
                        calf: Score::new(i64::from(pain)).unwrap(),
                        ..RegionScores::default()
                    },
                    stiffness: RegionScores::default(),
                    red_flags_yes: vec![],
                    run_id: None,
                })
                .collect()
        })
    }

    proptest! {
        /// The plan's stiffer side and asymmetry flag are the knee-to-wall report's, on
        /// measurements of either side with repeated instants (the last one listed wins)
        /// and equal or close values, against any asymmetry setting.
        #[test]
        fn rom_sides_are_the_reports(
            specs in prop::collection::vec((proptest::bool::ANY, 0i64..6, 0u8..8), 0..12),
            asymmetry_tenths in 0u8..30,
        ) {
            let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 7, 0, 0).unwrap();
            let measurements: Vec<RomMeasurement> = specs
                .iter()
                .enumerate()
                .map(|(i, &(right, day, cm))| RomMeasurement {
                    id: Uuid::from_u128(i as u128 + 1),
                    at: t0 + Duration::days(day),
                    zone: "UTC".into(),
                    side: if right { Side::Right } else { Side::Left },
                    cm: 8.0 + f64::from(cm) * 0.5,
                })
                .collect();
            let settings = Settings {
                rom_asymmetry_cm: f64::from(asymmetry_tenths) / 10.0,
                ..Settings::default()
            };
            let report = rom_report(&measurements, &settings, t0 + Duration::days(7));
            let sides = rom_sides(&measurements, &settings);
            prop_assert_eq!(sides.stiffer_side, report.stiffer_side);
            prop_assert_eq!(sides.asymmetry_flag, report.asymmetry_flag);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The level rules' baselines, from dates worked out once, are the rule's own.
        #[test]
        fn dated_baselines_are_the_baselines(list in checkins(), hour in 0i64..44 * 24) {
            let history = History { checkins: list, ..History::default() };
            let dated = DatedCheckins::new(&history);
            let at = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap() + Duration::hours(hour);
            prop_assert_eq!(dated.baseline(at), baseline(&history, at));
            prop_assert_eq!(dated.mornings(at), baseline_mornings(&history, at));
        }
    }
}
