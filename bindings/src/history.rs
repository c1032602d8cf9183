//! History screens and their corrections (JOURNEYS J5, J6): check-ins, runs with why each counted
//! as long, the knee-to-wall report per side, and correcting or deleting any entry. Every
//! edit and delete is one write with its sync op, so it reaches the runner's other devices;
//! an edit made on one device while another deleted the same entry wins (ADR 0005).

use chrono::Duration;
use talus_core::domain::{RomMeasurement, Run};
use talus_core::progression;
use talus_core::schedule;
use talus_core::store::run_id;
use uuid::Uuid;

use crate::coach::ReasonInfo;
use crate::engine::Engine;
use crate::error::{ErrorKind, TalusError};
use crate::records::{instant, window_bound, CheckInInput, RomPoint, RunInfo, RunInput, Side};

/// A stored check-in, as the history screen lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct CheckInInfo {
    /// Stable id (to correct or delete it).
    pub id: String,
    /// When the runner answered.
    pub at_ms: i64,
    /// IANA zone the runner was in.
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
    /// The long run it answered, if it was prompted by one.
    pub run_id: Option<String>,
}

impl From<&talus_core::domain::CheckIn> for CheckInInfo {
    fn from(c: &talus_core::domain::CheckIn) -> Self {
        CheckInInfo {
            id: c.id.to_string(),
            at_ms: c.at.timestamp_millis(),
            zone: c.zone.clone(),
            pain_calf: i32::from(c.pain.calf.value()),
            pain_achilles: i32::from(c.pain.achilles.value()),
            pain_ankle: i32::from(c.pain.ankle.value()),
            stiffness_calf: i32::from(c.stiffness.calf.value()),
            stiffness_achilles: i32::from(c.stiffness.achilles.value()),
            stiffness_ankle: i32::from(c.stiffness.ankle.value()),
            red_flags_yes: c.red_flags_yes.clone(),
            run_id: c.run_id.map(|u| u.to_string()),
        }
    }
}

/// A run with whether it counted as long, and why (in words).
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct RunDetail {
    /// The run as stored.
    pub run: RunInfo,
    /// It counts as a long run (a check-in follows the next morning).
    pub long: bool,
    /// Why it counts (or, for a run that does not, nothing).
    pub reasons: Vec<ReasonInfo>,
}

/// Knee-to-wall over time for one side.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SideTrendInfo {
    /// Which leg.
    pub side: Side,
    /// The latest result, cm.
    pub latest_cm: Option<f64>,
    /// First to latest of the last eight weeks, cm (positive is better).
    pub change_cm: Option<f64>,
    /// The change is at least the minimal detectable change (not measurement noise).
    pub real_change: bool,
    /// Every result, oldest first (with ids, to correct or delete one).
    pub points: Vec<RomPoint>,
}

/// The knee-to-wall screen: both sides, the side-to-side difference, whether a retest is due.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct KneeToWallReport {
    /// The left leg.
    pub left: SideTrendInfo,
    /// The right leg.
    pub right: SideTrendInfo,
    /// The side with the smaller latest result.
    pub stiffer_side: Option<Side>,
    /// Latest left–right difference, cm.
    pub asymmetry_cm: Option<f64>,
    /// The difference is above the runner's asymmetry threshold: show it.
    pub asymmetry_flag: bool,
    /// A week or more since the last result.
    pub retest_due: bool,
    /// The report in words (real change, asymmetry), localized.
    pub reasons: Vec<ReasonInfo>,
}

fn parse_id(text: &str, what: &str) -> Result<Uuid, TalusError> {
    Uuid::parse_str(text).map_err(|_| TalusError::bad_id(format!("{what} is not a UUID")))
}

fn every_run(engine: &Engine) -> Result<Vec<Run>, TalusError> {
    Ok(engine.store().runs_between(
        chrono::DateTime::<chrono::Utc>::MIN_UTC,
        chrono::DateTime::<chrono::Utc>::MAX_UTC,
    )?)
}

#[uniffi::export]
impl Engine {
    /// Check-ins answered in `[from_ms, to_ms)`, newest first. Touches disk.
    pub fn checkins(&self, from_ms: i64, to_ms: i64) -> Result<Vec<CheckInInfo>, TalusError> {
        let mut list = self
            .store()
            .checkins_between(window_bound(from_ms), window_bound(to_ms))?;
        list.reverse();
        Ok(list.iter().map(CheckInInfo::from).collect())
    }

