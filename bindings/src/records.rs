//! Plain records that cross the FFI boundary, with their conversions to and from core
//! types. One integer convention: instants and durations are `i64` milliseconds (instants
//! since the Unix epoch, UTC); counts, levels, scores and minutes of the local day are
//! `i32`; nothing is unsigned. Zones are IANA names.

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use talus_core::catalog::{Catalog, Drill};
use talus_core::domain::{
    CheckIn, LocalWindow, RegionScores, RomMeasurement, Run, RunRecord, Score, SessionRecord,
    SetLog, Settings, Side as CoreSide,
};

use crate::error::{ErrorCause, TalusError};
use crate::kinds::{
    display_level, int, secs_ms, DrillKind, Equipment, PainPolicy, PlanVariant, SegmentKind,
    SessionOutcome, SessionStatus, Target,
};

/// Left or right leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The left leg.
    Left,
    /// The right leg.
    Right,
}

impl From<CoreSide> for Side {
    fn from(s: CoreSide) -> Self {
        match s {
            CoreSide::Left => Side::Left,
            CoreSide::Right => Side::Right,
        }
    }
}

impl From<Side> for CoreSide {
    fn from(s: Side) -> Self {
        match s {
            Side::Left => CoreSide::Left,
            Side::Right => CoreSide::Right,
        }
    }
}

/// A bound of a query window: clamped into 1970–2200 (a window reaching beyond the range
/// the API stores simply covers all of it).
pub(crate) fn window_bound(ms: i64) -> DateTime<Utc> {
    let clamped = ms.clamp(
        talus_core::app::MIN_INSTANT_MS,
        talus_core::app::MAX_INSTANT_MS,
    );
    DateTime::from_timestamp_millis(clamped).unwrap_or_default()
}

/// The one range check for instants from a shell (1970–2200), shared with the core.
pub(crate) fn instant(ms: i64, what: &'static str) -> Result<DateTime<Utc>, TalusError> {
    Ok(talus_core::app::instant(ms, what)?)
}

pub(crate) fn score(raw: i32, what: &str) -> Result<Score, TalusError> {
    Score::new(i64::from(raw)).map_err(|_| TalusError::invalid(format!("{what} must be 0–10")))
}

fn minutes(t: NaiveTime) -> i32 {
    int(t.hour() * 60 + t.minute())
}

fn time_of(minutes: i32, what: &str) -> Result<NaiveTime, TalusError> {
    u32::try_from(minutes)
        .ok()
        .filter(|m| *m < 24 * 60)
        .and_then(|m| NaiveTime::from_hms_opt(m / 60, m % 60, 0))
        .ok_or_else(|| {
            TalusError::of(
                ErrorCause::BadSetting,
                format!("{what} must be 0–1439 minutes"),
            )
        })
}

/// A non-negative `i32` from the API as the core's `u32`.
pub(crate) fn count(n: i32, what: &str) -> Result<u32, TalusError> {
    u32::try_from(n).map_err(|_| TalusError::invalid(format!("{what} must not be negative")))
}

fn opt_secs_ms(s: Option<u32>) -> Option<i64> {
    s.map(secs_ms)
}

/// One dosage level of a drill.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct DoseInfo {
    /// Sets per side.
    pub sets: i32,
    /// Repetitions per set (rep-based drills).
    pub reps: Option<i32>,
    /// Hold per set or rep (hold-based drills).
    pub hold_ms: Option<i64>,
    /// Pause at end range between reps.
    pub end_pause_ms: i64,
    /// About how long one rep takes without the end-range pause: the pace for a shell that
    /// counts reps aloud instead of waiting for a tap.
    pub rep_ms: i64,
    /// Rest between sets.
    pub rest_ms: i64,
    /// Extra load, if any.
    pub load_kg: Option<i32>,
}

/// A named part of a drill's video.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SegmentInfo {
    /// Which part.
    pub kind: SegmentKind,
    /// Start in the clip.
    pub start_ms: i64,
    /// End in the clip (exclusive).
    pub end_ms: i64,
}

