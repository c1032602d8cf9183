//! `Engine`: one runner's profile (store + catalog) behind a small, coarse API — one call per
//! user action. Every method that touches disk says so; shells call those off the main
//! thread.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use talus_core::app::{CheckInKind, Coach, DayPlan, DayReads};
use talus_core::catalog::Catalog;
use talus_core::domain::Settings;
use talus_core::store::Store;
use uuid::Uuid;

use crate::coach::ReasonInfo;
use crate::error::TalusError;
use crate::kinds::{int, RunOutcome};
use crate::records::{
    count, instant, window_bound, CheckInInput, DrillInfo, RomPoint, RunInfo, RunInput,
    SessionInfo, SettingsInfo, Side,
};

/// What happened when a profile was opened.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct OpenInfo {
    /// A new, empty profile was created.
    pub created: bool,
    /// The schema version the database was migrated from, if it was.
    pub migrated_from: Option<i32>,
    /// Where a damaged database was moved; the app should offer a restore from backup.
    pub quarantined_path: Option<String>,
    /// This device's id (used by sync).
    pub device_id: String,
}

/// Result of pushing a run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct RunIngest {
    /// The run as stored.
    pub run: RunInfo,
    /// What the push did.
    pub outcome: RunOutcome,
    /// The run counts as a long run (a check-in follows next morning).
    pub long_run: bool,
    /// Why it counts as long (tag, duration, share of the week, spike), or `not_long`.
    pub long_run_reasons: Vec<ReasonInfo>,
}

/// One runner's profile (store + catalog).
///
/// Thread safety: `Send + Sync`; any thread may call any method, calls that write are
/// serialised. Share one instance per profile in a process; a second `Engine` on the same
/// folder (in this process or another, e.g. a background job) is safe too: writes queue
/// behind SQLite's write lock and none is lost (ADR 0008). Methods documented "Touches
/// disk" belong off the main thread (`Dispatchers.IO`, a detached task). In Kotlin, close
/// it with `use {}` or `close()`; Swift frees it with its last reference. Closing never waits
/// for the weekly storage check: a check still running is stopped and runs again at the next
/// open (ADR 0001), so the last reference may drop on the main thread.
#[derive(uniffi::Object)]
pub struct Engine {
    coach: Coach,
    opened: OpenInfo,
    /// The day's store reads of the last `today()`, reused while a fresh read would return
    /// the same (`Coach::plan_day_kept`): a warm `today()` only plans.
    day_reads: Mutex<Option<Arc<DayReads>>>,
}

impl Drop for Engine {
    /// Stops a weekly storage check still running, so closing is immediate (it counts as
    /// not done and runs again at the next open).
    fn drop(&mut self) {
        self.coach.store().stop_weekly_check();
    }
}

impl Engine {
    /// The application layer every call goes through.
    pub fn coach(&self) -> &Coach {
        &self.coach
    }

    /// The store, for the Rust shell's own read-only views and tests.
    pub fn store(&self) -> &Store {
        self.coach.store()
    }

    /// The catalog the engine runs on, with every text.
    pub fn catalog(&self) -> &Catalog {
        self.coach.catalog()
    }

    /// The catalog as the plans read it: names, dosages and chains, without the long texts
    /// a first `today()` of a process need not inflate (ADR 0024, `Coach::plan_catalog`).
    pub fn plan_catalog(&self) -> &Catalog {
        self.coach.plan_catalog()
    }

    /// Today's plan with its level decisions, planned on the day's store reads kept from the
    /// last call while they are exactly what a fresh read would return (nothing committed to
    /// the file since, by this engine or any other connection or process, and no window edge
    /// passed a record; ADR 0018, `talus_core::app::DayReads`). The plan is `Coach::plan_day`'s.
    pub fn plan_today(&self, now: DateTime<Utc>, zone: &str) -> Result<DayPlan, TalusError> {
        let kept = self.kept_day_reads().clone();
        let (day, reads) = self.coach.plan_day_kept(kept, now, zone)?;
        *self.kept_day_reads() = reads;
        Ok(day)
    }

    /// The day's reads `today()` keeps (for tests: they must equal a fresh read).
    pub fn kept_day_reads(&self) -> MutexGuard<'_, Option<Arc<DayReads>>> {
        self.day_reads.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[uniffi::export]
impl Engine {
    /// Opens (creating or migrating as needed) the profile in `profile_dir` (an empty path
    /// is refused). Touches disk. Never waits for the weekly storage check: when one is
    /// due it runs on a background thread, from the first call two seconds or more after
    /// the open (ADR 0001).
    #[uniffi::constructor]
    pub fn open(profile_dir: String, now_ms: i64) -> Result<Arc<Engine>, TalusError> {
        let now = instant(now_ms, "now")?;
        let coach = Coach::open(&PathBuf::from(&profile_dir), now)?;
        let report = coach.open_report();
        let opened = OpenInfo {
            created: report.created,
            migrated_from: report.migrated_from.map(int),
            quarantined_path: report
                .quarantined
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned()),
            device_id: coach.store().device_id().to_string(),
        };
        Ok(Arc::new(Engine {
            coach,
            opened,
            day_reads: Mutex::new(None),
        }))
    }

    /// What happened at open (created, migrated, quarantined).
    pub fn open_info(&self) -> OpenInfo {
        self.opened.clone()
    }

