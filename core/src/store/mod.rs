//! The durable on-device store: one SQLite file per profile.
//!
//! Opening follows the pattern of mature mobile stores (DESIGN.md §4, ADR 0001): read the
//! schema version before touching anything; refuse a newer schema; quarantine (rename, never
//! delete) a file that is not a database, or that failed `integrity_check` (run by
//! [`Store::verify`] off the hot path, or at open when a previous call saw corruption and left
//! a `-needs-check` marker beside the file); then set pragmas (WAL,
//! `foreign_keys`, `synchronous=FULL`, busy timeout, `temp_store=MEMORY`) and migrate step by
//! step. One connection does all of it. The weekly `quick_check` runs on a background thread
//! with its own connection, never on the open path: it starts at the first store call two
//! seconds or more after the open, so a cold start and a short-lived open pay nothing for
//! it. Every history write also appends its sync operation to `op_log` in the same
//! transaction.
//!
//! Threading: one connection behind a mutex; `Store` is `Send + Sync`. **Every method
//! touches disk** and may block for a few milliseconds (longer on first open of a big
//! history): shells call it off the main thread.

mod bulk;
mod exchange;
mod fixture;
mod freshness;
mod import;
mod packed_schema;
mod repo;
mod rule_sets;
mod schema;
mod unit;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, InterruptHandle, OpenFlags, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

use crate::catalog::Catalog;
use crate::domain::DomainError;
use crate::sync::Hlc;
use crate::time::TimeError;

pub use exchange::{EncodedSegment, FolderRound, FolderSync, StoreImport, SyncLog};
pub use fixture::{generate_history, FixtureSpec, FixtureSummary};
pub use freshness::ChangeMarker;
pub use import::{parse_runs_csv, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS};
pub use repo::{
    new_id, run_id, validate_run, Batch, LevelLogEntry, PainTrendPoint, SetCorrection, SetKey,
    UpsertOutcome, MAX_RUN_M, ROM_LOOKBACK_DAYS,
};
pub use schema::LATEST_VERSION;
pub use unit::{FinishedSession, LevelNote, Unit};

/// Errors from opening, reading or writing the store.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The file was written by a newer Talus; it is left untouched.
    #[error("database schema v{found} is newer than this app supports (v{supported})")]
    IncompatibleVersion { found: u32, supported: u32 },
    /// A value failed validation; nothing was written.
    #[error("invalid input: {0}")]
    Invalid(#[from] DomainError),
    /// An unknown time-zone name; nothing was written.
    #[error("invalid input: {0}")]
    Zone(#[from] TimeError),
    /// A drill id that the catalog does not know; nothing was written.
    #[error("unknown drill id {0:?}")]
    UnknownDrill(String),
    /// No such record.
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    /// The requested change is not allowed in the record's current state.
    #[error("{0}")]
    Conflict(String),
    /// Another connection (another `Store` or another process) held the write lock longer
    /// than the busy timeout; nothing was written. Retrying later succeeds.
    #[error("the profile is busy: another writer held it too long")]
    Busy,
    /// The database could not be read or written.
    #[error("storage error: {0}")]
    Sqlite(String),
    /// The file could not be quarantined or created.
    #[error("file error: {0}")]
    Io(String),
    /// A sync segment or backup file was refused (damaged, tampered with, newer format);
    /// nothing of it was applied.
    #[error("segment refused: {0}")]
    Segment(String),
    /// An imported file (runs from CSV, GPX…) had records that break the rules; nothing of
    /// it was stored. The message lists the problems by line.
    #[error("nothing imported: {0}")]
    Rejected(String),
    /// The device's storage is full: the change was not saved. Nothing is retried; the
    /// caller keeps its state and can try again after space is freed.
    #[error("storage is full: the change was not saved; free some space and try again")]
    Full,
    /// The profile's schema is older than this build opens: a phone build leaves out the
    /// migration of profiles before schema v4 (no phone ever wrote one; feature
    /// `legacy-profiles`, ADR 0019). The file is left untouched.
    #[error("profile schema v{found} is older than this build opens (v{oldest} and later); open it once with the terminal coach to upgrade it")]
    Outdated { found: u32, oldest: u32 },
    /// Stored data could not be read back (a damaged page or value). The file is marked
    /// for a check on the next open, which quarantines it if the damage is confirmed.
    #[error("stored data is damaged ({0}); restart the app to check the profile, then restore from a backup if it is quarantined")]
    Damaged(String),
}

impl From<crate::sync::SyncError> for StoreError {
    fn from(e: crate::sync::SyncError) -> Self {
        match e {
            crate::sync::SyncError::Io(e) => StoreError::Io(e.to_string()),
            other => StoreError::Segment(other.to_string()),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::Error as E;
        match &e {
            E::FromSqlConversionFailure(..)
            | E::Utf8Error(..)
            | E::InvalidColumnType(..)
            | E::IntegralValueOutOfRange(..) => StoreError::Damaged(e.to_string()),
            _ => match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    StoreError::Busy
                }
                Some(rusqlite::ErrorCode::DiskFull) => StoreError::Full,
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                    StoreError::Damaged(e.to_string())
                }
                _ => StoreError::Sqlite(e.to_string()),
            },
        }
    }
}

