//! Damage policy (ADR 0001): zero-byte and header-less files are quarantined with their WAL
//! kept beside them; a missing table is caught at open; an unreadable value is reported as
//! `Damaged`, marks the file, and the next open repairs it from the op-log; the weekly
//! `quick_check` runs (in the background, acted on at the next open); damage met while
//! opening is checked at once; a full disk is reported once as `Full` and nothing is lost; a
//! finished session leaves the WAL empty.

use chrono::{DateTime, Duration, TimeZone, Utc};
use talus_core::catalog::Catalog;
use talus_core::domain::{CheckIn, PlanVariant, RegionScores, Score};
use talus_core::store::{new_id, open_raw, Store, StoreError};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap()
}

fn open_at(path: &std::path::Path, now: DateTime<Utc>) -> (Store, talus_core::store::OpenReport) {
    Store::open(path, &Catalog::embedded().unwrap(), now).unwrap()
}

fn checkin(at: DateTime<Utc>, pain: i64) -> CheckIn {
    CheckIn {
        id: new_id(at),
        at,
        zone: "Europe/Berlin".into(),
        pain: RegionScores {
            calf: Score::new(pain).unwrap(),
            achilles: Score::ZERO,
            ankle: Score::ZERO,
        },
        stiffness: RegionScores::default(),
        red_flags_yes: vec![],
        run_id: None,
    }
}

fn checkins(store: &Store) -> Result<Vec<CheckIn>, StoreError> {
    Ok(store
        .history(t0() - Duration::days(30), t0() + Duration::days(30))?
        .checkins)
}

fn side_files(dir: &std::path::Path, contains: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(contains))
        .collect()
}

#[test]
fn a_zero_byte_database_is_quarantined_with_its_wal_kept() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let (store, _) = open_at(&live, t0());
    store.add_checkin(&checkin(t0(), 3), t0()).unwrap();
    // Copy the file and its WAL while open (the WAL holds the committed check-in), then
    // lose the main file's content, as a failed copy or restore would.
    let copy_dir = dir.path().join("copy");
    std::fs::create_dir(&copy_dir).unwrap();
    let path = copy_dir.join("talus.db");
    std::fs::write(&path, b"").unwrap();
    let wal = std::fs::read(dir.path().join("live.db-wal")).unwrap();
    assert!(!wal.is_empty());
    std::fs::write(copy_dir.join("talus.db-wal"), &wal).unwrap();

    let (fresh, report) = open_at(&path, t0());
    let moved = report.quarantined.expect("quarantined");
    assert!(report.quarantine_reason.unwrap().contains("empty"));
    assert!(moved.exists());
    let kept: Vec<String> = side_files(&copy_dir, ".corrupt-")
        .into_iter()
        .filter(|n| n.ends_with("-wal"))
        .collect();
    assert_eq!(kept.len(), 1, "the WAL is kept beside the quarantined file");
    assert_eq!(std::fs::read(copy_dir.join(&kept[0])).unwrap(), wal);
    assert!(checkins(&fresh).unwrap().is_empty());
}

#[test]
fn a_header_less_file_is_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    std::fs::write(&path, vec![0x42u8; 8192]).unwrap();
    let (_, report) = open_at(&path, t0());
    assert!(report.quarantined.is_some());
    assert!(report.quarantine_reason.unwrap().contains("not a SQLite"));
}

#[test]
fn a_missing_table_is_detected_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    drop(open_at(&path, t0()));
    open_raw(&path)
        .unwrap()
        .execute_batch("DROP TABLE rom_measurement")
        .unwrap();
    let (store, report) = open_at(&path, t0());
    assert!(report
        .quarantine_reason
        .unwrap()
        .contains("rom_measurement"));
    assert!(store.rom_series(talus_core::domain::Side::Left).is_ok());
}

#[test]
fn an_unreadable_value_is_reported_then_repaired_from_the_op_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let (store, _) = open_at(&path, t0());
    let c = checkin(t0(), 4);
    store.add_checkin(&c, t0()).unwrap();
    // A flipped byte inside a text value: pages are sound, the value is not UTF-8.
    open_raw(&path)
        .unwrap()
        .execute("UPDATE checkin SET zone = CAST(x'ff' || x'fe' AS TEXT)", [])
        .unwrap();
    let err = checkins(&store).unwrap_err();
    assert!(matches!(err, StoreError::Damaged(_)), "{err:?}");
    assert!(err.to_string().contains("restore"), "{err}");
    assert!(dir.path().join("talus.db-needs-check").exists());
    drop(store);

    let (store, report) = open_at(&path, t0());
    assert!(report.repaired, "{report:?}");
    assert_eq!(report.quarantined, None);
    assert_eq!(checkins(&store).unwrap(), vec![c]);
    assert!(!dir.path().join("talus.db-needs-check").exists());
}

#[test]
fn quick_check_runs_at_least_weekly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let last_check = || -> Option<String> {
        open_raw(&path)
            .unwrap()
            .query_row(
                "SELECT value FROM meta WHERE key = 'last_check_ms'",
                [],
                |r| r.get(0),
            )
            .ok()
    };
    drop(open_at(&path, t0()));
    drop(open_at(&path, t0()));
    let first = last_check().expect("checked on the first reopen");
    drop(open_at(&path, t0() + Duration::days(3)));
    assert_eq!(last_check().unwrap(), first, "not due after 3 days");
    drop(open_at(&path, t0() + Duration::days(8)));
    assert_eq!(
        last_check().unwrap(),
        (t0() + Duration::days(8)).timestamp_millis().to_string()
    );
}