/// A drill as the shells show it, in one locale.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct DrillInfo {
    /// Stable id (never show it to the runner; show `name`).
    pub id: String,
    /// The progression chain the drill belongs to.
    pub chain: String,
    /// Localized name.
    pub name: String,
    /// Localized one-paragraph description.
    pub description: String,
    /// Localized cues, in order.
    pub cues: Vec<String>,
    /// Localized cautions.
    pub cautions: Vec<String>,
    /// What it works on, primary first.
    pub targets: Vec<Target>,
    /// What kind of exercise it is.
    pub kind: DrillKind,
    /// What it needs.
    pub equipment: Vec<Equipment>,
    /// True when each leg is worked separately.
    pub each_side: bool,
    /// How pain during it is judged.
    pub pain_policy: PainPolicy,
    /// Dose levels, easiest first (level 1 is the first).
    pub dosage: Vec<DoseInfo>,
    /// Id of the next harder drill in the chain.
    pub progression: Option<String>,
    /// Id of the next easier drill in the chain.
    pub regression: Option<String>,
    /// Clip asset id.
    pub video_asset: String,
    /// Clip length.
    pub video_duration_ms: i64,
    /// Where in the clip the poster frame is.
    pub video_poster_ms: i64,
    /// The clip may be mirrored for the other leg.
    pub video_mirrorable: bool,
    /// Named parts of the clip.
    pub segments: Vec<SegmentInfo>,
}

impl DrillInfo {
    pub(crate) fn new(d: &Drill, locale: &str) -> DrillInfo {
        let text = d.text(locale);
        DrillInfo {
            id: d.id.clone(),
            chain: d.chain.clone(),
            name: text.map(|t| t.name.clone()).unwrap_or_default(),
            description: text.map(|t| t.description.clone()).unwrap_or_default(),
            cues: text.map(|t| t.cues.clone()).unwrap_or_default(),
            cautions: text.map(|t| t.cautions.clone()).unwrap_or_default(),
            targets: d.targets.iter().map(|t| Target::from(*t)).collect(),
            kind: d.kind.into(),
            equipment: d.equipment.iter().map(|e| Equipment::from(*e)).collect(),
            each_side: d.sides == talus_core::catalog::Sides::Each,
            pain_policy: d.pain_policy.into(),
            dosage: d
                .dosage
                .iter()
                .map(|l| DoseInfo {
                    sets: int(l.sets),
                    reps: l.reps.map(int),
                    hold_ms: opt_secs_ms(l.hold_s),
                    end_pause_ms: secs_ms(l.end_pause_s),
                    rep_ms: secs_ms(l.rep_s),
                    rest_ms: secs_ms(l.rest_s),
                    load_kg: l.load_kg.map(int),
                })
                .collect(),
            progression: d.progression.clone(),
            regression: d.regression.clone(),
            video_asset: d.video.asset_id.clone(),
            video_duration_ms: i64::from(d.video.duration_ms),
            video_poster_ms: i64::from(d.video.poster_ms),
            video_mirrorable: d.video.mirrorable,
            segments: d
                .video
                .segments
                .iter()
                .map(|s| SegmentInfo {
                    kind: s.kind.into(),
                    start_ms: i64::from(s.start_ms),
                    end_ms: i64::from(s.end_ms),
                })
                .collect(),
        }
    }
}

/// The runner's settings.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SettingsInfo {
    /// `en` or `de` (other locales fall back to English).
    pub locale: String,
    /// IANA zone the runner lives in.
    pub home_zone: String,
    /// Centimetres and kilometres (`false`: inches and miles).
    pub metric_units: bool,
    /// Wake window start, minutes after local midnight (0–1439).
    pub wake_start_min: i32,
    /// Wake window end, minutes after local midnight.
    pub wake_end_min: i32,
    /// Quiet hours start, minutes after local midnight (may wrap midnight).
    pub quiet_start_min: i32,
    /// Quiet hours end, minutes after local midnight.
    pub quiet_end_min: i32,
    /// Daily drill reminder time, minutes after local midnight; `None` turns it off.
    pub daily_reminder_min: Option<i32>,
    /// Ask how calf, Achilles and ankle feel the morning after a long run.
    pub long_run_checkin: bool,
    /// Remind weekly to retest knee-to-wall.
    pub weekly_rom_retest: bool,
    /// A run at least this long counts as long.
    pub long_run_min_ms: i64,
    /// A run with at least this share of the week's running counts as long (0–1).
    pub long_run_share_of_week: f64,
    /// A run this many times the usual longest counts as long.
    pub long_run_spike_ratio: f64,
    /// Minimal detectable change of knee-to-wall, cm.
    pub rom_mdc_cm: f64,
    /// Side-to-side knee-to-wall difference worth flagging, cm.
    pub rom_asymmetry_cm: f64,
    /// What to emphasise.
    pub goals: Vec<Target>,
    /// Equipment at hand.
    pub equipment: Vec<Equipment>,
    /// The leg to start one-leg drills with.
    pub preferred_start_side: Option<Side>,
    /// The leg that was injured, if any (asked at first run; shown to the runner, kept for
    /// the clinician export).
    pub injured_side: Option<Side>,
}

