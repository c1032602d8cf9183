//! The coaching contract end to end through the public API: screening, check-in, plan, a
//! guided session to its stored summary, resume after the app is killed, and the lock.

use std::sync::Arc;

use talus_ffi::{
    Answer, CheckInInput, Engine, FrameInfo, MorningStatus, PlanVariant, SafetyStatus,
    ScreeningAnswer, SessionEvent as E, SessionOutcome, SessionStatus, Step, TalusError,
};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28T20:26Z

fn open(dir: &tempfile::TempDir) -> Arc<Engine> {
    Engine::open(dir.path().join("p").to_string_lossy().into(), NOW).unwrap()
}

fn all(e: &Engine, answer: ScreeningAnswer) -> Vec<Answer> {
    e.screening_questions("en".into())
        .into_iter()
        .map(|q| Answer {
            question_id: q.id,
            answer,
        })
        .collect()
}

/// A profile whose first-run screening was answered all "no".
fn screened(dir: &tempfile::TempDir) -> Arc<Engine> {
    let e = open(dir);
    e.submit_screening(all(&e, ScreeningAnswer::No), NOW - 1000)
        .unwrap();
    e
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
    assert!(matches!(
        Arc::clone(&e).start_session(NOW, "UTC".into()),
        Err(TalusError::ScreeningNeeded { .. })
    ));
    assert_eq!(
        e.today(NOW, "UTC".into()).unwrap().variant,
        PlanVariant::ScreeningNeeded
    );
    assert!(
        !e.submit_screening(all(&e, ScreeningAnswer::No), NOW)
            .unwrap()
            .locked
    );
    let morning = e.morning_checkin(checkin(1, vec![]), NOW).unwrap();
    assert_eq!(morning.status, MorningStatus::Green);
    let plan = e.today(NOW, "UTC".into()).unwrap();
    assert_eq!(plan.variant, PlanVariant::Normal);
    assert!(!plan.items.is_empty());
    // A new runner starts every drill on its first level, which the API calls 1 (ADR 0012).
    assert!(plan.items.iter().all(|i| i.level == 1), "{:?}", plan.items);
    for item in &plan.items {
        let drill = e.drill(item.drill_id.clone(), "en".into()).unwrap();
        let dose = &drill.dosage[usize::try_from(item.level - 1).unwrap()];
        assert_eq!(item.reps, dose.reps, "{}", item.drill_id);
        let level = item.reason.numbers.iter().find(|n| n.name == "level");
        assert_eq!(level.map(|n| n.value), Some(1.0), "{:?}", item.reason);
    }

    let session = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
    let mut now = NOW;
    let mut frame = session.frame(now).unwrap();
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
    assert_eq!(history[0].outcome, Some(SessionOutcome::Finished));
    assert!(history[0].sets.len() >= plan.items.len());
    assert!(history[0].sets.iter().all(|s| s.pain == Some(1)));
    assert!(history[0].sets.iter().all(|s| s.level == 1));
    assert!(matches!(
        session.handle(E::Tick, now + 1),
        Err(TalusError::InvalidInput { .. })
    ));
}

