//! `today()` keeps the day's store reads between calls (`Engine::plan_today`), and never
//! serves a stale plan: after a write through the engine, a write by a second engine (its
//! own connection, as another process has), a sync import, a new day and another zone, the
//! plan is the one a freshly opened engine makes, and the reads kept are a fresh read.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use talus_core::store::{generate_history, FixtureSpec};
use talus_ffi::{CheckInInput, Engine, PlanInfo, PlanVariant, RunInput, Side};

const DAY_MS: i64 = 86_400_000;
/// 2026-03-10 06:00 UTC.
const NOW: i64 = 1_773_122_400_000;

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

fn open(dir: &tempfile::TempDir) -> Arc<Engine> {
    Engine::open(dir.path().join("p").to_string_lossy().into(), NOW).unwrap()
}

/// A screened profile with 40 days of generated training, check-ins and runs.
fn profile(dir: &tempfile::TempDir) -> Arc<Engine> {
    let e = Engine::open(
        dir.path().join("p").to_string_lossy().into(),
        NOW - 41 * DAY_MS,
    )
    .unwrap();
    let spec = FixtureSpec {
        start: at(NOW).date_naive() - Duration::days(40),
        days: 40,
        zone: "UTC".into(),
        seed: 21,
    };
    generate_history(e.store(), e.catalog(), &spec).unwrap();
    common::screen_all_no(&e, "en", NOW - DAY_MS);
    e
}

/// The plan a freshly opened engine (nothing kept) makes at `now_ms` in `zone`.
fn fresh_plan(dir: &tempfile::TempDir, now_ms: i64, zone: &str) -> PlanInfo {
    open(dir).today(now_ms, zone.into()).unwrap()
}

/// A plan as the screens read it, with its level decisions as where each leg now stands:
/// the call that decides a change says "progress" or "regress", every later call that day
/// "hold" at the same place (the change is stored by then).
fn decided(p: &PlanInfo) -> (PlanInfo, Vec<(Option<Side>, String, i32)>) {
    let stands = p
        .levels
        .iter()
        .map(|l| (l.side, l.to_drill_id.clone(), l.to_level))
        .collect();
    (
        PlanInfo {
            levels: Vec::new(),
            ..p.clone()
        },
        stands,
    )
}

/// `today()` on `e` is the fresh plan, and what it kept, while it counts as fresh, is a
/// fresh read.
fn assert_fresh(e: &Engine, dir: &tempfile::TempDir, now_ms: i64, zone: &str) -> PlanInfo {
    let plan = e.today(now_ms, zone.into()).unwrap();
    let fresh = fresh_plan(dir, now_ms, zone);
    assert_eq!(decided(&plan), decided(&fresh), "at {now_ms} in {zone}");
    let kept = e.kept_day_reads().clone().expect("today() keeps its reads");
    if e.coach().day_reads_fresh(&kept, at(now_ms)).unwrap() {
        let (settings, history) = e.coach().day_inputs(at(now_ms)).unwrap();
        assert_eq!((&kept.settings, &kept.history), (&settings, &history));
    }
    plan
}

/// A check-in with pain 5 at the ankle (an amber morning) and `red_flags` answered "yes".
fn checkin(at_ms: i64, red_flags: Vec<String>) -> CheckInInput {
    CheckInInput {
        at_ms,
        zone: "UTC".into(),
        pain_calf: 0,
        pain_achilles: 0,
        pain_ankle: 5,
        stiffness_calf: 0,
        stiffness_achilles: 0,
        stiffness_ankle: 0,
        red_flags_yes: red_flags,
        run_id: None,
    }
}

#[test]
fn a_second_call_reuses_the_reads_and_plans_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let e = profile(&dir);
    // The first call of the day stores its level changes; from there on the reads stay.
    // (No other engine is opened meanwhile: one opened on a profile due its weekly check
    // may finish that check and stamp it, a commit that rightly ends the keep.)
    e.today(NOW, "UTC".into()).unwrap();
    let first = e.today(NOW + 1, "UTC".into()).unwrap();
    let kept = e.kept_day_reads().clone().unwrap();
    for later in [2, 1_000, 60_000, 600_000] {
        assert_eq!(e.today(NOW + later, "UTC".into()).unwrap(), first);
        let again = e.kept_day_reads().clone().unwrap();
        assert!(Arc::ptr_eq(&kept, &again), "read again {later} ms later");
    }
    assert_eq!(assert_fresh(&e, &dir, NOW + 600_001, "UTC"), first);
}

#[test]
fn a_write_through_the_engine_is_planned_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let e = profile(&dir);
    let before = assert_fresh(&e, &dir, NOW, "UTC");
    // Pain 5 at the ankle: an amber morning makes the day lighter.
    e.record_checkin(checkin(NOW + 1_000, vec![]), NOW + 1_000)
        .unwrap();
    let after = assert_fresh(&e, &dir, NOW + 2_000, "UTC");
    assert_ne!(before, after, "the check-in changes the day");
    // A red flag locks the day.
    let flag = e.screening_questions("en".into())[0].id.clone();
    e.record_checkin(checkin(NOW + 3_000, vec![flag]), NOW + 3_000)
        .unwrap();
    let locked = assert_fresh(&e, &dir, NOW + 4_000, "UTC");
    assert_eq!(locked.variant, PlanVariant::Locked);
}