impl From<&Settings> for SettingsInfo {
    fn from(s: &Settings) -> Self {
        SettingsInfo {
            locale: s.locale.clone(),
            home_zone: s.home_zone.clone(),
            metric_units: s.units == talus_core::domain::Units::Metric,
            wake_start_min: minutes(s.wake_window.start),
            wake_end_min: minutes(s.wake_window.end),
            quiet_start_min: minutes(s.quiet_hours.start),
            quiet_end_min: minutes(s.quiet_hours.end),
            daily_reminder_min: s.reminders.daily_drill_at.map(minutes),
            long_run_checkin: s.reminders.long_run_checkin,
            weekly_rom_retest: s.reminders.weekly_rom_retest,
            long_run_min_ms: i64::from(s.long_run.min_duration_min) * 60_000,
            long_run_share_of_week: s.long_run.share_of_week,
            long_run_spike_ratio: s.long_run.spike_ratio,
            rom_mdc_cm: s.rom_mdc_cm,
            rom_asymmetry_cm: s.rom_asymmetry_cm,
            goals: s.goals.iter().map(|t| Target::from(*t)).collect(),
            equipment: s.equipment.iter().map(|e| Equipment::from(*e)).collect(),
            preferred_start_side: s.preferred_start_side.map(Side::from),
            injured_side: s.injured_side.map(Side::from),
        }
    }
}

impl TryFrom<&SettingsInfo> for Settings {
    type Error = TalusError;
    fn try_from(s: &SettingsInfo) -> Result<Self, TalusError> {
        let mut out = Settings {
            locale: s.locale.clone(),
            home_zone: s.home_zone.clone(),
            ..Settings::default()
        };
        out.units = if s.metric_units {
            talus_core::domain::Units::Metric
        } else {
            talus_core::domain::Units::Imperial
        };
        out.wake_window = LocalWindow {
            start: time_of(s.wake_start_min, "wake_start_min")?,
            end: time_of(s.wake_end_min, "wake_end_min")?,
        };
        out.quiet_hours = LocalWindow {
            start: time_of(s.quiet_start_min, "quiet_start_min")?,
            end: time_of(s.quiet_end_min, "quiet_end_min")?,
        };
        out.reminders.daily_drill_at = s
            .daily_reminder_min
            .map(|m| time_of(m, "daily_reminder_min"))
            .transpose()?;
        out.reminders.long_run_checkin = s.long_run_checkin;
        out.reminders.weekly_rom_retest = s.weekly_rom_retest;
        out.long_run.min_duration_min = u32::try_from(s.long_run_min_ms / 60_000)
            .ok()
            .filter(|_| s.long_run_min_ms >= 0)
            .ok_or_else(|| {
                TalusError::of(ErrorCause::BadSetting, "long_run_min_ms must be 0 or more")
            })?;
        out.long_run.share_of_week = s.long_run_share_of_week;
        out.long_run.spike_ratio = s.long_run_spike_ratio;
        out.rom_mdc_cm = s.rom_mdc_cm;
        out.rom_asymmetry_cm = s.rom_asymmetry_cm;
        out.goals = s.goals.iter().map(|t| (*t).into()).collect();
        out.equipment = s.equipment.iter().map(|e| (*e).into()).collect();
        out.preferred_start_side = s.preferred_start_side.map(CoreSide::from);
        out.injured_side = s.injured_side.map(CoreSide::from);
        Ok(out)
    }
}

