//! The coaching contract end to end through the public API: screening, check-in, plan, a
//! guided session to its stored summary, resume after the app is killed, and the lock.

use std::sync::Arc;

use talus_ffi::{
    Answer, CheckInInput, Engine, FrameInfo, MorningStatus, PlanVariant, SessionEvent as E,
    SessionStatus, Step, TalusError,
};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28T20:26Z

fn open(dir: &tempfile::TempDir) -> Arc<Engine> {
    Engine::open(dir.path().join("p").to_string_lossy().into(), NOW).unwrap()
}

fn checkin(pain: i32, flags: Vec<String>) -> CheckInInput {
    CheckInInput {
        at_ms: NOW - 60_000,
        zone: "UTC".into(),
        pain_calf: 0,
        pain_achilles: 0,
        pain_ankle: pain,
        stiffness_calf: 1,
        stiffness_achilles: 0,
        stiffness_ankle: 1,
        red_flags_yes: flags,
        run_id: None,
    }
}

fn natural(f: &FrameInfo, now: i64) -> (E, i64) {
    match f.step {
        Step::NotStarted => (E::Start, now),
        Step::Intro => (E::VideoEnded, now + 10_000),
        Step::Work if f.rep.is_some() => (E::RepDone, now + 2_000),
        Step::PainCheck => (E::PainReported { pain: 1 }, now + 1_000),
        _ => (E::Tick, now + f.time_left_ms.unwrap_or(1_000)),
    }
}

#[test]
fn screening_checkin_plan_session_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir);
    let questions = e.screening_questions("en".into());
    let answers = questions
        .iter()
        .map(|q| Answer {
            question_id: q.id.clone(),
            yes: false,
        })
        .collect();
    assert!(!e.submit_screening(answers, NOW).unwrap().locked);
    let morning = e.morning_checkin(checkin(1, vec![]), NOW).unwrap();
    assert_eq!(morning.status, MorningStatus::Green);
    let plan = e.today(NOW, "UTC".into()).unwrap();
    assert_eq!(plan.variant, PlanVariant::Normal);
    assert!(!plan.items.is_empty());

    let session = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
    let mut now = NOW;
    let mut frame = session.frame(now);
    let mut events = 0;
    while frame.step != Step::Summary {
        let (event, at) = natural(&frame, now);
        now = at;
        frame = session.handle(event, now).unwrap();
        events += 1;
        assert!(events < 20_000);
    }
    assert_eq!(frame.progress, 1.0);
    let history = e.recent_sessions(5).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].status, SessionStatus::Finished);
    assert!(history[0].sets.len() >= plan.items.len());
    assert!(history[0].sets.iter().all(|s| s.pain == Some(1)));
    assert!(matches!(
        session.handle(E::Tick, now + 1),
        Err(TalusError::InvalidInput { .. })
    ));
}

#[test]
fn a_killed_app_resumes_the_session_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (id, frame, now) = {
        let e = open(&dir);
        let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
        let mut now = NOW;
        let mut f = s.handle(E::Start, now).unwrap();
        for _ in 0..12 {
            let (ev, at) = natural(&f, now);
            now = at;
            f = s.handle(ev, now).unwrap();
        }
        now += 1_000;
        let f = s.handle(E::Pause, now).unwrap();
        (s.id(), f, now)
    };
    let e = open(&dir);
    let resumed = Arc::clone(&e)
        .resume_session()
        .unwrap()
        .expect("open session");
    assert_eq!(resumed.id(), id);
    let again = resumed.frame(now);
    assert_eq!(
        (again.step, again.set, again.rep, again.paused),
        (frame.step, frame.set, frame.rep, true)
    );
    let f = resumed.handle(E::Resume, now + 5_000).unwrap();
    assert!(!f.paused);
}

#[test]
fn red_flags_lock_the_drills_until_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir);
    let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
    s.handle(E::Start, NOW).unwrap();
    let bad = s.handle(
        E::RedFlagReported {
            question_id: "not_a_question".into(),
        },
        NOW + 1,
    );
    assert!(matches!(bad, Err(TalusError::InvalidInput { .. })));
    let f = s
        .handle(
            E::RedFlagReported {
                question_id: "calf_swollen_hot".into(),
            },
            NOW + 2,
        )
        .unwrap();
    assert_eq!(f.step, Step::Summary);
    assert!(f.decisions.iter().any(|d| d.code == "red_flag_referral"));
    assert_eq!(
        e.today(NOW + 10, "UTC".into()).unwrap().variant,
        PlanVariant::Locked
    );
    assert!(matches!(
        Arc::clone(&e).start_session(NOW + 10, "UTC".into()),
        Err(TalusError::Locked { .. })
    ));
    assert!(!e.confirm_clinician_clearance(true, NOW + 20).unwrap());
    assert_ne!(
        e.today(NOW + 30, "UTC".into()).unwrap().variant,
        PlanVariant::Locked
    );
    // A red flag in the morning check-in locks too.
    let m = e
        .morning_checkin(checkin(0, vec!["heel_pop".into()]), NOW + 40)
        .unwrap();
    assert_eq!(m.status, MorningStatus::Red);
    assert_eq!(
        e.today(NOW + 50, "UTC".into()).unwrap().variant,
        PlanVariant::Locked
    );
}
