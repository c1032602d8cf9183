//! Crash safety: a child process writes finished sessions in a loop and is killed with
//! SIGKILL at random moments. After every kill, every write the child saw succeed is in
//! the database and `PRAGMA integrity_check` is ok.
//!
//! `TALUS_CRASH_KILLS` sets the number of kills (default 200; the long mode uses more).

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use talus_core::catalog::Catalog;
use talus_core::domain::{PlanVariant, Score, SessionStatus, SetLog, Side};
use talus_core::store::Store;
use uuid::Uuid;

const CHILD_ENV: &str = "TALUS_CRASH_CHILD_DB";

/// The child's write loop. Ignored in normal runs; the parent starts it with `--ignored`.
#[test]
#[ignore = "entry point of the crash-test child process"]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let catalog = Catalog::embedded().unwrap();
    let (store, _) = Store::open(std::path::Path::new(&path), &catalog, Utc::now()).unwrap();
    let mut out = std::io::stdout().lock();
    // libtest prints the test name without a newline first, so markers are searched for
    // inside lines rather than matched whole.
    writeln!(out, "TALUS-READY").unwrap();
    out.flush().unwrap();
    loop {
        let now = Utc::now();
        let s = store
            .create_session(now.date_naive(), "UTC", PlanVariant::Normal, now)
            .unwrap();
        let sets: Vec<SetLog> = (0..6)
            .map(|i| SetLog {
                drill_id: "banded_df_mob".into(),
                side: Some(if i % 2 == 0 { Side::Left } else { Side::Right }),
                set_index: i / 2,
                level: 1,
                target_reps: Some(10),
                reps_done: Some(10),
                target_hold_s: None,
                hold_s_done: None,
                pain: Some(Score::new(i64::from(i % 3)).unwrap()),
                stretch: false,
                stopped: false,
                skipped: false,
                reason_code: None,
                note: None,
                at: now + Duration::seconds(i64::from(i)),
            })
            .collect();
        store
            .finish_session(s.id, &sets, now + Duration::seconds(10))
            .unwrap();
        // Acknowledge only after the write returned Ok.
        writeln!(out, "TALUS-ACK {}", s.id).unwrap();
        out.flush().unwrap();
    }
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Runs this binary's ignored test `child` with `envs`, waits for its `TALUS-READY` line,
/// lets it work for a random while under `max_us` microseconds and kills it with SIGKILL.
/// Returns what it printed after the ready line.
fn kill_when_ready(
    child: &str,
    envs: &[(&str, &std::path::Path)],
    max_us: u64,
    rng: &mut Rng,
) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([
        "--ignored",
        "--exact",
        child,
        "--nocapture",
        "--test-threads=1",
    ]);
    for (name, value) in envs {
        command.env(name, value);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while stdout.read_line(&mut line).unwrap() > 0 && !line.contains("TALUS-READY") {
        line.clear();
    }
    std::thread::sleep(StdDuration::from_micros(rng.below(max_us)));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    rest
}