/// What happened while opening, so the app can tell the runner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReport {
    /// A new, empty database was created.
    pub created: bool,
    /// The schema version the file had before migrating, when it was migrated.
    pub migrated_from: Option<u32>,
    /// Where a corrupt file was moved to (a fresh database took its place). Tell the
    /// runner: "Your history file was damaged and set aside. Restore it from a backup or
    /// sync from another device" (the [`QUARANTINE_ADVICE`] text).
    pub quarantined: Option<PathBuf>,
    /// Why the file was quarantined (zero bytes, not a database, a missing table, a failed
    /// integrity check).
    pub quarantine_reason: Option<String>,
    /// Damaged rows were rebuilt from the op-log after a check found the file sound.
    pub repaired: bool,
}

/// What to tell a runner whose profile file was quarantined.
pub const QUARANTINE_ADVICE: &str = "Your history file was damaged and has been set aside \
(nothing was deleted). Restore your history from a backup (Settings → Restore, or \
`talus restore --from <backup folder>`), or sync with another of your devices.";

/// How often the cheap `quick_check` runs at open when nothing suggested damage.
pub const QUICK_CHECK_EVERY_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// How many compiled statements a connection keeps (the store runs about fifty distinct
/// ones; an evicted statement is only compiled again).
const STATEMENT_CACHE: usize = 96;

pub(crate) struct Inner {
    pub(crate) conn: Connection,
    pub(crate) hlc: Hlc,
}

/// The store of one profile. Cheap to share behind an `Arc`.
pub struct Store {
    inner: Mutex<Inner>,
    path: PathBuf,
    device_id: Uuid,
    /// The catalog's drill ids, in order (looked up by a binary search: no hash set of its
    /// own in the phone library).
    known_drills: Vec<String>,
    /// The catalog's drill chains (drill ids, easiest first): which older sets the day's
    /// plan can still read ([`repo`]'s `attach_latest_older_sets`).
    chains: Vec<Vec<String>>,
    /// The weekly `quick_check`, when one was due at open.
    weekly_check: Mutex<WeeklyCheck>,
}

/// How long after the open the weekly check waits before it starts (at the first store
/// call after that). A cold start is the app's busiest moment: a check thread started at
/// the open, even one stopped at once, made a cold open + close 2.5× slower (its spawn,
/// connection and join; BENCHMARKS.md "Cold start"), and a profile opened only for a
/// moment (a short-lived process, an app sent away at once) never needs one: the check then
/// runs at a later, longer open. Wall time, not the rules' `now`: it only decides when work
/// starts, never what a rule answers.
const CHECK_GRACE: Duration = Duration::from_secs(2);

/// Where the weekly `quick_check` of one open stands.
enum WeeklyCheck {
    /// Not due at this open, or stopped before it started.
    None,
    /// Due: starts at the first store call [`CHECK_GRACE`] after `opened`; `now` is the
    /// open's time, recorded when it passes.
    Waiting { opened: Instant, now: DateTime<Utc> },
    /// Running on its own thread, with the means to stop it.
    Running {
        thread: JoinHandle<CheckOutcome>,
        stop: Arc<CheckStop>,
    },
}

impl WeeklyCheck {
    /// Starts the check on its own thread; `None` when no thread could be had (the check is
    /// then still due at the next open).
    fn start(path: &Path, now: DateTime<Utc>) -> WeeklyCheck {
        let stop = Arc::new(CheckStop::default());
        match spawn_quick_check(path, now, Arc::clone(&stop)) {
            Some(thread) => WeeklyCheck::Running { thread, stop },
            None => WeeklyCheck::None,
        }
    }
}

