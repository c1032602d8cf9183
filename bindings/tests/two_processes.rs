//! One profile opened twice: two `Engine`s in one process and two processes at once. Every
//! call succeeds (writes queue behind SQLite's write lock), nothing is lost, and no internal
//! SQL error ever reaches the caller.

#![cfg(unix)]

use std::process::{Command, Stdio};
use std::sync::Arc;

use talus_ffi::{CheckInInput, Engine, RunInput, Side};

const CHILD_ENV: &str = "TALUS_FFI_CHILD_PROFILE";
const NOW: i64 = 1_780_000_000_000;
const RUNS: i64 = 60;

fn run(i: i64, who: &str) -> RunInput {
    RunInput {
        source: who.into(),
        external_id: format!("{who}-{i}"),
        start_ms: NOW - (i + 1) * 3_600_000,
        end_ms: NOW - (i + 1) * 3_600_000 + 1_800_000,
        distance_m: 5_000.0,
        tags: vec![],
        zone: "UTC".into(),
    }
}

fn checkin(at_ms: i64) -> CheckInInput {
    CheckInInput {
        at_ms,
        zone: "UTC".into(),
        pain_calf: 1,
        pain_achilles: 0,
        pain_ankle: 0,
        stiffness_calf: 1,
        stiffness_achilles: 0,
        stiffness_ankle: 0,
        red_flags_yes: vec![],
        run_id: None,
    }
}

/// Runs, knee-to-wall results and check-ins through the public API; returns the errors.
fn write_many(engine: &Engine, who: &str, offset_ms: i64) -> Vec<String> {
    let mut errors = Vec::new();
    for i in 0..RUNS {
        if let Err(e) = engine.record_run(run(i, who), NOW) {
            errors.push(format!("{}: {e}", e.code()));
        }
        let at = NOW - 10 * 86_400_000 + offset_ms + i * 1_000;
        if let Err(e) = engine.record_knee_to_wall(Side::Left, 9.0, at, "UTC".into(), NOW) {
            errors.push(format!("{}: {e}", e.code()));
        }
        if let Err(e) = engine.record_checkin(checkin(at), NOW) {
            errors.push(format!("{}: {e}", e.code()));
        }
    }
    errors
}

fn open(path: &str) -> Arc<Engine> {
    Engine::open(path.into(), NOW).unwrap()
}

#[test]
#[ignore = "entry point of the second process"]
fn child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let errors = write_many(&open(&path), "child", 500);
    println!("TALUS-ERRORS {}", errors.len());
    for e in errors.iter().take(3) {
        println!("TALUS-ERROR {e}");
    }
}

#[test]
fn two_engines_in_one_process_share_a_profile_safely() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p").to_string_lossy().into_owned();
    let a = open(&path);
    let b = open(&path);
    assert_eq!(a.device_id(), b.device_id());
    let handles: Vec<_> = [(a.clone(), "a", 0), (b.clone(), "b", 500)]
        .into_iter()
        .map(|(e, who, off)| std::thread::spawn(move || write_many(&e, who, off)))
        .collect();
    for h in handles {
        let errors = h.join().unwrap();
        assert!(errors.is_empty(), "{errors:?}");
    }
    assert_eq!(a.runs(0, NOW * 2).unwrap().len(), 2 * RUNS as usize);
    assert_eq!(
        b.knee_to_wall_series(Side::Left).unwrap().len(),
        2 * RUNS as usize
    );
    // The other engine sees every write and syncs all of it.
    let peer = tempfile::tempdir().unwrap();
    let other = open(&peer.path().join("p").to_string_lossy());
    let report = other
        .import_segment(a.export_for_device(other.device_id()).unwrap(), NOW)
        .unwrap();
    assert_eq!(other.runs(0, NOW * 2).unwrap().len(), 2 * RUNS as usize);
    assert!(report.new_changes >= 6 * RUNS as i32);
}

#[test]
fn two_processes_write_one_profile_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p").to_string_lossy().into_owned();
    let engine = open(&path);
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "child_writer", "--nocapture"])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mine = write_many(&engine, "parent", 0);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("TALUS-ERRORS 0"), "child saw errors: {text}");
    assert!(mine.is_empty(), "{mine:?}");
    assert_eq!(engine.runs(0, NOW * 2).unwrap().len(), 2 * RUNS as usize);
    assert_eq!(
        engine.knee_to_wall_series(Side::Left).unwrap().len(),
        2 * RUNS as usize
    );
    assert!(engine.verify_storage().unwrap());
}