#[test]
fn sigkill_mid_write_loses_no_acknowledged_session() {
    let kills: u32 = std::env::var("TALUS_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng(0x5EED_1234_ABCD_0001 ^ u64::from(std::process::id()));
    let mut acknowledged: Vec<Uuid> = Vec::new();
    let catalog = Catalog::embedded().unwrap();
    let started = Instant::now();
    for _ in 0..kills {
        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "crash_child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        // Wait until the child has opened the store and acknowledged its first write, then
        // let it write for a random while. Waiting for the first acknowledgement keeps the
        // test independent of machine load: a slow machine still kills mid-write, never
        // before anything was written.
        loop {
            line.clear();
            if stdout.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if let Some(id) = line.split("TALUS-ACK ").nth(1) {
                acknowledged.extend(Uuid::parse_str(id.trim()).ok());
                break;
            }
        }
        std::thread::sleep(StdDuration::from_micros(rng.below(40_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        acknowledged.extend(
            rest.lines()
                .filter_map(|l| l.split("TALUS-ACK ").nth(1))
                .filter_map(|id| Uuid::parse_str(id.trim()).ok()),
        );
        let (store, report) = Store::open(&db, &catalog, Utc::now()).unwrap();
        assert_eq!(
            report.quarantined, None,
            "a kill must never corrupt the file"
        );
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }
    let (store, _) = Store::open(&db, &catalog, Utc::now()).unwrap();
    for id in &acknowledged {
        let s = store.session(*id).unwrap();
        assert_eq!(s.status, SessionStatus::Finished);
        assert_eq!(s.sets.len(), 6);
    }
    assert!(
        acknowledged.len() as u32 >= kills,
        "children barely wrote: {}",
        acknowledged.len()
    );
    eprintln!(
        "crash test: {kills} SIGKILLs, {} acknowledged sessions all present, integrity ok, {:.1} s",
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
}

const MIGRATE_ENV: &str = "TALUS_CRASH_MIGRATE_DB";

/// Opens (and so migrates) the profile named by `TALUS_CRASH_MIGRATE_DB`. Ignored in
/// normal runs; started by the parent below.
#[test]
#[ignore = "entry point of the migration crash-test child process"]
fn crash_child_migrator() {
    let Ok(path) = std::env::var(MIGRATE_ENV) else {
        return;
    };
    let catalog = Catalog::embedded().unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "TALUS-READY").unwrap();
    out.flush().unwrap();
    let (_store, report) = Store::open(std::path::Path::new(&path), &catalog, Utc::now()).unwrap();
    writeln!(out, "TALUS-OPENED {:?}", report.migrated_from).unwrap();
    out.flush().unwrap();
}

/// SIGKILL while a v5 profile migrates to v6 (ADR 0016) at random moments: every kill
/// leaves a file that opens (migrating if the kill came first) with the same history and
/// passes `integrity_check`.
#[test]
fn sigkill_mid_migration_leaves_the_same_history() {
    let catalog = Catalog::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("v5.db");
    let (from, to) = (
        Utc::now() - Duration::days(20_000),
        Utc::now() + Duration::days(20_000),
    );
    let history = {
        let (store, _) = Store::open(&template, &catalog, Utc::now()).unwrap();
        let spec = talus_core::store::FixtureSpec {
            start: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            days: 120,
            zone: "UTC".into(),
            seed: 9,
        };
        talus_core::store::generate_history(&store, &catalog, &spec).unwrap();
        let history = store.history(from, to).unwrap();
        drop(store);
        let raw = talus_core::store::open_raw(&template).unwrap();
        raw.execute_batch(
            "CREATE UNIQUE INDEX set_log_id ON set_log(id); PRAGMA user_version = 5; \
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
        history
    };
    let db = dir.path().join("talus.db");
    let mut rng = Rng(0x5EED_0016_ABCD_0002 ^ u64::from(std::process::id()));
    let mut outcomes = (0, 0);
    for _ in 0..12 {
        for side in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{side}", db.display()));
        }
        std::fs::copy(&template, &db).unwrap();
        let rest = kill_when_ready(
            "crash_child_migrator",
            &[(MIGRATE_ENV, &db)],
            30_000,
            &mut rng,
        );
        let (store, report) = Store::open(&db, &catalog, Utc::now()).unwrap();
        assert_eq!(
            report.quarantined, None,
            "a kill must never corrupt the file"
        );
        // Either the kill came before the migration committed (this open migrates) or
        // after (the child's open did, whether or not it got to say so).
        if report.migrated_from == Some(5) {
            outcomes.0 += 1;
        } else {
            assert_eq!(report.migrated_from, None, "{rest}");
            outcomes.1 += 1;
        }
        assert_eq!(store.integrity_check().unwrap(), "ok");
        assert_eq!(store.history(from, to).unwrap(), history);
    }
    eprintln!(
        "migration crash test: {} kills before the migration committed, {} after",
        outcomes.0, outcomes.1
    );
}

/// SIGKILL while a v6 profile (no derived records of sets) migrates to the latest version
/// at random moments (ADR 0020: the records of all 120 days' sessions are derived in the
/// migration's transaction): every kill leaves a file that opens with the same history,
/// every record matching its sets, and passes `integrity_check`.
#[test]
fn sigkill_while_records_of_sets_are_derived_leaves_them_whole() {
    let catalog = Catalog::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("v6.db");
    let (from, to) = (
        Utc::now() - Duration::days(20_000),
        Utc::now() + Duration::days(20_000),
    );
    let history = {
        let (store, _) = Store::open(&template, &catalog, Utc::now()).unwrap();
        let spec = talus_core::store::FixtureSpec {
            start: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            days: 120,
            zone: "UTC".into(),
            seed: 20,
        };
        talus_core::store::generate_history(&store, &catalog, &spec).unwrap();
        let history = store.history(from, to).unwrap();
        drop(store);
        let raw = talus_core::store::open_raw(&template).unwrap();
        raw.execute_batch(
            "DROP TABLE session_rule_sets; DROP INDEX run_start; \
             CREATE INDEX run_start ON run(start_ms); PRAGMA user_version = 6; \
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
        history
    };
    let db = dir.path().join("talus.db");
    let mut rng = Rng(0x5EED_0020_ABCD_0007 ^ u64::from(std::process::id()));
    let mut outcomes = (0, 0);
    for _ in 0..6 {
        for side in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{side}", db.display()));
        }
        std::fs::copy(&template, &db).unwrap();
        let rest = kill_when_ready(
            "crash_child_migrator",
            &[(MIGRATE_ENV, &db)],
            30_000,
            &mut rng,
        );
        let (store, report) = Store::open(&db, &catalog, Utc::now()).unwrap();
        assert_eq!(
            report.quarantined, None,
            "a kill must never corrupt the file"
        );
        if report.migrated_from == Some(6) {
            outcomes.0 += 1;
        } else {
            assert_eq!(report.migrated_from, None, "{rest}");
            outcomes.1 += 1;
        }
        assert_eq!(store.integrity_check().unwrap(), "ok");
        assert_eq!(store.history(from, to).unwrap(), history);
        assert_eq!(store.stale_rule_sets().unwrap(), Vec::<Uuid>::new());
    }
    eprintln!(
        "records crash test: {} kills before the migration committed, {} after",
        outcomes.0, outcomes.1
    );
}

const IMPORT_ENV: &str = "TALUS_CRASH_IMPORT_DB";
const IMPORT_SEGMENT_ENV: &str = "TALUS_CRASH_IMPORT_SEGMENT";

/// Imports the segment file named by `TALUS_CRASH_IMPORT_SEGMENT` into the profile named by
/// `TALUS_CRASH_IMPORT_DB`. Ignored in normal runs; started by the parent below.
#[test]
#[ignore = "entry point of the import crash-test child process"]
fn crash_child_importer() {
    let (Ok(path), Ok(segment)) = (std::env::var(IMPORT_ENV), std::env::var(IMPORT_SEGMENT_ENV))
    else {
        return;
    };
    let catalog = Catalog::embedded().unwrap();
    let (store, _) = Store::open(std::path::Path::new(&path), &catalog, Utc::now()).unwrap();
    let bytes = std::fs::read(segment).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "TALUS-READY").unwrap();
    out.flush().unwrap();
    store.import_segment_bytes(&bytes, Utc::now()).unwrap();
    writeln!(out, "TALUS-IMPORTED").unwrap();
    out.flush().unwrap();
}

/// SIGKILL at random moments while a fresh profile imports months of history (ops and sets
/// written many to a statement): every kill leaves either the whole history or none of
/// it, a file that passes `integrity_check`, and importing again completes it.
#[test]
fn sigkill_mid_import_leaves_all_or_nothing() {
    let catalog = Catalog::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (from, to) = (
        Utc::now() - Duration::days(20_000),
        Utc::now() + Duration::days(20_000),
    );
    let (segment, history) = {
        let (source, _) = Store::open(&dir.path().join("source.db"), &catalog, Utc::now()).unwrap();
        let spec = talus_core::store::FixtureSpec {
            start: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            days: 90,
            zone: "UTC".into(),
            seed: 11,
        };
        talus_core::store::generate_history(&source, &catalog, &spec).unwrap();
        let bytes = source
            .encoded_segment_since(&talus_core::sync::VersionVector::new(), 0)
            .unwrap()
            .bytes;
        let path = dir.path().join("year.talseg");
        std::fs::write(&path, bytes).unwrap();
        (path, source.history(from, to).unwrap())
    };
    let db = dir.path().join("talus.db");
    let mut rng = Rng(0x5EED_0021_ABCD_0003 ^ u64::from(std::process::id()));
    let mut outcomes = (0, 0);
    for _ in 0..12 {
        for side in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{side}", db.display()));
        }
        kill_when_ready(
            "crash_child_importer",
            &[(IMPORT_ENV, &db), (IMPORT_SEGMENT_ENV, &segment)],
            400_000,
            &mut rng,
        );
        let (store, report) = Store::open(&db, &catalog, Utc::now()).unwrap();
        assert_eq!(
            report.quarantined, None,
            "a kill must never corrupt the file"
        );
        assert_eq!(store.integrity_check().unwrap(), "ok");
        let after = store.history(from, to).unwrap();
        if after == history {
            outcomes.1 += 1;
        } else {
            assert!(
                after.sessions.is_empty() && after.checkins.is_empty() && after.runs.is_empty(),
                "a killed import applied part of the segment"
            );
            outcomes.0 += 1;
            let bytes = std::fs::read(&segment).unwrap();
            store.import_segment_bytes(&bytes, Utc::now()).unwrap();
            assert_eq!(store.history(from, to).unwrap(), history);
        }
    }
    eprintln!(
        "import crash test: {} kills before the import committed, {} after",
        outcomes.0, outcomes.1
    );
}