impl Drop for Store {
    /// Waits for a weekly check still running (seconds at most, once a week), so its
    /// verdict is recorded before the profile is closed or opened again; one still waiting
    /// out its grace runs now. After [`Store::stop_weekly_check`] it ends at once instead,
    /// counted as not done.
    fn drop(&mut self) {
        let state = self
            .weekly_check
            .get_mut()
            .map(|state| std::mem::replace(state, WeeklyCheck::None))
            .unwrap_or(WeeklyCheck::None);
        let (thread, stop) = match state {
            WeeklyCheck::None => return,
            WeeklyCheck::Waiting { now, .. } => match WeeklyCheck::start(&self.path, now) {
                WeeklyCheck::Running { thread, stop } => (thread, stop),
                _ => return,
            },
            WeeklyCheck::Running { thread, stop } => (thread, stop),
        };
        if stop.stopping() {
            // An interrupt that lands just before the check's statement starts is
            // forgotten by SQLite: repeat it until the thread has ended.
            while !thread.is_finished() {
                stop.interrupt();
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        let _ = thread.join();
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating, migrating or quarantining as needed) the database at `path`.
    /// `catalog` supplies the drill ids writes are checked against; `now` names a
    /// quarantined file and stamps the device's first clock value.
    ///
    /// One connection does everything: it probes the file (version, schema, a full check
    /// only when damage was seen before) before writing anything, then becomes the store's
    /// connection. The weekly `quick_check` never runs here: when it is due, a background
    /// thread runs it on its own connection (ADR 0001).
    pub fn open(
        path: &Path,
        catalog: &Catalog,
        now: DateTime<Utc>,
    ) -> Result<(Store, OpenReport), StoreError> {
        match Store::open_once(path, catalog, now) {
            // Damage met while opening (a page the probe did not read): leave the marker
            // and open again, which checks and then repairs or quarantines, instead of
            // failing every open.
            Err(StoreError::Damaged(_)) if !needs_check_marker(path).exists() => {
                let _ = std::fs::write(needs_check_marker(path), b"corruption seen at open\n");
                Store::open_once(path, catalog, now)
            }
            other => other,
        }
    }

    fn open_once(
        path: &Path,
        catalog: &Catalog,
        now: DateTime<Utc>,
    ) -> Result<(Store, OpenReport), StoreError> {
        let mut report = OpenReport {
            created: !path.exists(),
            migrated_from: None,
            quarantined: None,
            quarantine_reason: None,
            repaired: false,
        };
        let mut probed = None;
        if path.exists() {
            match inspect(path, now)? {
                Inspection::Newer(found) => {
                    return Err(StoreError::IncompatibleVersion {
                        found,
                        supported: LATEST_VERSION,
                    });
                }
                Inspection::Healthy(found) => probed = Some(found),
                Inspection::Corrupt(why) => {
                    report.quarantined = Some(quarantine(path, now)?);
                    report.quarantine_reason = Some(why);
                    report.created = true;
                }
            }
        }
        // A phone build has no migration for the oldest profiles: refused before anything
        // is written (ADR 0019).
        #[cfg(not(feature = "legacy-profiles"))]
        if let Some(found) = probed
            .as_ref()
            .map(|p| p.version)
            .filter(|v| (1..schema::COMPACT_OP_LOG_VERSION).contains(v))
        {
            return Err(StoreError::Outdated {
                found,
                oldest: schema::COMPACT_OP_LOG_VERSION,
            });
        }
        let (mut conn, before, wal, checked, quick_due, identity) = match probed {
            Some(p) => (p.conn, p.version, p.wal, p.check, p.quick_due, p.identity),
            None => (Connection::open(path)?, 0, false, None, false, None),
        };
        configure(&conn, wal)?;
        if before < LATEST_VERSION {
            migrate(&mut conn)?;
            if before > 0 {
                report.migrated_from = Some(before);
            }
        }
        if checked == Some(Check::Repair) {
            // Value-level damage (a flipped byte inside a text) passes `integrity_check`;
            // the history tables are rebuilt from the op-log, which holds every change.
            if let Err(e) = exchange::rebuild_from_op_log(&mut conn) {
                drop(conn);
                report.quarantined = Some(quarantine(path, now)?);
                report.quarantine_reason = Some(format!(
                    "the history could not be rebuilt from its log: {e}"
                ));
                report.created = true;
                conn = Connection::open(path)?;
                configure(&conn, false)?;
                migrate(&mut conn)?;
            } else {
                report.repaired = true;
            }
            let _ = std::fs::remove_file(needs_check_marker(path));
            record_check(&conn, now)?;
        }
        // Read by the probe when nothing changed the file since (no migration or repair).
        let (device_id, hlc) = match identity {
            Some(known) if before == LATEST_VERSION && checked.is_none() => known,
            _ => load_identity(&mut conn, now)?,
        };
        let mut known_drills: Vec<String> = Vec::new();
        for drill in catalog.drills() {
            if let Err(at) = known_drills.binary_search(&drill.id) {
                known_drills.insert(at, drill.id.clone());
            }
        }
        let chains = catalog.chain_ids().values().cloned().collect();
        // Only a sound, current file is checked in the background; a migration or repair
        // just read or rewrote it.
        let weekly_check = if quick_due && before == LATEST_VERSION && checked.is_none() {
            WeeklyCheck::Waiting {
                opened: Instant::now(),
                now,
            }
        } else {
            WeeklyCheck::None
        };
        Ok((
            Store {
                inner: Mutex::new(Inner { conn, hlc }),
                path: path.to_path_buf(),
                device_id,
                known_drills,
                chains,
                weekly_check: Mutex::new(weekly_check),
            },
            report,
        ))
    }

    /// Stops the weekly `quick_check` if it is still running, so closing the store does
    /// not wait for it (dropping the last reference may happen on a phone's main thread).
    /// A stopped check counts as not done: nothing is recorded and the next open starts it
    /// again. Returns at once; the store stays usable.
    pub fn stop_weekly_check(&self) {
        let mut state = self.weekly_state();
        match &*state {
            WeeklyCheck::Waiting { .. } => *state = WeeklyCheck::None,
            WeeklyCheck::Running { stop, .. } => stop.request(),
            WeeklyCheck::None => {}
        }
    }

    fn weekly_state(&self) -> MutexGuard<'_, WeeklyCheck> {
        self.weekly_check
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts the weekly check waiting out its grace once the grace has passed.
    fn start_weekly_check_when_settled(&self) {
        let mut state = self.weekly_state();
        if let WeeklyCheck::Waiting { opened, now } = *state {
            if opened.elapsed() >= CHECK_GRACE {
                *state = WeeklyCheck::start(&self.path, now);
            }
        }
    }

    /// This device's id (UUIDv7, made on first open).
    pub fn device_id(&self) -> Uuid {
        self.device_id
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `PRAGMA integrity_check` result (`"ok"` when healthy).
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let inner = self.lock();
        Ok(inner
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Runs the full integrity check (about a second on a 10-year history: call it at idle,
    /// off the main thread). When it fails, the file is marked so the next open quarantines
    /// it and starts fresh; returns whether the database is healthy.
    pub fn verify(&self) -> Result<bool, StoreError> {
        let healthy = matches!(self.integrity_check(), Ok(ref s) if s == "ok");
        if !healthy {
            self.mark_needs_check();
        }
        Ok(healthy)
    }

    /// Leaves the needs-check marker when `e` says stored data is damaged, so the next open
    /// checks, repairs or quarantines; returns `e` (reported once, never retried).
    pub(crate) fn noticed(&self, e: StoreError) -> StoreError {
        if matches!(e, StoreError::Damaged(_)) {
            self.mark_needs_check();
        }
        e
    }

    /// Copies the WAL's committed pages into the database file and empties the WAL, so
    /// little committed data lives only in the WAL (called when a session ends). Another
    /// connection reading at the same time only makes it partial; that is not an error.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        let inner = self.lock();
        inner
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| self.noticed(e.into()))
    }

    /// Caps the database at `pages` pages (SQLite `max_page_count`) on this connection, so
    /// tests can make the disk "full" without a tiny file system.
    #[doc(hidden)]
    pub fn limit_pages_for_tests(&self, pages: u32) -> Result<(), StoreError> {
        let inner = self.lock();
        inner
            .conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        Ok(())
    }

    pub(crate) fn mark_needs_check(&self) {
        // Best effort: if even this write fails, the next read error will try again.
        let _ = std::fs::write(needs_check_marker(&self.path), b"corruption seen\n");
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.start_weekly_check_when_settled();
        // A poisoned mutex only means another thread panicked mid-call; SQLite rolled its
        // transaction back, so the connection is still consistent.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn check_drill(&self, id: &str) -> Result<(), StoreError> {
        if self
            .known_drills
            .binary_search_by(|known| known.as_str().cmp(id))
            .is_ok()
        {
            Ok(())
        } else {
            Err(StoreError::UnknownDrill(id.chars().take(64).collect()))
        }
    }
}

enum Inspection {
    /// Readable at this build's version or an older one; the connection that probed it.
    Healthy(Probed),
    /// Written by a newer build: refused, nothing written.
    Newer(u32),
    Corrupt(String),
}

/// What the probe at open found, with the connection that read it.
struct Probed {
    conn: Connection,
    version: u32,
    /// The file is in WAL mode already.
    wal: bool,
    /// The check that ran at open and passed (only after damage was seen).
    check: Option<Check>,
    /// A week has passed since the last `quick_check`.
    quick_due: bool,
    /// The device id and clock, when the file already has them.
    identity: Option<(Uuid, Hlc)>,
}

/// Which check ran at open and passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// A full `integrity_check` after damage was seen; the history tables are rebuilt.
    Repair,
}

/// Every table the current schema has; one missing is schema drift (damage).
const TABLES: &[&str] = &[
    "meta",
    "settings",
    "safety_lock",
    "drill_progress",
    "session",
    "set_log",
    "checkin",
    "run",
    "rom_measurement",
    "op_log",
    "reminder_state",
    "session_rule_sets",
];

/// Reads the header, version and schema, and runs the full check when damage was seen
/// before, without writing anything to the file (ADR 0001). The connection it opens
/// becomes the store's when the file is sound.
fn inspect(path: &Path, now: DateTime<Utc>) -> Result<Inspection, StoreError> {
    // A zero-byte or header-less file is not an empty profile: opening it would start a
    // fresh database and orphan (or replay against the wrong file) the WAL beside it.
    let mut header = [0u8; 20];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut header))
        .map_err(|e| StoreError::Io(e.to_string()))?;
    if read == 0 {
        return Ok(Inspection::Corrupt("the file is empty".into()));
    }
    if read < 16 || &header[..16] != b"SQLite format 3\0" {
        return Ok(Inspection::Corrupt(
            "the file is not a SQLite database".into(),
        ));
    }
    // File format versions 2/2 (bytes 18 and 19): the file is in WAL mode already.
    let wal = read == header.len() && header[18..20] == [2, 2];
    // Read-write but not creating; reading writes nothing, and until the file is known to
    // be sound, closing must not checkpoint a WAL into it either (a refused newer file
    // stays byte for byte as it was, a quarantined one as it was found).
    let conn = match Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Ok(c) => c,
        Err(e) => return Ok(Inspection::Corrupt(format!("cannot be opened: {e}"))),
    };
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    // Another connection may hold the file for a moment (a write not yet in WAL mode,
    // another process's exclusive lock): wait as every store statement does, and never
    // take a lock for damage.
    conn.busy_timeout(Duration::from_secs(5))?;
    // The probe's reads share one read transaction (the locks are taken once); an early
    // return closes the connection, which ends it.
    conn.execute_batch("BEGIN")?;
    let version = match user_version(&conn) {
        Ok(v) => v,
        Err(StoreError::Busy) => return Err(StoreError::Busy),
        Err(e) => return Ok(Inspection::Corrupt(format!("unreadable version: {e}"))),
    };
    if version > LATEST_VERSION {
        return Ok(Inspection::Newer(version));
    }
    // Cheap structural probe on every open: the schema must be readable and, at the
    // current version, complete.
    // (Looked up by a scan: a score of names, and no hash set of its own in the library.)
    let names: Result<Vec<String>, rusqlite::Error> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut stmt| repo::all_rows(stmt.query_map([], |r| r.get(0))?));
    let names = match names {
        Ok(names) => names,
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            return Err(StoreError::Busy)
        }
        Err(e) => return Ok(Inspection::Corrupt(format!("unreadable schema: {e}"))),
    };
    if version == LATEST_VERSION {
        if let Some(missing) = TABLES.iter().find(|t| !names.iter().any(|n| n == **t)) {
            return Ok(Inspection::Corrupt(format!("table {missing} is missing")));
        }
    }
    let mut identity = None;
    let (check, quick_due) =
        if needs_check_marker(path).exists() {
            (Some(Check::Repair), false)
        } else if version == LATEST_VERSION {
            // The last check and the device's identity in one read; a row that cannot be read
            // only makes the check due (and the identity is then read again after the open,
            // where damage is reported).
            let meta: Vec<(String, String)> = conn
            .prepare_cached(
                "SELECT key, value FROM meta WHERE key IN ('last_check_ms', 'device_id', 'hlc')",
            )
            .and_then(|mut stmt| stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .unwrap_or_default();
            let value = |key: &str| meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
            let last = value("last_check_ms").and_then(|s| s.parse::<i64>().ok());
            let due = last.is_none_or(|ms| now.timestamp_millis() - ms >= QUICK_CHECK_EVERY_MS);
            identity = value("device_id")
                .and_then(|s| Uuid::parse_str(s).ok())
                .map(|id| (id, parse_hlc(value("hlc"))));
            (None, due)
        } else {
            (None, false)
        };
    if check == Some(Check::Repair) {
        if let Some(problem) = failed_check(&conn, "PRAGMA integrity_check") {
            return Ok(Inspection::Corrupt(problem));
        }
    }
    conn.execute_batch("COMMIT")?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
    Ok(Inspection::Healthy(Probed {
        conn,
        version,
        wal,
        check,
        quick_due,
        identity,
    }))
}

