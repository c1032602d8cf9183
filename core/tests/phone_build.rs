//! The phone build of the core (`--no-default-features`: no `legacy-profiles`, ADR 0019):
//! a profile from before schema v4 (an op-log of JSON text, which no phone ever wrote) is
//! refused with a typed error and left byte for byte as it was, never quarantined; a new
//! profile is created and used as in any build. A paused session whose snapshot is in the
//! JSON form of earlier versions cannot be resumed (ADR 0022): a typed error, and a fresh
//! start keeps the finished history. `tests/run` runs this file without default features;
//! with them (the default) the same old profile migrates (`store.rs`) and the JSON snapshot
//! resumes (`session::snapshot` unit tests).
#![cfg(not(feature = "legacy-profiles"))]

use chrono::{DateTime, Duration, TimeZone, Utc};
use talus_core::app::{AppError, Coach, IfOpen};
use talus_core::catalog::Catalog;
use talus_core::domain::{PlanVariant, SessionStatus};
use talus_core::progression::screening_questions;
use talus_core::safety::Answer;
use talus_core::session::{Effect, RunnerEvent, SessionError, SessionRunner};
use talus_core::store::{open_raw, Store, StoreError, LATEST_VERSION};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap()
}

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_profile_before_schema_v4_is_refused_and_left_untouched() {
    let catalog = Catalog::embedded().unwrap();
    for version in 1..4 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("talus.db");
        {
            let (store, _) = Store::open(&path, &catalog, now()).unwrap();
            store
                .create_session(now().date_naive(), "UTC", PlanVariant::Normal, now())
                .unwrap();
        }
        {
            let conn = open_raw(&path).unwrap();
            conn.execute_batch(&format!(
                "PRAGMA journal_mode = DELETE; PRAGMA user_version = {version};"
            ))
            .unwrap();
        }
        let before = files(dir.path());
        for _ in 0..2 {
            match Store::open(&path, &catalog, now()) {
                Err(StoreError::Outdated { found, oldest }) => {
                    assert_eq!((found, oldest), (version, 4));
                }
                other => panic!("v{version}: expected Outdated, got {other:?}"),
            }
            assert_eq!(files(dir.path()), before, "v{version}: the file changed");
        }
    }
}

#[test]
fn a_new_profile_is_created_and_used() {
    let catalog = Catalog::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let (store, report) = Store::open(&path, &catalog, now()).unwrap();
    assert!(report.created && report.quarantined.is_none());
    let session = store
        .create_session(now().date_naive(), "UTC", PlanVariant::Normal, now())
        .unwrap();
    drop(store);
    let (store, report) = Store::open(&path, &catalog, now()).unwrap();
    assert!(!report.created && report.migrated_from.is_none());
    assert_eq!(store.ops().unwrap().len(), 1);
    assert_eq!(store.session(session.id).unwrap().id, session.id);
    let version: u32 = open_raw(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, LATEST_VERSION);
}

#[test]
fn a_json_snapshot_cannot_resume_and_starting_begins_afresh_keeping_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let coach = Coach::open(&dir.path().join("p"), now()).unwrap();
    let no: Vec<(String, Answer)> = screening_questions("en")
        .into_iter()
        .map(|q| (q.id, Answer::No))
        .collect();
    coach.answer_screening(&no, now()).unwrap();
    // One finished session (stopped early), then one paused mid-way.
    let mut done = coach
        .start_session(now(), "UTC", IfOpen::Refuse)
        .unwrap()
        .session;
    let ms = now().timestamp_millis();
    coach
        .session_event(&mut done, RunnerEvent::Start, ms)
        .unwrap();
    let frame = coach
        .session_event(&mut done, RunnerEvent::Stop, ms + 1_000)
        .unwrap();
    assert!(frame.effects.contains(&Effect::SessionFinished));
    let later = now() + Duration::hours(1);
    let mut open = coach
        .start_session(later, "UTC", IfOpen::Refuse)
        .unwrap()
        .session;
    let ms = later.timestamp_millis();
    coach
        .session_event(&mut open, RunnerEvent::Start, ms)
        .unwrap();
    coach
        .session_event(&mut open, RunnerEvent::Pause, ms + 1_000)
        .unwrap();
    // The compact snapshot resumes here; the same runner in the JSON form does not.
    let resumed = coach.open_session().unwrap().expect("a paused session");
    assert_eq!(resumed.runner, open.runner);
    let json = serde_json::to_string(&open.runner).unwrap();
    assert!(matches!(
        SessionRunner::restore(&json, &Catalog::embedded().unwrap()),
        Err(SessionError::BadSnapshot(_))
    ));
    coach
        .store()
        .pause_session(open.id, &json, later + Duration::seconds(2))
        .unwrap();
    let before = coach.store().ops().unwrap().len();
    for _ in 0..2 {
        assert!(matches!(
            coach.open_session(),
            Err(AppError::Session(SessionError::BadSnapshot(_)))
        ));
    }
    assert_eq!(
        coach.store().ops().unwrap().len(),
        before,
        "a refusal wrote"
    );
    let stored = coach.store().session(open.id).unwrap();
    assert_eq!(stored.status, SessionStatus::Paused);
    assert_eq!(stored.snapshot.as_deref(), Some(json.as_str()));
    // Starting (the API's `start_session` resumes what it can) is not blocked by it: the
    // old session is kept as abandoned, a fresh one planned, the finished one as it was.
    let fresh = coach
        .start_session(later + Duration::minutes(1), "UTC", IfOpen::Resume)
        .unwrap();
    assert!(!fresh.resumed && fresh.session.id != open.id);
    assert_eq!(
        coach.store().session(open.id).unwrap().status,
        SessionStatus::Abandoned
    );
    assert_eq!(
        coach.open_session().unwrap().map(|s| s.id),
        Some(fresh.session.id)
    );
    let finished = coach.store().session(done.id).unwrap();
    assert_eq!(finished.status, SessionStatus::Finished);
    assert_eq!(finished.sets, done.runner.summary().sets);
}