    /// Replaces the pain and stiffness answers of check-in `id` (validated like a new one).
    /// It does not re-decide that morning's plan, and it cannot report a red flag: a "yes"
    /// goes through `morning_checkin` or the screening, which lock drills (`InvalidInput`
    /// here). The safety lock is kept as it is. Touches disk.
    pub fn correct_checkin(
        &self,
        id: String,
        checkin: CheckInInput,
        now_ms: i64,
    ) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        if !checkin.red_flags_yes.is_empty() {
            return Err(TalusError::invalid(
                "a red flag is reported as a new check-in or screening, not as a correction",
            ));
        }
        let core = checkin.to_core(parse_id(&id, "check-in id")?)?;
        Ok(self.store().correct_checkin(&core, now)?)
    }

    /// Deletes check-in `id` on every device. Touches disk.
    pub fn delete_checkin(&self, id: String, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        Ok(self
            .store()
            .delete_checkin(parse_id(&id, "check-in id")?, now)?)
    }

    /// Runs that started in `[from_ms, to_ms)`, newest first, each with whether it counted
    /// as long and why. Touches disk.
    pub fn run_history(&self, from_ms: i64, to_ms: i64) -> Result<Vec<RunDetail>, TalusError> {
        let from = window_bound(from_ms);
        let to = window_bound(to_ms);
        let settings = self.store().settings()?;
        // Long-run rules compare with the 30 days before each run.
        let context = self.store().runs_between(from - Duration::days(31), to)?;
        let mut out: Vec<RunDetail> = context
            .iter()
            .filter(|r| r.record.start >= from && r.record.start < to)
            .map(|r| {
                let d = schedule::classify_long_run(r, &context, &settings.long_run);
                RunDetail {
                    run: RunInfo::from(r),
                    long: d.is_long,
                    reasons: if d.is_long {
                        d.reasons.iter().map(ReasonInfo::from).collect()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        out.reverse();
        Ok(out)
    }

    /// Corrects run `id`: `run` must keep its source and external id (that pair names the
    /// run); times, distance, tags and zone are replaced. Touches disk.
    pub fn correct_run(
        &self,
        id: String,
        run: RunInput,
        now_ms: i64,
    ) -> Result<RunInfo, TalusError> {
        let now = instant(now_ms, "now")?;
        let id = parse_id(&id, "run id")?;
        let record = (&run).try_into()?;
        if run_id(&record) != id {
            return Err(TalusError::invalid(
                "a correction keeps the run's source and external id",
            ));
        }
        if !every_run(self)?.iter().any(|r| r.id == id) {
            return Err(TalusError::new(
                ErrorKind::NotFound,
                format!("run {id} not found"),
            ));
        }
        let (stored, _) = self.store().upsert_run(&record, now)?;
        Ok(RunInfo::from(&stored))
    }

    /// Deletes the run `run_id` (`RunInfo.id`) on every device. Pushing the same workout
    /// again later stores it again. `NotFound` / `InvalidInput` change nothing. Touches disk.
    pub fn delete_run(&self, run_id: String, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        Ok(self.store().delete_run(parse_id(&run_id, "run id")?, now)?)
    }

    /// The knee-to-wall screen at `now_ms`: both sides with every result, real change
    /// against the minimal detectable change, side-to-side difference, retest due. Touches
    /// disk.
    pub fn knee_to_wall_report(&self, now_ms: i64) -> Result<KneeToWallReport, TalusError> {
        let now = instant(now_ms, "now")?;
        let settings = self.store().settings()?;
        let left = self.store().rom_series(talus_core::domain::Side::Left)?;
        let right = self.store().rom_series(talus_core::domain::Side::Right)?;
        let all: Vec<RomMeasurement> = left.iter().chain(&right).cloned().collect();
        let report = progression::rom_report(&all, &settings, now);
        let side = |t: &progression::SideTrend, points: &[RomMeasurement]| SideTrendInfo {
            side: t.side.into(),
            latest_cm: t.latest_cm,
            change_cm: t.change_cm,
            real_change: t.real_change,
            points: points.iter().map(RomPoint::from).collect(),
        };
        Ok(KneeToWallReport {
            left: side(&report.left, &left),
            right: side(&report.right, &right),
            stiffer_side: report.stiffer_side.map(Side::from),
            asymmetry_cm: report.asymmetry_cm,
            asymmetry_flag: report.asymmetry_flag,
            retest_due: report.retest_due,
            reasons: report.reasons.iter().map(ReasonInfo::from).collect(),
        })
    }

    /// Corrects knee-to-wall result `id` (side, cm, when, zone; validated like a new one).
    /// Touches disk.
    pub fn correct_knee_to_wall(
        &self,
        id: String,
        side: Side,
        cm: f64,
        at_ms: i64,
        zone: String,
        now_ms: i64,
    ) -> Result<RomPoint, TalusError> {
        let now = instant(now_ms, "now")?;
        let m = RomMeasurement {
            id: parse_id(&id, "knee-to-wall id")?,
            at: instant(at_ms, "at")?,
            zone,
            side: side.into(),
            cm,
        };
        self.store().correct_rom(&m, now)?;
        Ok(RomPoint::from(&m))
    }

    /// Deletes the knee-to-wall result `rom_id` (`RomPoint.id`) on every device.
    /// `NotFound` / `InvalidInput` change nothing. Touches disk.
    pub fn delete_knee_to_wall(&self, rom_id: String, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        Ok(self
            .store()
            .delete_rom(parse_id(&rom_id, "knee-to-wall id")?, now)?)
    }

    /// Deletes the session `session_id` and its sets on every device. `NotFound` /
    /// `InvalidInput` change nothing. Touches disk.
    pub fn delete_session(&self, session_id: String, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        Ok(self
            .store()
            .delete_session(parse_id(&session_id, "session id")?, now)?)
    }
}