/// Runs `pragma` (`quick_check` or `integrity_check`); what it found when it did not pass.
fn failed_check(conn: &Connection, pragma: &str) -> Option<String> {
    match conn.query_row(pragma, [], |r| r.get::<_, String>(0)) {
        Ok(ok) if ok == "ok" => None,
        Ok(problem) => Some(format!(
            "integrity check failed: {}",
            problem.chars().take(200).collect::<String>()
        )),
        Err(e) => Some(format!("integrity check failed: {e}")),
    }
}

/// Stamps the time of the last passed check (ADR 0001's weekly schedule).
fn record_check(conn: &Connection, now: DateTime<Utc>) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('last_check_ms', ?1)",
        [now.timestamp_millis().to_string()],
    )?;
    Ok(())
}

/// How a weekly `quick_check` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CheckOutcome {
    /// It passed and its time is recorded.
    Passed,
    /// It found damage: the needs-check marker is left for the next open.
    Failed,
    /// Stopped by [`Store::stop_weekly_check`]: not done, nothing recorded.
    Stopped,
    /// The file stayed locked by another connection, or the connection could not be
    /// opened: not done, nothing recorded (it runs again at the next open).
    NotRun,
}

/// Shared by a store and its weekly check: a stop request, and the check connection's
/// interrupt handle once it has one.
#[derive(Default)]
struct CheckStop {
    stopping: AtomicBool,
    interrupt: Mutex<Option<InterruptHandle>>,
}

