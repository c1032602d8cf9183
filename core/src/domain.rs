//! Shared history records and the planned-session contract.
//!
//! These plain data types are what the store persists, what the rules read, what the
//! runner produces and what sync replicates. They carry no behaviour beyond validation of
//! their own values, so every module can depend on them without depending on each other.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalog::{DoseLevel, Equipment, Target};
use crate::sorted_map::SortedMap;

/// Errors for values that are out of their domain, whichever module receives them.
///
/// `Debug` is written by hand only to write the float through `decimal` (ADR 0028); it
/// gives what the derived one gave.
#[derive(Clone, PartialEq, thiserror::Error)]
pub enum DomainError {
    /// Pain and stiffness are on a 0–10 numeric rating scale.
    #[error("pain/stiffness score {0} is outside 0–10")]
    ScoreOutOfRange(i64),
    /// A length, duration or distance that must not be negative (or not-a-number) was.
    #[error("{field} must be a finite, non-negative number (got {})", crate::decimal::shortest(*.value))]
    NegativeOrNotFinite { field: &'static str, value: f64 },
    /// An interval whose end is before its start.
    #[error("{what}: end is before start")]
    EndBeforeStart { what: &'static str },
    /// A free-text field that is empty, too long or holds control characters.
    #[error("{field} must be 1–{max} characters of printable text")]
    BadText { field: &'static str, max: usize },
}

impl std::fmt::Debug for DomainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DomainError::ScoreOutOfRange(score) => {
                f.debug_tuple("ScoreOutOfRange").field(score).finish()
            }
            DomainError::NegativeOrNotFinite { field, value } => f
                .debug_struct("NegativeOrNotFinite")
                .field("field", field)
                .field("value", &crate::decimal::DebugFloat(*value))
                .finish(),
            DomainError::EndBeforeStart { what } => f
                .debug_struct("EndBeforeStart")
                .field("what", what)
                .finish(),
            DomainError::BadText { field, max } => f
                .debug_struct("BadText")
                .field("field", field)
                .field("max", max)
                .finish(),
        }
    }
}

/// A pain or stiffness score on the 0–10 numeric rating scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Score(u8);

impl Score {
    /// The lowest score (no pain).
    pub const ZERO: Score = Score(0);

    /// Validates a raw score.
    pub fn new(raw: i64) -> Result<Score, DomainError> {
        if (0..=10).contains(&raw) {
            Ok(Score(raw as u8))
        } else {
            Err(DomainError::ScoreOutOfRange(raw))
        }
    }

    /// The score as a number 0–10.
    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Score {
    type Error = DomainError;
    fn try_from(raw: i64) -> Result<Self, Self::Error> {
        Score::new(raw)
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

/// Left or right leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

impl Side {
    /// The other leg.
    pub fn other(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }

    /// Stable lowercase name (`left` / `right`), as stored and shown in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

/// A decision's explanation: a stable machine-readable code, the numbers that led to it and
/// a sentence for the runner in their locale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Reason {
    /// Stable snake_case code, e.g. `pain_free_limit_exceeded`. Never localized.
    pub code: String,
    /// The inputs behind the decision, by name (e.g. `pain` → 4, `limit` → 2).
    pub numbers: SortedMap<String, f64>,
    /// Human sentence in the requested locale (English fallback).
    pub message: String,
}

impl Reason {
    /// A reason from its code, named numbers and sentence.
    pub fn new(code: &str, numbers: &[(&str, f64)], message: String) -> Reason {
        Reason {
            code: code.into(),
            numbers: Reason::numbers(numbers),
            message,
        }
    }

    /// Named numbers as a reason keeps them (a later name replaces an earlier equal one).
    pub fn numbers(numbers: &[(&str, f64)]) -> SortedMap<String, f64> {
        crate::order::by_insertion(numbers.iter().map(|(k, v)| ((*k).to_string(), *v)))
    }
}

/// A run as pushed by a shell (HealthKit, Health Connect, manual entry or CSV import).
/// Ingestion is idempotent on `(source, external_id)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Where the run came from, e.g. `healthkit`, `health_connect`, `manual`, `csv`.
    pub source: String,
    /// The source's own identifier for the run.
    pub external_id: String,
    #[serde(with = "crate::formats::serde_form::instant")]
    pub start: DateTime<Utc>,
    #[serde(with = "crate::formats::serde_form::instant")]
    pub end: DateTime<Utc>,
    /// Distance in metres.
    pub distance_m: f64,
    /// Free tags; `long` marks a long run explicitly.
    pub tags: Vec<String>,
    /// IANA zone the run happened in; a run keeps its zone for ever.
    pub zone: String,
}

/// A stored run: a [`RunRecord`] with the store's key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: Uuid,
    pub record: RunRecord,
}

/// Pain or stiffness scores for the three regions the check-in asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RegionScores {
    pub calf: Score,
    pub achilles: Score,
    pub ankle: Score,
}