    /// Every drill in `locale` (falls back to English), chain by chain, easiest first.
    pub fn drills(&self, locale: String) -> Vec<DrillInfo> {
        let mut out = Vec::new();
        for ids in self.catalog().chain_ids().values() {
            for id in ids {
                if let Ok(d) = self.catalog().drill(id) {
                    out.push(DrillInfo::new(d, &locale));
                }
            }
        }
        out
    }

    /// One drill in `locale`.
    pub fn drill(&self, id: String, locale: String) -> Result<DrillInfo, TalusError> {
        Ok(DrillInfo::new(self.catalog().drill(&id)?, &locale))
    }

    /// Version of the embedded catalog content.
    pub fn catalog_version(&self) -> i32 {
        int(self.catalog().version())
    }

    /// The runner's settings. Touches disk.
    pub fn settings(&self) -> Result<SettingsInfo, TalusError> {
        Ok(SettingsInfo::from(&self.store().settings()?))
    }

    /// Saves settings after validating every value (ranges: share of week in (0, 1], spike
    /// ratio 1–10, long-run minimum 1–600 min…). Touches disk.
    pub fn set_settings(&self, settings: SettingsInfo, now_ms: i64) -> Result<(), TalusError> {
        let now = instant(now_ms, "now")?;
        let core = Settings::try_from(&settings)?;
        Ok(self.coach.save_settings(&core, now)?)
    }

    /// Adds or updates a run from this device (idempotent on source + external id): end
    /// after start, at most 24 h, a plausible pace (2:00–60:00 min/km), not in the future. Says whether it
    /// counts as a long run and why. Touches disk.
    pub fn record_run(&self, run: RunInput, now_ms: i64) -> Result<RunIngest, TalusError> {
        let now = instant(now_ms, "now")?;
        let record = (&run).try_into()?;
        let imported = self.coach.import_run(&record, now)?;
        Ok(RunIngest {
            run: RunInfo::from(&imported.run),
            outcome: imported.outcome.into(),
            long_run: imported.long_run.is_long,
            long_run_reasons: imported
                .long_run
                .reasons
                .iter()
                .map(ReasonInfo::from)
                .collect(),
        })
    }

    /// Runs that started in `[from_ms, to_ms)`, oldest first. Touches disk.
    pub fn runs(&self, from_ms: i64, to_ms: i64) -> Result<Vec<RunInfo>, TalusError> {
        let runs = self
            .store()
            .runs_between(window_bound(from_ms), window_bound(to_ms))?;
        Ok(runs.iter().map(RunInfo::from).collect())
    }

    /// Records a knee-to-wall result (cm, mean of trials). Touches disk.
    pub fn record_knee_to_wall(
        &self,
        side: Side,
        cm: f64,
        at_ms: i64,
        zone: String,
        now_ms: i64,
    ) -> Result<RomPoint, TalusError> {
        let m = self.store().add_rom(
            side.into(),
            cm,
            instant(at_ms, "at")?,
            &zone,
            instant(now_ms, "now")?,
        )?;
        Ok(RomPoint::from(&m))
    }

    /// The knee-to-wall series of one side, oldest first. Touches disk.
    pub fn knee_to_wall_series(&self, side: Side) -> Result<Vec<RomPoint>, TalusError> {
        Ok(self
            .store()
            .rom_series(side.into())?
            .iter()
            .map(RomPoint::from)
            .collect())
    }

    /// Records a check-in (morning, or post-run when `run_id` is set); returns its id. The
    /// same path as `morning_checkin`: a red flag in it locks drills in the same write.
    /// Touches disk.
    pub fn record_checkin(&self, checkin: CheckInInput, now_ms: i64) -> Result<String, TalusError> {
        let now = instant(now_ms, "now")?;
        let core = checkin.to_core(talus_core::store::new_id(now))?;
        let kind = if core.run_id.is_some() {
            CheckInKind::PostRun
        } else {
            CheckInKind::Morning
        };
        Ok(self
            .coach
            .check_in(&core, kind, now)?
            .checkin_id
            .to_string())
    }

    /// The last `limit` sessions, newest first, with their sets. Touches disk.
    pub fn recent_sessions(&self, limit: i32) -> Result<Vec<SessionInfo>, TalusError> {
        let limit = count(limit, "limit")?.min(1000);
        let locale = self.store().settings()?.locale;
        Ok(self
            .store()
            .last_sessions(limit)?
            .iter()
            .map(|s| SessionInfo::new(s, self.catalog(), &locale))
            .collect())
    }

    /// One session by id. Touches disk.
    pub fn session(&self, id: String) -> Result<SessionInfo, TalusError> {
        let id =
            Uuid::parse_str(&id).map_err(|_| TalusError::bad_id("session id is not a UUID"))?;
        let locale = self.store().settings()?.locale;
        Ok(SessionInfo::new(
            &self.store().session(id)?,
            self.catalog(),
            &locale,
        ))
    }

    /// Runs the full database integrity check (slow on big histories: call at idle, off
    /// the main thread). `false` means the next open will quarantine the file.
    pub fn verify_storage(&self) -> Result<bool, TalusError> {
        Ok(self.store().verify()?)
    }
}

/// Milliseconds in `days` days, for shells computing windows.
#[uniffi::export]
pub fn days_ms(days: i64) -> i64 {
    Duration::days(days.clamp(-36_500, 36_500)).num_milliseconds()
}
