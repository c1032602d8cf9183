//! Plain records and enums that cross the FFI boundary, with their conversions to and from
//! core types. Instants are UTC milliseconds since the Unix epoch; local times are minutes
//! after midnight; zones are IANA names.

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use talus_core::catalog::{Drill, SegmentKind};
use talus_core::domain::{
    CheckIn, LocalWindow, RegionScores, RomMeasurement, Run, RunRecord, Score, SessionRecord,
    SetLog, Settings, Side as CoreSide,
};

use crate::error::TalusError;

/// Left or right leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
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

/// The one range check for instants from a shell (1970–2200), shared with the core.
pub(crate) fn instant(ms: i64, what: &'static str) -> Result<DateTime<Utc>, TalusError> {
    Ok(talus_core::app::instant(ms, what)?)
}

pub(crate) fn score(raw: i64, what: &str) -> Result<Score, TalusError> {
    Score::new(raw).map_err(|_| TalusError::invalid(format!("{what} must be 0–10")))
}

fn minutes(t: NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

fn time_of(minutes: u32, what: &str) -> Result<NaiveTime, TalusError> {
    NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0)
        .filter(|_| minutes < 24 * 60)
        .ok_or_else(|| TalusError::invalid(format!("{what} must be 0–1439 minutes")))
}

fn snake<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse_snake<T: serde::de::DeserializeOwned>(name: &str, what: &str) -> Result<T, TalusError> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).map_err(|_| {
        TalusError::invalid(format!(
            "unknown {what} {:?}",
            name.chars().take(32).collect::<String>()
        ))
    })
}

/// One dosage level of a drill.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct DoseInfo {
    pub sets: u32,
    pub reps: Option<u32>,
    pub hold_s: Option<u32>,
    pub end_pause_s: u32,
    pub rest_s: u32,
    pub load_kg: Option<u32>,
}

/// A named part of a drill's video.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SegmentInfo {
    /// `intro`, `demo`, `rep_loop` or `common_mistake`.
    pub kind: String,
    pub start_ms: u32,
    pub end_ms: u32,
}

/// A drill as the shells show it, in one locale.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct DrillInfo {
    pub id: String,
    pub chain: String,
    pub name: String,
    pub description: String,
    pub cues: Vec<String>,
    pub cautions: Vec<String>,
    /// snake_case targets, primary first (`dorsiflexion`, `subtalar`, …).
    pub targets: Vec<String>,
    /// `dynamic_mobility`, `joint_mobilisation`, `static_stretch`, `soft_tissue`,
    /// `strength` or `balance`.
    pub kind: String,
    pub equipment: Vec<String>,
    /// True when each leg is worked separately.
    pub each_side: bool,
    /// `pain_free` or `monitored`.
    pub pain_policy: String,
    pub dosage: Vec<DoseInfo>,
    pub progression: Option<String>,
    pub regression: Option<String>,
    pub video_asset: String,
    pub video_duration_ms: u32,
    pub video_poster_ms: u32,
    pub video_mirrorable: bool,
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
            targets: d.targets.iter().map(snake).collect(),
            kind: snake(&d.kind),
            equipment: d.equipment.iter().map(snake).collect(),
            each_side: d.sides == talus_core::catalog::Sides::Each,
            pain_policy: snake(&d.pain_policy),
            dosage: d
                .dosage
                .iter()
                .map(|l| DoseInfo {
                    sets: l.sets,
                    reps: l.reps,
                    hold_s: l.hold_s,
                    end_pause_s: l.end_pause_s,
                    rest_s: l.rest_s,
                    load_kg: l.load_kg,
                })
                .collect(),
            progression: d.progression.clone(),
            regression: d.regression.clone(),
            video_asset: d.video.asset_id.clone(),
            video_duration_ms: d.video.duration_ms,
            video_poster_ms: d.video.poster_ms,
            video_mirrorable: d.video.mirrorable,
            segments: d
                .video
                .segments
                .iter()
                .map(|s| SegmentInfo {
                    kind: snake::<SegmentKind>(&s.kind),
                    start_ms: s.start_ms,
                    end_ms: s.end_ms,
                })
                .collect(),
        }
    }
}