impl RegionScores {
    /// The worst of the three regions.
    pub fn max(&self) -> Score {
        self.calf.max(self.achilles).max(self.ankle)
    }
}

impl Default for Score {
    fn default() -> Self {
        Score::ZERO
    }
}

/// A morning check-in (or any check-in asked after a long run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: Uuid,
    #[serde(with = "crate::formats::serde_form::instant")]
    pub at: DateTime<Utc>,
    /// Zone the runner was in when they answered; the check-in's local date is taken there.
    pub zone: String,
    pub pain: RegionScores,
    pub stiffness: RegionScores,
    /// Ids of red-flag questions answered "yes" (empty when all were "no").
    pub red_flags_yes: Vec<String>,
    /// The long run this check-in answers, when it was prompted by one.
    pub run_id: Option<Uuid>,
}

/// Where a session is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Planned,
    Started,
    Paused,
    Finished,
    Abandoned,
}

impl SessionStatus {
    /// Stable lowercase name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Started => "started",
            SessionStatus::Paused => "paused",
            SessionStatus::Finished => "finished",
            SessionStatus::Abandoned => "abandoned",
        }
    }
}

/// How a session ended (J6: finished, stopped early, ended for pain, ended for a red flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionOutcome {
    /// Every planned set was done (drills stopped by a pain rule or skipped included).
    Finished,
    /// The runner quit before the end.
    StoppedEarly,
    /// Pain of 7/10 or more ended it (the programme pauses until a follow-up screening).
    EndedForPain,
    /// A red-flag answer ended it (drills are locked until a clinician clears the runner).
    EndedForRedFlag,
}

impl SessionOutcome {
    /// Stable lowercase name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionOutcome::Finished => "finished",
            SessionOutcome::StoppedEarly => "stopped_early",
            SessionOutcome::EndedForPain => "ended_for_pain",
            SessionOutcome::EndedForRedFlag => "ended_for_red_flag",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<SessionOutcome> {
        [
            SessionOutcome::Finished,
            SessionOutcome::StoppedEarly,
            SessionOutcome::EndedForPain,
            SessionOutcome::EndedForRedFlag,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// One performed (or stopped, or skipped) set of one drill on one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetLog {
    pub drill_id: String,
    /// `None` for drills done with both feet together.
    pub side: Option<Side>,
    /// 0-based set index within the drill and side.
    pub set_index: u32,
    /// Dosage level of the drill when the set was done.
    pub level: u32,
    pub target_reps: Option<u32>,
    pub reps_done: Option<u32>,
    pub target_hold_s: Option<u32>,
    pub hold_s_done: Option<u32>,
    /// Pain reported right after the set (the one-tap check), if answered.
    pub pain: Option<Score>,
    /// The runner answered "just a stretch, no pain" (then `pain` is 0): a stretch
    /// sensation, never counted as pain.
    #[serde(default)]
    pub stretch: bool,
    /// True when the set was stopped early by a pain rule or by the runner.
    pub stopped: bool,
    /// True when the runner skipped this set.
    pub skipped: bool,
    /// Machine-readable reason code when stopped (e.g. `pain_free_limit_exceeded`).
    pub reason_code: Option<String>,
    pub note: Option<String>,
    #[serde(with = "crate::formats::serde_form::instant")]
    pub at: DateTime<Utc>,
}

/// A session as stored: its plan, its life-cycle and its sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub id: Uuid,
    /// Local date the session was planned for.
    #[serde(with = "crate::formats::serde_form::date")]
    pub planned_for: NaiveDate,
    pub zone: String,
    pub status: SessionStatus,
    pub variant: PlanVariant,
    #[serde(default, with = "crate::formats::serde_form::instant_option")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default, with = "crate::formats::serde_form::instant_option")]
    pub ended_at: Option<DateTime<Utc>>,
    /// Serialized runner snapshot while started/paused, so the app can resume after a kill.
    pub snapshot: Option<String>,
    /// How it ended, once finished (`None` while open, and for sessions stored before
    /// outcomes were recorded).
    #[serde(default)]
    pub outcome: Option<SessionOutcome>,
    pub sets: Vec<SetLog>,
}

/// A knee-to-wall (weight-bearing lunge) result for one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RomMeasurement {
    pub id: Uuid,
    #[serde(with = "crate::formats::serde_form::instant")]
    pub at: DateTime<Utc>,
    pub zone: String,
    pub side: Side,
    /// Big-toe-to-wall distance in centimetres (mean of the trials).
    pub cm: f64,
}