impl CheckStop {
    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Asks the check to stop and interrupts its statement if one is running.
    fn request(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.interrupt();
    }

    fn interrupt(&self) {
        if let Some(handle) = &*self.interrupt.lock().unwrap_or_else(|p| p.into_inner()) {
            handle.interrupt();
        }
    }

    /// Gives the check's connection to [`CheckStop::request`]; false when a stop was
    /// already requested (the check then does not start).
    fn register(&self, conn: &Connection) -> bool {
        let mut slot = self.interrupt.lock().unwrap_or_else(|p| p.into_inner());
        *slot = Some(conn.get_interrupt_handle());
        !self.stopping()
    }
}

thread_local! {
    /// The stop of the weekly check running on this thread, read by [`check_busy`].
    static CHECK_STOP: RefCell<Option<Arc<CheckStop>>> = const { RefCell::new(None) };
}

/// How long the weekly check waits, in 10 ms steps, for a lock another connection holds.
const CHECK_BUSY_STEPS: i32 = 500;

/// The weekly check's busy handler: waits for another connection's lock (up to 5 s) unless
/// its store asked it to stop (a plain busy timeout would hold the close for those seconds).
fn check_busy(tries: i32) -> bool {
    let stopping = CHECK_STOP.with(|s| s.borrow().as_ref().is_some_and(|s| s.stopping()));
    if stopping || tries >= CHECK_BUSY_STEPS {
        return false;
    }
    std::thread::sleep(Duration::from_millis(10));
    true
}