#[test]
fn a_full_disk_is_reported_once_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let (store, _) = open_at(&path, t0());
    store.add_checkin(&checkin(t0(), 1), t0()).unwrap();
    let pages: u32 = open_raw(&path)
        .unwrap()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store.limit_pages_for_tests(pages + 2).unwrap();
    let mut stored = 1;
    let mut full = None;
    for i in 1..2000 {
        let at = t0() + Duration::seconds(i);
        match store.add_checkin(&checkin(at, i % 10), at) {
            Ok(()) => stored += 1,
            Err(e) => {
                full = Some(e);
                break;
            }
        }
    }
    assert_eq!(full, Some(StoreError::Full));
    assert_eq!(checkins(&store).unwrap().len(), stored);
    assert!(!dir.path().join("talus.db-needs-check").exists());
    // Space freed: the next write works, nothing was left half-done.
    store.limit_pages_for_tests(1_000_000).unwrap();
    let at = t0() + Duration::hours(2);
    store.add_checkin(&checkin(at, 2), at).unwrap();
    assert_eq!(checkins(&store).unwrap().len(), stored + 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn finishing_a_session_empties_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let (store, _) = open_at(&path, t0());
    let s = store
        .create_session(t0().date_naive(), "UTC", PlanVariant::Normal, t0())
        .unwrap();
    store
        .finish_session(s.id, &[], t0() + Duration::minutes(5))
        .unwrap();
    let wal = std::fs::metadata(dir.path().join("talus.db-wal")).unwrap();
    assert_eq!(wal.len(), 0);
}

/// A profile with a month of history, checkpointed into the main file, its last check
/// stamped `last_check` ago; returns the database path.
fn month_profile(dir: &std::path::Path, last_check: Duration) -> std::path::PathBuf {
    use talus_core::store::{generate_history, FixtureSpec};
    let path = dir.join("talus.db");
    let (store, _) = open_at(&path, t0());
    let spec = FixtureSpec {
        start: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        days: 30,
        zone: "UTC".into(),
        seed: 9,
    };
    generate_history(&store, &Catalog::embedded().unwrap(), &spec).unwrap();
    drop(store);
    let conn = open_raw(&path).unwrap();
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('last_check_ms', ?1)",
        [(t0() - last_check).timestamp_millis().to_string()],
    )
    .unwrap();
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    path
}

/// Overwrites the root page of `table` in the main file (the header stays intact).
fn scribble_root_page(path: &std::path::Path, table: &str) {
    let (root, page_size): (i64, i64) = {
        let conn = open_raw(path).unwrap();
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
        (root, size)
    };
    let mut bytes = std::fs::read(path).unwrap();
    let at = usize::try_from((root - 1) * page_size).unwrap();
    for b in &mut bytes[at..at + usize::try_from(page_size).unwrap()] {
        *b = 0xA5;
    }
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn the_weekly_check_runs_off_the_open_path_and_the_next_open_acts_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = month_profile(dir.path(), Duration::days(8));
    // Damage in a table the open itself never reads.
    scribble_root_page(&path, "set_log");
    let (store, report) = open_at(&path, t0());
    assert_eq!(report.quarantined, None, "the open did not run the check");
    assert!(!report.repaired);
    // Closing waits for the background check, which saw the damage and left the marker.
    drop(store);
    assert!(dir.path().join("talus.db-needs-check").exists());
    let (_, report) = open_at(&path, t0());
    assert!(report.quarantined.is_some(), "{report:?}");
    assert!(report
        .quarantine_reason
        .unwrap()
        .contains("integrity check failed"));
}

#[test]
fn a_sound_profile_passes_the_weekly_check_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = month_profile(dir.path(), Duration::days(8));
    let (store, report) = open_at(&path, t0());
    assert_eq!(report.quarantined, None);
    // The store is usable while the check runs.
    store.add_checkin(&checkin(t0(), 2), t0()).unwrap();
    drop(store);
    assert!(!dir.path().join("talus.db-needs-check").exists());
    let stamp: String = open_raw(&path)
        .unwrap()
        .query_row(
            "SELECT value FROM meta WHERE key = 'last_check_ms'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stamp, t0().timestamp_millis().to_string());
}

#[test]
fn damage_met_while_opening_is_checked_at_once_not_on_every_start() {
    let dir = tempfile::tempdir().unwrap();
    // Checked yesterday: no check is due, yet the open reads the damaged identity rows.
    let path = month_profile(dir.path(), Duration::days(1));
    scribble_root_page(&path, "meta");
    let (fresh, report) = open_at(&path, t0());
    assert!(report.quarantined.is_some(), "{report:?}");
    assert!(!dir.path().join("talus.db-needs-check").exists());
    assert!(checkins(&fresh).unwrap().is_empty());
    drop(fresh);
    let (_, again) = open_at(&path, t0());
    assert_eq!(again.quarantined, None);
}

#[test]
fn a_profile_another_connection_keeps_locked_is_busy_never_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let (store, _) = open_at(&path, t0());
    let c = checkin(t0(), 2);
    store.add_checkin(&c, t0()).unwrap();
    drop(store);
    // Another process holds the file exclusively (no reader gets in) for longer than the
    // open waits (5 s): the open reports Busy and leaves the file where it is.
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder
        .execute_batch("PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .unwrap();
    let _: i64 = holder
        .query_row("SELECT COUNT(*) FROM meta", [], |r| r.get(0))
        .unwrap();
    let catalog = Catalog::embedded().unwrap();
    let err = Store::open(&path, &catalog, t0()).unwrap_err();
    assert_eq!(err, StoreError::Busy);
    drop(holder);
    let (store, report) = open_at(&path, t0());
    assert_eq!(report.quarantined, None, "{report:?}");
    assert_eq!(checkins(&store).unwrap(), vec![c]);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("corrupt")), "{names:?}");
}