/// The current dosage level of a drill for one side (or both, for two-footed drills).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillProgress {
    pub drill_id: String,
    pub side: Option<Side>,
    /// Index into the drill's dosage levels.
    pub level: u32,
    #[serde(with = "crate::formats::serde_form::instant")]
    pub changed_at: DateTime<Utc>,
}

/// Units the runner sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Units {
    #[default]
    Metric,
    Imperial,
}

/// A daily local time window, e.g. 06:30–09:30. `end` before `start` wraps midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalWindow {
    #[serde(with = "crate::formats::serde_form::time")]
    pub start: NaiveTime,
    #[serde(with = "crate::formats::serde_form::time")]
    pub end: NaiveTime,
}

impl LocalWindow {
    /// Whether a wall time falls inside the window (start inclusive, end exclusive).
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start <= self.end {
            t >= self.start && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }
}

/// Thresholds of the long-run rule (DESIGN.md §2); each can be changed in settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LongRunThresholds {
    /// A run at least this long is long.
    pub min_duration_min: u32,
    /// A run at least this share of the trailing 7-day running time is long.
    pub share_of_week: f64,
    /// The relative rules (share of week, spike) count only runs at least this long, so a
    /// 15-minute jog in a quiet week never triggers a check-in. Default 60 min: the lower end
    /// of the 60–90 min long-run heuristic (DRILLS.md §5, after fitro.info); the tag and the
    /// absolute duration rule are not affected.
    #[serde(default = "default_share_min_duration")]
    pub share_min_duration_min: u32,
    /// A run at least this ratio of the previous 30 days' longest is a spike (Frandsen 2025).
    pub spike_ratio: f64,
    /// The spike rule applies only when the 30 days before the run hold at least this many
    /// runs: a "longest run of the last 30 days" taken from one or two runs (a new runner, a
    /// new watch) is no history to measure a spike against. Default 3 (ADR 0002).
    #[serde(default = "default_spike_min_runs")]
    pub spike_min_runs: u32,
}

impl Default for LongRunThresholds {
    fn default() -> Self {
        LongRunThresholds {
            min_duration_min: 90,
            share_of_week: 0.25,
            share_min_duration_min: default_share_min_duration(),
            spike_ratio: 1.10,
            spike_min_runs: default_spike_min_runs(),
        }
    }
}

fn default_share_min_duration() -> u32 {
    60
}

fn default_spike_min_runs() -> u32 {
    3
}

/// Which reminders the runner wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPrefs {
    /// Daily drill reminder at this local time; `None` turns it off.
    #[serde(default, with = "crate::formats::serde_form::time_option")]
    pub daily_drill_at: Option<NaiveTime>,
    pub long_run_checkin: bool,
    pub weekly_rom_retest: bool,
}

impl Default for ReminderPrefs {
    fn default() -> Self {
        ReminderPrefs {
            daily_drill_at: NaiveTime::from_hms_opt(18, 0, 0),
            long_run_checkin: true,
            weekly_rom_retest: true,
        }
    }
}

/// The runner's profile and settings. Everything here has a sensible default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub units: Units,
    /// BCP-47 language tag for text (`en`, `de`); unknown locales fall back to English.
    pub locale: String,
    /// The runner's home IANA zone (used when a shell does not pass one).
    pub home_zone: String,
    /// When the runner is usually up and about; check-ins are asked inside it.
    pub wake_window: LocalWindow,
    /// No notifications inside these hours.
    pub quiet_hours: LocalWindow,
    pub reminders: ReminderPrefs,
    pub long_run: LongRunThresholds,
    /// Smallest knee-to-wall change (cm) treated as real (minimal detectable change).
    pub rom_mdc_cm: f64,
    /// Left–right knee-to-wall difference (cm) that is flagged as an asymmetry.
    pub rom_asymmetry_cm: f64,
    /// What the runner wants to work on; empty means a balanced programme.
    pub goals: Vec<Target>,
    /// Equipment the runner has at hand (bodyweight-only drills are always available).
    pub equipment: Vec<Equipment>,
    /// Side to start unilateral drills on when no knee-to-wall result says otherwise.
    pub preferred_start_side: Option<Side>,
    /// The leg that was injured, if any (J1 profile). Profiles saved before it existed
    /// read as none.
    #[serde(default)]
    pub injured_side: Option<Side>,
}