/// The runner's settings.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SettingsInfo {
    pub locale: String,
    pub home_zone: String,
    pub metric_units: bool,
    /// Wake window, minutes after local midnight.
    pub wake_start_min: u32,
    pub wake_end_min: u32,
    /// Quiet hours, minutes after local midnight (may wrap midnight).
    pub quiet_start_min: u32,
    pub quiet_end_min: u32,
    /// Daily drill reminder time; `None` turns it off.
    pub daily_reminder_min: Option<u32>,
    pub long_run_checkin: bool,
    pub weekly_rom_retest: bool,
    pub long_run_min_minutes: u32,
    pub long_run_share_of_week: f64,
    pub long_run_spike_ratio: f64,
    pub rom_mdc_cm: f64,
    pub rom_asymmetry_cm: f64,
    /// snake_case targets to emphasise.
    pub goals: Vec<String>,
    /// snake_case equipment at hand.
    pub equipment: Vec<String>,
    pub preferred_start_side: Option<Side>,
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
            long_run_min_minutes: s.long_run.min_duration_min,
            long_run_share_of_week: s.long_run.share_of_week,
            long_run_spike_ratio: s.long_run.spike_ratio,
            rom_mdc_cm: s.rom_mdc_cm,
            rom_asymmetry_cm: s.rom_asymmetry_cm,
            goals: s.goals.iter().map(snake).collect(),
            equipment: s.equipment.iter().map(snake).collect(),
            preferred_start_side: s.preferred_start_side.map(Side::from),
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
        out.long_run.min_duration_min = s.long_run_min_minutes;
        out.long_run.share_of_week = s.long_run_share_of_week;
        out.long_run.spike_ratio = s.long_run_spike_ratio;
        out.rom_mdc_cm = s.rom_mdc_cm;
        out.rom_asymmetry_cm = s.rom_asymmetry_cm;
        out.goals = s
            .goals
            .iter()
            .map(|g| parse_snake(g, "goal"))
            .collect::<Result<_, _>>()?;
        out.equipment = s
            .equipment
            .iter()
            .map(|e| parse_snake(e, "equipment"))
            .collect::<Result<_, _>>()?;
        out.preferred_start_side = s.preferred_start_side.map(CoreSide::from);
        Ok(out)
    }
}

/// A run pushed by a shell (HealthKit, Health Connect, manual entry, CSV import).
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct RunInput {
    pub source: String,
    pub external_id: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub distance_m: f64,
    pub tags: Vec<String>,
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
    pub id: String,
    pub source: String,
    pub external_id: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub distance_m: f64,
    pub tags: Vec<String>,
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
    pub id: String,
    pub at_ms: i64,
    pub zone: String,
    pub side: Side,
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
    pub at_ms: i64,
    pub zone: String,
    pub pain_calf: i64,
    pub pain_achilles: i64,
    pub pain_ankle: i64,
    pub stiffness_calf: i64,
    pub stiffness_achilles: i64,
    pub stiffness_ankle: i64,
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
                    uuid::Uuid::parse_str(s)
                        .map_err(|_| TalusError::invalid("run_id is not a UUID"))
                })
                .transpose()?,
        })
    }
}

/// One logged set.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SetInfo {
    pub drill_id: String,
    pub side: Option<Side>,
    pub set_index: u32,
    pub level: u32,
    pub target_reps: Option<u32>,
    pub reps_done: Option<u32>,
    pub target_hold_s: Option<u32>,
    pub hold_s_done: Option<u32>,
    pub pain: Option<u8>,
    pub stopped: bool,
    pub skipped: bool,
    pub reason_code: Option<String>,
    pub at_ms: i64,
}

impl From<&SetLog> for SetInfo {
    fn from(s: &SetLog) -> Self {
        SetInfo {
            drill_id: s.drill_id.clone(),
            side: s.side.map(Side::from),
            set_index: s.set_index,
            level: s.level,
            target_reps: s.target_reps,
            reps_done: s.reps_done,
            target_hold_s: s.target_hold_s,
            hold_s_done: s.hold_s_done,
            pain: s.pain.map(Score::value),
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
    pub id: String,
    /// Local date `YYYY-MM-DD`.
    pub planned_for: String,
    pub zone: String,
    /// `planned`, `started`, `paused`, `finished` or `abandoned`.
    pub status: String,
    /// `normal`, `light`, `mobility_only`, `recovery`, `rest` or `locked`.
    pub variant: String,
    pub started_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    /// How it ended: `finished`, `stopped_early`, `ended_for_pain` or
    /// `ended_for_red_flag`; `None` while open (and for sessions from before outcomes).
    pub outcome: Option<String>,
    pub sets: Vec<SetInfo>,
}

impl From<&SessionRecord> for SessionInfo {
    fn from(s: &SessionRecord) -> Self {
        SessionInfo {
            id: s.id.to_string(),
            planned_for: s.planned_for.to_string(),
            zone: s.zone.clone(),
            status: s.status.as_str().to_owned(),
            variant: snake(&s.variant),
            started_ms: s.started_at.map(|t| t.timestamp_millis()),
            ended_ms: s.ended_at.map(|t| t.timestamp_millis()),
            outcome: s.outcome.map(|o| o.as_str().to_owned()),
            sets: s.sets.iter().map(SetInfo::from).collect(),
        }
    }
}
