//! The session history screens through the public API: the detail of a session (per drill
//! and leg, decisions in words, duration), correcting a logged set, and how corrections and
//! deletes of sessions travel between devices (an edit after a delete brings it back).

mod common;

use std::sync::Arc;

use talus_ffi::{
    CheckInInput, Engine, ErrorKind, FrameInfo, SessionEvent as E, SetCorrectionInput, Step,
    TalusError,
};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28T20:26Z

fn open(dir: &tempfile::TempDir, name: &str) -> Arc<Engine> {
    let e = common::open_profile(dir, name, NOW - 5000);
    common::screen_all_no(&e, "en", NOW - 4000);
    e.morning_checkin(
        CheckInInput {
            at_ms: NOW - 3000,
            zone: "UTC".into(),
            pain_calf: 0,
            pain_achilles: 0,
            pain_ankle: 1,
            stiffness_calf: 1,
            stiffness_achilles: 0,
            stiffness_ankle: 1,
            red_flags_yes: vec![],
            run_id: None,
        },
        NOW - 3000,
    )
    .unwrap();
    e
}

fn step(f: &FrameInfo, now: i64, pain: i32) -> (E, i64) {
    match f.step {
        Step::NotStarted => (E::Start, now),
        Step::Intro => (E::VideoEnded, now + 10_000),
        Step::Work if f.rep.is_some() => (E::RepDone, now + 2_000),
        Step::PainCheck => (E::PainReported { pain }, now + 1_000),
        _ => (E::Tick, now + f.time_left_ms.unwrap_or(1_000)),
    }
}

/// Runs today's session to its end, answering `pain` after every set, with one pause of
/// a minute after the start; returns the session id and the end instant.
fn run_session(e: &Arc<Engine>, pain: i32) -> (String, i64) {
    let s = Arc::clone(e).start_session(NOW, "UTC".into()).unwrap();
    let mut now = NOW;
    s.handle(E::Start, now).unwrap();
    assert!(s.handle(E::Pause, now + 1000).unwrap().paused);
    now += 61_000;
    let mut frame = s.handle(E::Resume, now).unwrap();
    let mut n = 0;
    while frame.step != Step::Summary {
        let (event, at) = step(&frame, now, pain);
        now = at;
        frame = s.handle(event, now).unwrap();
        n += 1;
        assert!(n < 20_000);
    }
    (s.id(), now)
}

#[test]
fn a_session_in_detail_names_drills_and_sums_what_was_done() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir, "p");
    let (id, end) = run_session(&e, 1);
    let d = e.session_detail(id.clone()).unwrap();
    assert_eq!(d.session.id, id);
    assert!(!d.drills.is_empty());
    let sets: i32 = d.drills.iter().map(|x| x.sets_done + x.sets_skipped).sum();
    assert_eq!(usize::try_from(sets).unwrap(), d.session.sets.len());
    for drill in &d.drills {
        assert_ne!(drill.drill_name, drill.drill_id, "named, not shown by id");
        assert_eq!(drill.level, 1);
        assert!(drill.pains.iter().all(|p| *p == 1));
        assert_eq!(drill.max_pain, Some(1));
        assert!(drill.reps_done.is_some() || drill.hold_done_ms.is_some());
        assert!(!drill.stopped && drill.stop_reason.is_none());
    }
    assert!(d.decisions.is_empty());
    assert_eq!(d.total_ms, Some(end - NOW));
    // Not a UUID, and an unknown session.
    assert!(matches!(
        e.session_detail("x".into()),
        Err(TalusError::InvalidInput { ref cause_code, .. }) if cause_code == "bad_id"
    ));
    let unknown = e.session_detail(uuid_like()).unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
}

fn uuid_like() -> String {
    "00000000-0000-4000-8000-000000000000".into()
}

#[test]
fn a_pain_stop_is_explained_with_the_easier_drill_named() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir, "p");
    // 4/10 stops every pain-free drill (limit 3) but no monitored one (limit 5).
    let (id, _) = run_session(&e, 4);
    let d = e.session_detail(id).unwrap();
    let stopped: Vec<_> = d.drills.iter().filter(|x| x.stopped).collect();
    assert!(!stopped.is_empty(), "{:?}", d.drills);
    for drill in &stopped {
        let why = drill.stop_reason.as_ref().unwrap();
        assert_eq!(why.code, "pain_free_limit_exceeded");
        assert!(why
            .numbers
            .iter()
            .any(|n| n.name == "pain" && n.value == 4.0));
        assert!(
            !why.message.contains('_'),
            "no id in user text: {}",
            why.message
        );
    }
    assert!(d
        .decisions
        .iter()
        .any(|r| r.code == "pain_free_limit_exceeded"));
}