/// A run pushed by a shell (HealthKit, Health Connect, manual entry, CSV import).
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct RunInput {
    /// Where it came from (`healthkit`, `health_connect`, `manual`, `csv`…).
    pub source: String,
    /// The source's own id; pushing the same source + id again updates, never duplicates.
    pub external_id: String,
    /// Start instant.
    pub start_ms: i64,
    /// End instant (not before the start).
    pub end_ms: i64,
    /// Distance in metres (0 or more).
    pub distance_m: f64,
    /// Free tags (`long`, `race`…).
    pub tags: Vec<String>,
    /// IANA zone the run was in.
    pub zone: String,
}

impl TryFrom<&RunInput> for RunRecord {
    type Error = TalusError;
    fn try_from(r: &RunInput) -> Result<Self, TalusError> {
        Ok(RunRecord {
            source: r.source.clone(),
            external_id: r.external_id.clone(),
            start: instant(r.start_ms, "start")?,
            end: instant(r.end_ms, "end")?,
            distance_m: r.distance_m,
            tags: r.tags.clone(),
            zone: r.zone.clone(),
        })
    }
}

/// A stored run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct RunInfo {
    /// Stable id.
    pub id: String,
    /// Where it came from.
    pub source: String,
    /// The source's own id.
    pub external_id: String,
    /// Start instant.
    pub start_ms: i64,
    /// End instant.
    pub end_ms: i64,
    /// Distance in metres.
    pub distance_m: f64,
    /// Free tags.
    pub tags: Vec<String>,
    /// IANA zone the run was in.
    pub zone: String,
}

impl From<&Run> for RunInfo {
    fn from(r: &Run) -> Self {
        RunInfo {
            id: r.id.to_string(),
            source: r.record.source.clone(),
            external_id: r.record.external_id.clone(),
            start_ms: r.record.start.timestamp_millis(),
            end_ms: r.record.end.timestamp_millis(),
            distance_m: r.record.distance_m,
            tags: r.record.tags.clone(),
            zone: r.record.zone.clone(),
        }
    }
}

/// A knee-to-wall result.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct RomPoint {
    /// Stable id (to correct or delete it).
    pub id: String,
    /// When it was measured.
    pub at_ms: i64,
    /// IANA zone it was measured in.
    pub zone: String,
    /// Which leg.
    pub side: Side,
    /// Toe-to-wall distance in cm.
    pub cm: f64,
}

impl From<&RomMeasurement> for RomPoint {
    fn from(m: &RomMeasurement) -> Self {
        RomPoint {
            id: m.id.to_string(),
            at_ms: m.at.timestamp_millis(),
            zone: m.zone.clone(),
            side: m.side.into(),
            cm: m.cm,
        }
    }
}

/// A morning check-in as answered by the runner (scores 0–10).
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct CheckInInput {
    /// When the runner answered.
    pub at_ms: i64,
    /// IANA zone the runner is in.
    pub zone: String,
    /// Calf pain 0–10.
    pub pain_calf: i32,
    /// Achilles pain 0–10.
    pub pain_achilles: i32,
    /// Ankle pain 0–10.
    pub pain_ankle: i32,
    /// Calf stiffness 0–10.
    pub stiffness_calf: i32,
    /// Achilles stiffness 0–10.
    pub stiffness_achilles: i32,
    /// Ankle stiffness 0–10.
    pub stiffness_ankle: i32,
    /// Ids of red-flag questions answered "yes".
    pub red_flags_yes: Vec<String>,
    /// The long run this check-in answers, if it was prompted by one.
    pub run_id: Option<String>,
}

impl CheckInInput {
    pub(crate) fn to_core(&self, id: uuid::Uuid) -> Result<CheckIn, TalusError> {
        Ok(CheckIn {
            id,
            at: instant(self.at_ms, "at")?,
            zone: self.zone.clone(),
            pain: RegionScores {
                calf: score(self.pain_calf, "pain_calf")?,
                achilles: score(self.pain_achilles, "pain_achilles")?,
                ankle: score(self.pain_ankle, "pain_ankle")?,
            },
            stiffness: RegionScores {
                calf: score(self.stiffness_calf, "stiffness_calf")?,
                achilles: score(self.stiffness_achilles, "stiffness_achilles")?,
                ankle: score(self.stiffness_ankle, "stiffness_ankle")?,
            },
            red_flags_yes: self.red_flags_yes.clone(),
            run_id: self
                .run_id
                .as_deref()
                .map(|s| {
                    uuid::Uuid::parse_str(s).map_err(|_| TalusError::bad_id("run_id is not a UUID"))
                })
                .transpose()?,
        })
    }
}

