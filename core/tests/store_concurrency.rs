//! Two writers on one profile: two `Store`s in one process and two processes writing the
//! same file at once. Every write succeeds (SQLite's busy timeout queues them behind the
//! IMMEDIATE write lock), no stamp is issued twice (the clock is read inside the write
//! transaction), and nothing is lost.

#![cfg(unix)]

use std::process::{Command, Stdio};
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use talus_core::catalog::Catalog;
use talus_core::domain::{CheckIn, RegionScores, Score};
use talus_core::store::{new_id, Store};

const CHILD_ENV: &str = "TALUS_CONCURRENT_CHILD_DB";
const WRITES: usize = 150;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()
}

fn checkin(at: DateTime<Utc>, pain: i64) -> CheckIn {
    CheckIn {
        id: new_id(at),
        at,
        zone: "UTC".into(),
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

/// Writes `WRITES` check-ins into `path`, all stamped with the same wall clock (the worst
/// case for clock collisions), and returns the errors seen.
fn write_many(store: &Store, salt: i64) -> Vec<String> {
    let mut errors = Vec::new();
    for i in 0..WRITES {
        let at = t0() + Duration::milliseconds(salt * 10_000 + i as i64);
        if let Err(e) = store.add_checkin(&checkin(at, (i % 10) as i64), t0()) {
            errors.push(e.to_string());
        }
    }
    errors
}

fn open(path: &std::path::Path) -> Store {
    Store::open(path, &Catalog::embedded().unwrap(), t0())
        .unwrap()
        .0
}

#[test]
#[ignore = "entry point of the second writer process"]
fn concurrent_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = open(std::path::Path::new(&path));
    let errors = write_many(&store, 1);
    println!("TALUS-ERRORS {}", errors.len());
    for e in errors.iter().take(3) {
        println!("TALUS-ERROR {e}");
    }
}

#[test]
fn two_stores_in_one_process_never_lose_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let a = Arc::new(open(&path));
    let b = Arc::new(open(&path));
    let handles: Vec<_> = [(a.clone(), 0), (b.clone(), 1)]
        .into_iter()
        .map(|(store, salt)| std::thread::spawn(move || write_many(&store, salt)))
        .collect();
    for h in handles {
        let errors = h.join().unwrap();
        assert!(
            errors.is_empty(),
            "{} errors, first {:?}",
            errors.len(),
            errors.first()
        );
    }
    let all = a.checkins_between(t0() - Duration::days(1), t0() + Duration::days(1));
    assert_eq!(all.unwrap().len(), 2 * WRITES);
    assert_eq!(b.op_count().unwrap(), 2 * WRITES as u64);
    // Both stores export everything: the clock each sees covers the other's stamps.
    let ops = a.segment_since(&Default::default()).unwrap().ops().len();
    assert_eq!(ops, 2 * WRITES);
}

#[test]
fn two_processes_never_lose_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let store = open(&path);
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "concurrent_child_writer",
            "--nocapture",
        ])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mine = write_many(&store, 0);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("TALUS-ERRORS 0"), "child saw errors: {text}");
    assert!(
        mine.is_empty(),
        "{} errors, first {:?}",
        mine.len(),
        mine.first()
    );
    let all = store
        .checkins_between(t0() - Duration::days(1), t0() + Duration::days(1))
        .unwrap();
    assert_eq!(all.len(), 2 * WRITES);
    assert_eq!(store.op_count().unwrap(), 2 * WRITES as u64);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