#[test]
fn a_write_by_another_connection_is_planned_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let e = profile(&dir);
    let before = assert_fresh(&e, &dir, NOW, "UTC");
    let other = open(&dir);
    let flag = other.screening_questions("en".into())[0].id.clone();
    other
        .record_checkin(checkin(NOW + 1_000, vec![flag]), NOW + 1_000)
        .unwrap();
    let after = assert_fresh(&e, &dir, NOW + 2_000, "UTC");
    assert_eq!(after.variant, PlanVariant::Locked);
    assert_ne!(before, after);
    // A raw write to the file, as another process's SQLite would make it.
    let conn = rusqlite::Connection::open(dir.path().join("p").join("talus.db")).unwrap();
    let removed = conn
        .execute("DELETE FROM checkin WHERE at_ms >= ?1", [NOW])
        .unwrap();
    assert_eq!(removed, 1);
    let kept = e.kept_day_reads().clone().unwrap();
    assert!(!e.coach().day_reads_fresh(&kept, at(NOW + 3_000)).unwrap());
    let history = e.coach().day_inputs(at(NOW + 3_000)).unwrap().1;
    e.today(NOW + 3_000, "UTC".into()).unwrap();
    assert_eq!(e.kept_day_reads().clone().unwrap().history, history);
}

#[test]
fn a_sync_import_is_planned_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let e = profile(&dir);
    let before = assert_fresh(&e, &dir, NOW, "UTC");
    // A peer records a long run and a red flag; this device imports its segment.
    let peer_dir = tempfile::tempdir().unwrap();
    let peer = open(&peer_dir);
    peer.record_run(
        RunInput {
            source: "garmin".into(),
            external_id: "long-1".into(),
            start_ms: NOW - 4 * 3_600_000,
            end_ms: NOW - 3_600_000,
            distance_m: 30_000.0,
            tags: vec!["long".into()],
            zone: "UTC".into(),
        },
        NOW,
    )
    .unwrap();
    let flag = peer.screening_questions("en".into())[0].id.clone();
    peer.record_checkin(checkin(NOW + 1_000, vec![flag]), NOW + 1_000)
        .unwrap();
    let bytes = peer.export_for_device(e.open_info().device_id).unwrap();
    e.import_segment(bytes, NOW + 2_000).unwrap();
    let after = assert_fresh(&e, &dir, NOW + 3_000, "UTC");
    assert_eq!(after.variant, PlanVariant::Locked);
    assert_ne!(before, after);
}

#[test]
fn a_new_day_and_another_zone_plan_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let e = profile(&dir);
    // Late on a UTC day, then just after midnight: the new day reads its own history.
    let late = NOW + 17 * 3_600_000 + 59 * 60_000;
    assert_fresh(&e, &dir, late, "UTC");
    let kept = e.kept_day_reads().clone().unwrap();
    let next_day = assert_fresh(&e, &dir, late + 60_000, "UTC");
    assert!(!Arc::ptr_eq(&kept, &e.kept_day_reads().clone().unwrap()));
    assert_ne!(next_day.date, assert_fresh(&e, &dir, late, "UTC").date);
    // The same instant in zones a day apart: each is planned for its own local date.
    let auckland = assert_fresh(&e, &dir, late + 120_000, "Pacific/Auckland");
    let honolulu = assert_fresh(&e, &dir, late + 120_000, "Pacific/Honolulu");
    assert_ne!(auckland.date, honolulu.date);
    assert_eq!(auckland.zone, "Pacific/Auckland");
}

/// The second process's entry point for the test below: records a red-flag check-in on the
/// profile named by `TALUS_TODAY_KEPT_CHILD`.
#[test]
#[ignore = "entry point of the second process"]
fn child_reports_a_red_flag() {
    let Ok(path) = std::env::var("TALUS_TODAY_KEPT_CHILD") else {
        return;
    };
    let e = Engine::open(path, NOW + 1_000).unwrap();
    let flag = e.screening_questions("en".into())[0].id.clone();
    e.record_checkin(checkin(NOW + 1_000, vec![flag]), NOW + 1_000)
        .unwrap();
    println!("TALUS-CHILD-DONE");
}

#[test]
fn a_write_by_another_process_is_planned_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let e = profile(&dir);
    e.today(NOW, "UTC".into()).unwrap();
    let before = e.today(NOW + 1, "UTC".into()).unwrap();
    assert_ne!(before.variant, PlanVariant::Locked);
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_reports_a_red_flag",
            "--nocapture",
        ])
        .env(
            "TALUS_TODAY_KEPT_CHILD",
            dir.path().join("p").to_string_lossy().as_ref(),
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success() && text.contains("TALUS-CHILD-DONE"),
        "{text}"
    );
    // The kept reads are a second old and nothing here wrote: only the other process's
    // commit can end the keep.
    let after = e.today(NOW + 2_000, "UTC".into()).unwrap();
    assert_eq!(after.variant, PlanVariant::Locked);
    assert_eq!(
        decided(&after),
        decided(&fresh_plan(&dir, NOW + 2_000, "UTC"))
    );
}