/// Starts the weekly `quick_check` on its own connection, off the open path (seconds on a
/// 10-year history). Passed: the time is recorded. Failed: the needs-check marker is left,
/// so the next open runs the full check and repairs or quarantines. Stopped through
/// `stop`, or kept from the file by another connection's lock: nothing is recorded and the
/// check is still due at the next open. `None` when no thread could be started: the check
/// is then still due at the next open.
fn spawn_quick_check(
    path: &Path,
    now: DateTime<Utc>,
    stop: Arc<CheckStop>,
) -> Option<JoinHandle<CheckOutcome>> {
    let path = path.to_path_buf();
    std::thread::Builder::new()
        .name("talus-quick-check".into())
        .spawn(move || {
            CHECK_STOP.with(|s| *s.borrow_mut() = Some(Arc::clone(&stop)));
            let outcome = run_quick_check(&path, now, &stop);
            CHECK_STOP.with(|s| *s.borrow_mut() = None);
            outcome
        })
        .ok()
}

fn run_quick_check(path: &Path, now: DateTime<Utc>, stop: &CheckStop) -> CheckOutcome {
    let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return CheckOutcome::NotRun;
    };
    if conn.busy_handler(Some(check_busy)).is_err() || !stop.register(&conn) {
        return CheckOutcome::Stopped;
    }
    let verdict = conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0));
    if stop.stopping() {
        return CheckOutcome::Stopped;
    }
    match verdict {
        Ok(ok) if ok == "ok" => {}
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            return CheckOutcome::NotRun;
        }
        _ => {
            let _ = std::fs::write(needs_check_marker(path), b"quick_check failed\n");
            return CheckOutcome::Failed;
        }
    }
    // The store's own writes may hold the lock for a moment; a stamp that still cannot be
    // written only means the check runs again at the next open.
    match record_check(&conn, now) {
        Ok(()) => CheckOutcome::Passed,
        Err(_) if stop.stopping() => CheckOutcome::Stopped,
        Err(_) => CheckOutcome::NotRun,
    }
}

fn needs_check_marker(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "talus.db".into());
    path.with_file_name(format!("{name}-needs-check"))
}

/// Moves a corrupt database (and its WAL/SHM side files) aside; never deletes it.
fn quarantine(path: &Path, now: DateTime<Utc>) -> Result<PathBuf, StoreError> {
    let stamp = crate::formats::compact_millis(&now);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "talus.db".into());
    let target = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    std::fs::rename(path, &target).map_err(|e| StoreError::Io(e.to_string()))?;
    let _ = std::fs::remove_file(needs_check_marker(path));
    for suffix in ["-wal", "-shm"] {
        let side = path.with_file_name(format!("{name}{suffix}"));
        if side.exists() {
            let side_target = path.with_file_name(format!("{name}.corrupt-{stamp}{suffix}"));
            std::fs::rename(&side, side_target).map_err(|e| StoreError::Io(e.to_string()))?;
        }
    }
    Ok(target)
}