impl Settings {
    /// The stored field names in declaration order (serde's array form reads them in it).
    pub(crate) const FIELDS: [&'static str; 13] = [
        "units",
        "locale",
        "home_zone",
        "wake_window",
        "quiet_hours",
        "reminders",
        "long_run",
        "rom_mdc_cm",
        "rom_asymmetry_cm",
        "goals",
        "equipment",
        "preferred_start_side",
        "injured_side",
    ];

    /// The settings in a JSON value (the settings row's object, or the merged settings
    /// entity of a sync), read exactly as serde's derived reader reads them from a
    /// `serde_json::Value`: the same settings, and `None` where it refuses (ADR 0026). Read
    /// by hand because serde's reader of `Settings` and its parts was instantiated for two
    /// deserializers (≈ 10 KB of the phone library, BENCHMARKS.md "Size").
    pub(crate) fn from_value(value: &serde_json::Value) -> Option<Settings> {
        use crate::json::{value_fields, value_option, value_variant};
        let (
            [units, locale, home_zone, wake, quiet, reminders, long_run, mdc, asym, goals, equipment, start_side, injured],
            from_array,
        ) = value_fields(value, Settings::FIELDS)?;
        let side = |value: &serde_json::Value| match value_variant(value)? {
            "left" => Some(Side::Left),
            "right" => Some(Side::Right),
            _ => None,
        };
        let list = |value: Option<&serde_json::Value>, names: &[&str]| -> Option<Vec<usize>> {
            value?
                .as_array()?
                .iter()
                .map(|item| {
                    names
                        .iter()
                        .position(|name| Some(*name) == value_variant(item))
                })
                .collect()
        };
        Some(Settings {
            units: match value_variant(units?)? {
                "metric" => Units::Metric,
                "imperial" => Units::Imperial,
                _ => return None,
            },
            locale: locale?.as_str()?.to_owned(),
            home_zone: home_zone?.as_str()?.to_owned(),
            wake_window: LocalWindow::from_value(wake?)?,
            quiet_hours: LocalWindow::from_value(quiet?)?,
            reminders: ReminderPrefs::from_value(reminders?)?,
            long_run: LongRunThresholds::from_value(long_run?)?,
            rom_mdc_cm: mdc?.as_f64()?,
            rom_asymmetry_cm: asym?.as_f64()?,
            goals: list(goals, &Target::NAMES)?
                .into_iter()
                .map(|i| Target::ALL.get(i).copied())
                .collect::<Option<_>>()?,
            equipment: list(equipment, &Equipment::NAMES)?
                .into_iter()
                .map(|i| Equipment::ALL.get(i).copied())
                .collect::<Option<_>>()?,
            preferred_start_side: value_option(start_side, from_array, side)?,
            injured_side: match injured {
                None | Some(serde_json::Value::Null) => None,
                Some(value) => Some(side(value)?),
            },
        })
    }
}

impl LocalWindow {
    /// As serde reads it from a `Value` (see [`Settings::from_value`]).
    fn from_value(value: &serde_json::Value) -> Option<LocalWindow> {
        use crate::json::{value_fields, value_time};
        let ([start, end], _) = value_fields(value, ["start", "end"])?;
        Some(LocalWindow {
            start: value_time(start?)?,
            end: value_time(end?)?,
        })
    }
}

impl ReminderPrefs {
    /// As serde reads it from a `Value` (see [`Settings::from_value`]).
    fn from_value(value: &serde_json::Value) -> Option<ReminderPrefs> {
        use crate::json::{value_fields, value_option, value_time};
        let ([daily, long_run, rom], from_array) = value_fields(
            value,
            ["daily_drill_at", "long_run_checkin", "weekly_rom_retest"],
        )?;
        Some(ReminderPrefs {
            daily_drill_at: value_option(daily, from_array, value_time)?,
            long_run_checkin: long_run?.as_bool()?,
            weekly_rom_retest: rom?.as_bool()?,
        })
    }
}