#[test]
fn a_killed_app_resumes_the_session_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (id, frame, now) = {
        let e = screened(&dir);
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
    let again = resumed.frame(now).unwrap();
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
    let e = screened(&dir);
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
    assert_eq!(
        e.recent_sessions(1).unwrap()[0].outcome,
        Some(SessionOutcome::EndedForRedFlag)
    );
    let state = e.safety_state().unwrap();
    assert_eq!(
        (state.status, state.reasons.len()),
        (SafetyStatus::Locked, 1)
    );
    assert!(matches!(
        e.confirm_clinician_clearance("".into(), "2026-05-28".into(), NOW + 20, "UTC".into()),
        Err(TalusError::InvalidInput { .. })
    ));
    let cleared = e
        .confirm_clinician_clearance(
            "Dr Weber".into(),
            "2026-05-28".into(),
            NOW + 20,
            "UTC".into(),
        )
        .unwrap();
    assert_eq!(cleared.status, SafetyStatus::Cleared);
    assert_eq!(cleared.clinician.as_deref(), Some("Dr Weber"));
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

#[test]
fn record_checkin_locks_like_morning_checkin() {
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    e.record_checkin(checkin(0, vec!["heel_pop".into()]), NOW)
        .unwrap();
    assert!(e.safety_state().unwrap().locked);
    assert_eq!(
        e.today(NOW, "UTC".into()).unwrap().variant,
        PlanVariant::Locked
    );
}

#[test]
fn not_sure_locks_like_yes() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir);
    let mut answers = all(&e, ScreeningAnswer::No);
    answers[3].answer = ScreeningAnswer::NotSure;
    let info = e.submit_screening(answers, NOW).unwrap();
    assert!(info.locked && info.blocked);
    assert_eq!(info.referral.unwrap().code, "red_flag_urgent");
}

#[test]
fn severe_pain_pauses_until_the_follow_up() {
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
    assert!(!s.resumed());
    assert!(s.plan().is_some());
    let mut now = NOW;
    let mut f = s.frame(now).unwrap();
    while f.step != Step::PainCheck {
        let (ev, at) = natural(&f, now);
        now = at;
        f = s.handle(ev, now).unwrap();
    }
    now += 1000;
    let f = s.handle(E::PainReported { pain: 8 }, now).unwrap();
    assert_eq!(f.step, Step::Summary);
    let history = e.recent_sessions(1).unwrap();
    assert_eq!(history[0].outcome, Some(SessionOutcome::EndedForPain));
    let state = e.safety_state().unwrap();
    assert_eq!((state.status, state.pain), (SafetyStatus::Paused, Some(8)));
    assert_eq!(
        e.today(now, "UTC".into()).unwrap().variant,
        PlanVariant::Paused
    );
    assert!(matches!(
        Arc::clone(&e).start_session(now, "UTC".into()),
        Err(TalusError::Paused { .. })
    ));
    let answers: Vec<Answer> = e
        .follow_up_questions("en".into())
        .into_iter()
        .map(|q| Answer {
            question_id: q.id,
            answer: ScreeningAnswer::No,
        })
        .collect();
    let out = e.submit_follow_up(answers, now + 60_000).unwrap();
    assert!(out.resumed);
    assert_eq!(out.safety.status, SafetyStatus::Clear);
    assert_eq!(
        e.today(now + 60_000, "UTC".into()).unwrap().variant,
        PlanVariant::Normal
    );
}

#[test]
fn an_open_session_is_resumed_or_discarded_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    let first = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
    first.handle(E::Start, NOW).unwrap();
    first.handle(E::Pause, NOW + 1000).unwrap();
    let again = Arc::clone(&e)
        .start_session(NOW + 2000, "UTC".into())
        .unwrap();
    assert!(again.resumed());
    assert_eq!(again.id(), first.id());
    e.discard_session(first.id(), NOW + 3000).unwrap();
    let fresh = Arc::clone(&e)
        .start_session(NOW + 4000, "UTC".into())
        .unwrap();
    assert!(!fresh.resumed());
    assert_ne!(fresh.id(), first.id());
}

#[test]
fn no_instant_panics_at_the_boundary() {
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
    for t in [i64::MIN, -1, i64::MAX] {
        assert!(matches!(s.frame(t), Err(TalusError::InvalidInput { .. })));
        assert!(matches!(
            s.handle(E::Start, t),
            Err(TalusError::InvalidInput { .. })
        ));
        assert!(matches!(
            e.today(t, "UTC".into()),
            Err(TalusError::InvalidInput { .. })
        ));
    }
    assert!(matches!(
        Engine::open(String::new(), NOW),
        Err(TalusError::InvalidInput { .. })
    ));
}