fn configure(conn: &Connection, wal: bool) -> Result<(), StoreError> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // Every statement the store runs stays compiled for the connection's life (reads,
    // writes, import: a few dozen), instead of rusqlite's default of 16.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // One round trip for the pragmas that matter: WAL (durable, readers never block the
    // writer; kept in the file, so set only when the file is not in WAL mode yet), FULL
    // sync for history writes, cascades, in-memory temp tables.
    conn.execute_batch(if wal {
        "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
    } else {
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
         PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
    })?;
    Ok(())
}

fn user_version(conn: &Connection) -> Result<u32, StoreError> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    u32::try_from(v).map_err(|_| StoreError::Sqlite(format!("bad user_version {v}")))
}

/// Applies every missing migration, in order, in one IMMEDIATE transaction: the file goes
/// from its version to the latest at once, so a kill leaves either the old version or the
/// new one, never a step between (each step's SQL assumes the one before it ran).
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut version = user_version(&tx)?;
    if version >= LATEST_VERSION {
        return Ok(());
    }
    // The records of sets are (re)derived, in this build's layout, by any upgrade from
    // before the version that last changed them.
    let derive_records = version < schema::RULE_SETS_VERSION;
    // The migrations' SQL is kept deflated (`packed_schema`); only this path reads it.
    let sql = packed_schema::inflate()
        .ok_or_else(|| StoreError::Sqlite("the embedded schema SQL is damaged".into()))?;
    while version < LATEST_VERSION {
        let step = packed_schema::step(&sql, version as usize)
            .ok_or_else(|| StoreError::Sqlite(format!("no migration from v{version}")))?;
        // (The library's SQLite has no pragma table functions: a statement naming the
        // column prepares only if the column is there.)
        let done_already = version + 1 == schema::OP_CHECKSUM_VERSION
            && tx.prepare("SELECT op_checksum FROM op_log LIMIT 0").is_ok();
        if !done_already {
            tx.execute_batch(step)?;
        }
        // Without `legacy-profiles` only a new profile (from v0, its op-log empty) gets here:
        // `open_once` refuses v1–v3.
        #[cfg(feature = "legacy-profiles")]
        if version + 1 == schema::COMPACT_OP_LOG_VERSION {
            exchange::compact_json_ops(&tx)?;
        }
        version += 1;
    }
    if derive_records {
        rule_sets::write_all(&tx)?;
    }
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(())
}

/// The clock value last persisted by any connection to this profile (zero when none).
/// Called inside a write transaction so two writers never issue the same stamp.
pub(crate) fn stored_hlc(conn: &Connection) -> Result<Hlc, StoreError> {
    let text: Option<String> = conn
        .row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0))
        .optional()?;
    Ok(parse_hlc(text.as_deref()))
}

/// The stored clock value (zero when missing or unreadable).
fn parse_hlc(text: Option<&str>) -> Hlc {
    // Read through the parsed tree, as serde reads a clock value (ADR 0026).
    text.and_then(|s| crate::json::tree::parse(s).ok())
        .and_then(|tree| Hlc::from_json(&tree))
        .unwrap_or_default()
}

fn load_identity(conn: &mut Connection, now: DateTime<Utc>) -> Result<(Uuid, Hlc), StoreError> {
    let get = |conn: &Connection, key: &str| -> Result<Option<String>, StoreError> {
        Ok(conn
            .row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    };
    let hlc = parse_hlc(get(conn, "hlc")?.as_deref());
    if let Some(id) = get(conn, "device_id")?.and_then(|s| Uuid::parse_str(&s).ok()) {
        return Ok((id, hlc));
    }
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        now.timestamp().max(0) as u64,
        now.timestamp_subsec_nanos(),
    );
    let id = Uuid::new_v7(ts);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another connection may have created the id meanwhile; keep the first one.
    tx.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('device_id', ?1)",
        [id.to_string()],
    )?;
    let stored = get(&tx, "device_id")?.and_then(|s| Uuid::parse_str(&s).ok());
    tx.commit()?;
    Ok((stored.unwrap_or(id), hlc))
}