impl LongRunThresholds {
    /// As serde reads it from a `Value` (see [`Settings::from_value`]).
    fn from_value(value: &serde_json::Value) -> Option<LongRunThresholds> {
        use crate::json::{value_fields, value_u32};
        let ([min, share, share_min, spike, spike_runs], _) = value_fields(
            value,
            [
                "min_duration_min",
                "share_of_week",
                "share_min_duration_min",
                "spike_ratio",
                "spike_min_runs",
            ],
        )?;
        Some(LongRunThresholds {
            min_duration_min: value_u32(min?)?,
            share_of_week: share?.as_f64()?,
            share_min_duration_min: match share_min {
                None => default_share_min_duration(),
                Some(value) => value_u32(value)?,
            },
            spike_ratio: spike?.as_f64()?,
            spike_min_runs: match spike_runs {
                None => default_spike_min_runs(),
                Some(value) => value_u32(value)?,
            },
        })
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            units: Units::Metric,
            locale: "en".into(),
            home_zone: "UTC".into(),
            wake_window: LocalWindow {
                start: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or(NaiveTime::MIN),
                end: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or(NaiveTime::MIN),
            },
            quiet_hours: LocalWindow {
                start: NaiveTime::from_hms_opt(22, 0, 0).unwrap_or(NaiveTime::MIN),
                end: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or(NaiveTime::MIN),
            },
            reminders: ReminderPrefs::default(),
            long_run: LongRunThresholds::default(),
            rom_mdc_cm: 1.5,
            rom_asymmetry_cm: 1.5,
            goals: Vec::new(),
            equipment: Vec::new(),
            preferred_start_side: None,
            injured_side: None,
        }
    }
}

/// Which kind of day the planner chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanVariant {
    /// Green morning: the normal programme, progression allowed.
    Normal,
    /// Amber morning: levels held, lighter dose.
    Light,
    /// Red morning: pain-free mobility regressions only.
    MobilityOnly,
    /// The day after a long run: recovery variant, no progression.
    Recovery,
    /// Nothing today (red with no safe drill, or planned rest).
    Rest,
    /// A red flag is open: no drills until a clinician clears the runner.
    Locked,
    /// A session ended for severe pain: no drills until the follow-up screening is passed.
    Paused,
    /// First run: the safety screening comes before any drill.
    ScreeningNeeded,
}

/// One drill in today's plan, with its dose already chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedItem {
    pub drill_id: String,
    /// Dosage level index the dose comes from.
    pub level: u32,
    pub dose: DoseLevel,
    /// Order of sides for unilateral drills (e.g. `[Left, Right]`); empty for two-footed
    /// drills.
    pub sides: Vec<Side>,
    /// The stiffer side gets one extra set (knee-to-wall asymmetry).
    pub extra_set_side: Option<Side>,
    /// Why this drill, at this dose, today.
    pub reason: Reason,
}

/// Today's session as chosen by the planner and consumed by the runner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedSession {
    #[serde(with = "crate::formats::serde_form::date")]
    pub date: NaiveDate,
    pub zone: String,
    pub locale: String,
    pub variant: PlanVariant,
    pub items: Vec<PlannedItem>,
    /// Why the day is what it is (green/amber/red, long run yesterday, locked…).
    pub reasons: Vec<Reason>,
}

/// A window of the runner's history, as read from the store and handed to the rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct History {
    pub sessions: Vec<SessionRecord>,
    pub checkins: Vec<CheckIn>,
    pub runs: Vec<Run>,
    pub rom: Vec<RomMeasurement>,
    pub progress: Vec<DrillProgress>,
    /// Every safety event (red flags, severe-pain stops, clearances); see [`crate::safety`].
    pub safety: crate::safety::SafetyRecord,
    /// When each run first became known on any synced device (its earliest sync operation),
    /// by run id. A run imported after its check-in slot gets a late check-in from this
    /// instant (ADR 0002, ADR 0003). A run missing here counts as known from the start.
    #[serde(default)]
    pub run_known_since: SortedMap<Uuid, DateTime<Utc>>,
}

/// Validates that `value` is finite and non-negative.
pub fn non_negative(field: &'static str, value: f64) -> Result<f64, DomainError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(DomainError::NegativeOrNotFinite { field, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_rejects_out_of_range_and_deserializes_checked() {
        assert!(Score::new(11).is_err());
        assert!(Score::new(-1).is_err());
        assert_eq!(Score::new(5).unwrap().value(), 5);
        assert!(serde_json::from_str::<Score>("11").is_err());
        assert_eq!(serde_json::from_str::<Score>("7").unwrap().value(), 7);
    }

    #[test]
    fn window_wraps_midnight() {
        let w = Settings::default().quiet_hours;
        assert!(w.contains(NaiveTime::from_hms_opt(23, 0, 0).unwrap()));
        assert!(w.contains(NaiveTime::from_hms_opt(3, 0, 0).unwrap()));
        assert!(!w.contains(NaiveTime::from_hms_opt(7, 0, 0).unwrap()));
        assert!(!w.contains(NaiveTime::from_hms_opt(12, 0, 0).unwrap()));
    }

    #[test]
    fn non_negative_rejects_nan_and_negative() {
        assert!(non_negative("cm", -0.1).is_err());
        assert!(non_negative("cm", f64::NAN).is_err());
        assert_eq!(non_negative("cm", 0.0), Ok(0.0));
    }
}