#[test]
fn a_wrong_pain_answer_is_corrected_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir, "p");
    let (id, end) = run_session(&e, 1);
    let first = e.session_detail(id.clone()).unwrap().session.sets[0].clone();
    let fix = SetCorrectionInput {
        drill_id: first.drill_id.clone(),
        side: first.side,
        set_index: first.set_index,
        pain: Some(2),
        reps_done: first.reps_done,
        hold_done_ms: first.hold_done_ms,
    };
    let after = e
        .correct_session_set(id.clone(), fix.clone(), end + 1000)
        .unwrap();
    assert_eq!(after.session.sets[0].pain, Some(2));
    assert_eq!(
        after.session.sets.len(),
        e.session(id.clone()).unwrap().sets.len()
    );
    assert!(after.session.sets[1..].iter().all(|s| s.pain == Some(1)));
    assert_eq!(e.session(id.clone()).unwrap().sets[0].pain, Some(2));
    // Bad values and unknown sets change nothing.
    let before = e.session(id.clone()).unwrap();
    let bad = |c: SetCorrectionInput| e.correct_session_set(id.clone(), c, end + 2000);
    let err = bad(SetCorrectionInput {
        pain: Some(11),
        ..fix.clone()
    })
    .unwrap_err();
    assert_eq!(
        (err.code(), err.cause_code()),
        ("invalid_input", "bad_value")
    );
    assert_eq!(
        bad(SetCorrectionInput {
            set_index: 99,
            ..fix.clone()
        })
        .unwrap_err()
        .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        bad(SetCorrectionInput {
            hold_done_ms: Some(-1),
            ..fix.clone()
        })
        .unwrap_err()
        .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(e.session(id.clone()).unwrap(), before);
}

#[test]
fn an_open_session_is_not_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir, "p");
    let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
    s.handle(E::Start, NOW).unwrap();
    let err = e
        .correct_session_set(
            s.id(),
            SetCorrectionInput {
                drill_id: "x".into(),
                side: None,
                set_index: 0,
                pain: Some(1),
                reps_done: None,
                hold_done_ms: None,
            },
            NOW + 1000,
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.cause_code()),
        ("conflict", "state_changed")
    );
}

fn exchange(from: &Engine, to: &Engine, now: i64) -> talus_ffi::SyncReport {
    to.import_segment(from.export_for_device(to.device_id()).unwrap(), now)
        .unwrap()
}

#[test]
fn session_corrections_and_deletes_sync_and_an_edit_beats_a_concurrent_delete() {
    let dir = tempfile::tempdir().unwrap();
    let phone = open(&dir, "phone");
    let tablet = Engine::open(dir.path().join("tablet").to_string_lossy().into(), NOW).unwrap();
    let (id, end) = run_session(&phone, 1);
    exchange(&phone, &tablet, end);
    let sets = tablet.session(id.clone()).unwrap().sets;
    assert_eq!(sets.len(), phone.session(id.clone()).unwrap().sets.len());
    let first = sets[0].clone();
    let fix = SetCorrectionInput {
        drill_id: first.drill_id.clone(),
        side: first.side,
        set_index: first.set_index,
        pain: Some(3),
        reps_done: first.reps_done,
        hold_done_ms: first.hold_done_ms,
    };
    // A correction travels.
    phone
        .correct_session_set(id.clone(), fix.clone(), end + 1)
        .unwrap();
    exchange(&phone, &tablet, end + 2);
    assert_eq!(tablet.session(id.clone()).unwrap().sets[0].pain, Some(3));
    // Offline on both: the tablet deletes the session, then the phone corrects it again.
    tablet.delete_session(id.clone(), end + 10).unwrap();
    phone
        .correct_session_set(
            id.clone(),
            SetCorrectionInput {
                pain: Some(2),
                ..fix.clone()
            },
            end + 20,
        )
        .unwrap();
    let to_phone = exchange(&tablet, &phone, end + 30);
    let to_tablet = exchange(&phone, &tablet, end + 30);
    assert!(
        to_phone
            .kept_after_delete
            .iter()
            .chain(&to_tablet.kept_after_delete)
            .any(|k| k.contains(&id)),
        "{to_phone:?} {to_tablet:?}"
    );
    for e in [&phone, &tablet] {
        let s = e.session(id.clone()).unwrap();
        assert_eq!(s.sets.len(), sets.len(), "every set came back");
        assert_eq!(s.sets[0].pain, Some(2));
    }
    // A delete made after the last edit wins on both devices.
    phone.delete_session(id.clone(), end + 40).unwrap();
    exchange(&phone, &tablet, end + 50);
    for e in [&phone, &tablet] {
        assert_eq!(
            e.session(id.clone()).unwrap_err().kind(),
            ErrorKind::NotFound
        );
    }
}