/// `execute` and `query_row` through the connection's prepared-statement cache, so a
/// statement the store runs again (every row of an import, every write) is compiled once per
/// connection.
pub(crate) trait Cached {
    fn exec<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn exec<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

/// Opens a bare connection with only the pragmas (for benchmarks and tests that measure
/// the floor or inspect the file directly).
pub fn open_raw(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    configure(&conn, false)?;
    Ok(conn)
}

/// The SQL of every schema object, normalized, for comparing schemas in tests.
pub fn schema_fingerprint(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT type || ' ' || name || ' ' || IFNULL(sql, '') FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row?.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    Ok(out)
}

/// Migrations by version, for tests that build old schemas (`MIGRATIONS[i]` upgrades
/// version `i` to `i + 1`).
pub fn migrations() -> &'static [&'static str] {
    schema::MIGRATIONS
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap()
    }

    /// A profile whose last check is a month old; returns its path.
    fn due_profile(dir: &Path) -> PathBuf {
        let path = dir.join("talus.db");
        let catalog = Catalog::embedded().unwrap();
        drop(Store::open(&path, &catalog, t0()).unwrap());
        let conn = open_raw(&path).unwrap();
        record_check(&conn, t0() - chrono::Duration::days(30)).unwrap();
        path
    }

    fn last_check(path: &Path) -> String {
        open_raw(path)
            .unwrap()
            .query_row(
                "SELECT value FROM meta WHERE key = 'last_check_ms'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[test]
    fn a_stopped_weekly_check_ends_at_once_and_counts_as_not_done() {
        let dir = tempfile::tempdir().unwrap();
        let path = due_profile(dir.path());
        let before = last_check(&path);
        // Another connection holds the file exclusively: the check cannot finish, it waits
        // for the lock (up to 5 s) until it is stopped.
        let holder = Connection::open(&path).unwrap();
        holder
            .execute_batch("PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
            .unwrap();
        let _: i64 = holder
            .query_row("SELECT COUNT(*) FROM meta", [], |r| r.get(0))
            .unwrap();
        let stop = Arc::new(CheckStop::default());
        let thread = spawn_quick_check(&path, t0(), Arc::clone(&stop)).unwrap();
        while stop
            .interrupt
            .lock()
            .map(|slot| slot.is_none())
            .unwrap_or(true)
        {
            std::thread::yield_now();
        }
        stop.request();
        assert_eq!(thread.join().unwrap(), CheckOutcome::Stopped);
        drop(holder);
        assert!(
            !needs_check_marker(&path).exists(),
            "a stopped check is no damage"
        );
        assert_eq!(last_check(&path), before, "nothing recorded: still due");
    }

    #[test]
    fn a_check_stopped_before_it_starts_does_not_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = due_profile(dir.path());
        let before = last_check(&path);
        let stop = Arc::new(CheckStop::default());
        stop.request();
        let thread = spawn_quick_check(&path, t0(), Arc::clone(&stop)).unwrap();
        assert_eq!(thread.join().unwrap(), CheckOutcome::Stopped);
        assert_eq!(last_check(&path), before);
    }

    fn weekly_running(store: &Store) -> bool {
        matches!(&*store.weekly_state(), WeeklyCheck::Running { .. })
    }

    #[test]
    fn a_due_check_stopped_within_its_grace_never_starts() {
        let dir = tempfile::tempdir().unwrap();
        let path = due_profile(dir.path());
        let before = last_check(&path);
        let catalog = Catalog::embedded().unwrap();
        let (store, _) = Store::open(&path, &catalog, t0()).unwrap();
        store.settings().unwrap();
        assert!(!weekly_running(&store), "no thread within the grace");
        store.stop_weekly_check();
        drop(store);
        assert_eq!(last_check(&path), before, "still due at the next open");
    }

    #[test]
    fn a_due_check_starts_at_the_first_call_after_its_grace() {
        let dir = tempfile::tempdir().unwrap();
        let path = due_profile(dir.path());
        let catalog = Catalog::embedded().unwrap();
        let (store, _) = Store::open(&path, &catalog, t0()).unwrap();
        std::thread::sleep(CHECK_GRACE + Duration::from_millis(50));
        assert!(!weekly_running(&store), "it waits for a call");
        store.settings().unwrap();
        assert!(weekly_running(&store));
        drop(store);
        assert_eq!(last_check(&path), t0().timestamp_millis().to_string());
    }

    #[test]
    fn a_due_check_still_in_its_grace_runs_when_the_store_closes() {
        let dir = tempfile::tempdir().unwrap();
        let path = due_profile(dir.path());
        let catalog = Catalog::embedded().unwrap();
        drop(Store::open(&path, &catalog, t0()).unwrap());
        assert_eq!(last_check(&path), t0().timestamp_millis().to_string());
    }

    #[test]
    fn a_weekly_check_left_to_finish_records_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = due_profile(dir.path());
        let stop = Arc::new(CheckStop::default());
        let thread = spawn_quick_check(&path, t0(), stop).unwrap();
        assert_eq!(thread.join().unwrap(), CheckOutcome::Passed);
        assert_eq!(last_check(&path), t0().timestamp_millis().to_string());
    }
}