/// The settings reader against serde's derived reader of the same `Value` (the oracle;
/// ADR 0026), on settings with every part set and on damaged forms of them.
#[cfg(test)]
mod settings_reader {
    use super::*;
    use crate::json::tree::testing::{damaged, damages, every_single_damage, write};
    use proptest::prelude::*;
    use serde_json::Value;

    fn serde_reads(value: &Value) -> Option<Settings> {
        Settings::deserialize(value).ok()
    }

    fn full() -> Settings {
        Settings {
            units: Units::Imperial,
            preferred_start_side: Some(Side::Left),
            injured_side: Some(Side::Right),
            goals: vec![Target::PlantarFascia, Target::Calf],
            equipment: vec![Equipment::Backpack],
            ..Settings::default()
        }
    }

    /// Same settings or both refuse, for the text's value (and its object's).
    fn agree(text: &str) {
        let Ok(value) = crate::json::value(text) else {
            return;
        };
        assert_eq!(Settings::from_value(&value), serde_reads(&value), "{text}");
    }

    #[test]
    fn names_are_serde_s() {
        for (target, name) in Target::ALL.into_iter().zip(Target::NAMES) {
            assert_eq!(serde_json::to_value(target).unwrap(), Value::from(name));
        }
        for (item, name) in Equipment::ALL.into_iter().zip(Equipment::NAMES) {
            assert_eq!(serde_json::to_value(item).unwrap(), Value::from(name));
        }
    }

    #[test]
    fn every_single_damage_reads_as_serde_reads_it() {
        for settings in [full(), Settings::default()] {
            let value = serde_json::to_value(&settings).unwrap();
            assert_eq!(Settings::from_value(&value), Some(settings.clone()));
            let tree = crate::json::tree::parse(&value.to_string()).unwrap();
            let all = every_single_damage(&tree);
            assert!(all.len() > 1000, "{}", all.len());
            for damaged in all {
                agree(&write(&damaged));
            }
        }
    }

    /// The array forms, whole and with the defaulted fields at the end left out, and an
    /// `Option` field without a default left out of each form.
    #[test]
    fn array_forms_read_as_serde_reads_them() {
        let value = serde_json::to_value(full()).unwrap();
        let Value::Object(map) = &value else {
            panic!("an object")
        };
        let order = Settings::FIELDS;
        let items: Vec<Value> = order.iter().map(|k| map[*k].clone()).collect();
        for n in 0..=items.len() {
            let array = Value::Array(items[..n].to_vec());
            assert_eq!(Settings::from_value(&array), serde_reads(&array), "{n}");
            let mut object = map.clone();
            object.remove(order[n.min(order.len() - 1)]);
            let object = Value::Object(object);
            assert_eq!(Settings::from_value(&object), serde_reads(&object), "{n}");
        }
        let long_run = serde_json::json!([90, 0.25]);
        assert_eq!(LongRunThresholds::from_value(&long_run), None);
        let long_run = serde_json::json!([90, 0.25, 60, 1.1]);
        assert_eq!(
            LongRunThresholds::from_value(&long_run),
            LongRunThresholds::deserialize(&long_run).ok()
        );
        let prefs = serde_json::json!(["18:00:00", true]);
        assert_eq!(ReminderPrefs::from_value(&prefs), None);
        assert!(ReminderPrefs::deserialize(&prefs).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn damaged_settings_read_as_serde_reads_them(damages in damages(), which in any::<bool>()) {
            let settings = if which { full() } else { Settings::default() };
            agree(&damaged(&serde_json::to_string(&settings).unwrap(), &damages));
        }

        #[test]
        fn times_read_as_chrono_reads_them(text in "[0-9:.]{0,14}") {
            let value = Value::String(text);
            prop_assert_eq!(
                crate::json::value_time(&value),
                serde_json::from_value::<NaiveTime>(value.clone()).ok()
            );
        }
    }
}