/// One logged set.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SetInfo {
    /// The drill's id (show `drill_name`).
    pub drill_id: String,
    /// The drill's localized name.
    pub drill_name: String,
    /// Which leg; `None` for two-footed drills.
    pub side: Option<Side>,
    /// 0-based set number within the drill and side.
    pub set_index: i32,
    /// Dose level (1 is the first).
    pub level: i32,
    /// Reps asked for.
    pub target_reps: Option<i32>,
    /// Reps done.
    pub reps_done: Option<i32>,
    /// Hold asked for.
    pub target_hold_ms: Option<i64>,
    /// Hold done.
    pub hold_done_ms: Option<i64>,
    /// Pain 0–10 reported after the set (for one side of an each-side drill).
    pub pain: Option<i32>,
    /// The runner answered "just a stretch, no pain" (`pain` is then 0): not pain.
    pub stretch: bool,
    /// The set was stopped (pain, red flag, quit).
    pub stopped: bool,
    /// The set was skipped.
    pub skipped: bool,
    /// Why it was stopped, as a stable code.
    pub reason_code: Option<String>,
    /// When it was logged.
    pub at_ms: i64,
}

impl SetInfo {
    pub(crate) fn new(s: &SetLog, catalog: &Catalog, locale: &str) -> Self {
        SetInfo {
            drill_id: s.drill_id.clone(),
            drill_name: drill_name(catalog, &s.drill_id, locale),
            side: s.side.map(Side::from),
            set_index: int(s.set_index),
            level: display_level(s.level),
            target_reps: s.target_reps.map(int),
            reps_done: s.reps_done.map(int),
            target_hold_ms: opt_secs_ms(s.target_hold_s),
            hold_done_ms: opt_secs_ms(s.hold_s_done),
            pain: s.pain.map(|p| i32::from(p.value())),
            stretch: s.stretch,
            stopped: s.stopped,
            skipped: s.skipped,
            reason_code: s.reason_code.clone(),
            at_ms: s.at.timestamp_millis(),
        }
    }
}

/// A session from history.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SessionInfo {
    /// Stable id.
    pub id: String,
    /// Local date `YYYY-MM-DD`.
    pub planned_for: String,
    /// IANA zone it was planned in.
    pub zone: String,
    /// Where it stands.
    pub status: SessionStatus,
    /// The kind of day it was planned as.
    pub variant: PlanVariant,
    /// When it started.
    pub started_ms: Option<i64>,
    /// When it ended.
    pub ended_ms: Option<i64>,
    /// How it ended; `None` while open (and for sessions stored before outcomes were).
    pub outcome: Option<SessionOutcome>,
    /// Sets logged, in order.
    pub sets: Vec<SetInfo>,
}

impl SessionInfo {
    pub(crate) fn new(s: &SessionRecord, catalog: &Catalog, locale: &str) -> Self {
        SessionInfo {
            id: s.id.to_string(),
            planned_for: talus_core::formats::date_text(s.planned_for),
            zone: s.zone.clone(),
            status: s.status.into(),
            variant: s.variant.into(),
            started_ms: s.started_at.map(|t| t.timestamp_millis()),
            ended_ms: s.ended_at.map(|t| t.timestamp_millis()),
            outcome: s.outcome.map(SessionOutcome::from),
            sets: s
                .sets
                .iter()
                .map(|x| SetInfo::new(x, catalog, locale))
                .collect(),
        }
    }
}

/// The localized name of a drill; its id only if the catalog no longer has it.
pub(crate) fn drill_name(catalog: &Catalog, id: &str, locale: &str) -> String {
    catalog
        .drill(id)
        .ok()
        .and_then(|d| d.text(locale))
        .map(|t| t.name.clone())
        .unwrap_or_else(|| id.to_owned())
}
