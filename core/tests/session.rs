//! Session runner tests: transitions, pain rules, pause/resume, snapshots, a golden frame
//! sequence for the two seed drills, and property tests over random event sequences.

use chrono::NaiveDate;
use proptest::prelude::*;
use talus_core::catalog::Catalog;
use talus_core::domain::{PlanVariant, PlannedItem, PlannedSession, Reason, Side};
use talus_core::session::{Effect, Frame, RunnerEvent as E, SessionError, SessionRunner, StepKind};

fn catalog() -> Catalog {
    Catalog::embedded().unwrap()
}

fn item(c: &Catalog, id: &str, level: u32, sides: Vec<Side>) -> PlannedItem {
    let d = c.drill(id).unwrap();
    PlannedItem {
        drill_id: id.into(),
        level,
        dose: d.dose(level).unwrap().clone(),
        sides,
        extra_set_side: None,
        reason: Reason::default(),
    }
}

fn plan(items: Vec<PlannedItem>) -> PlannedSession {
    PlannedSession {
        date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
        zone: "Europe/London".into(),
        locale: "en".into(),
        variant: PlanVariant::Normal,
        items,
        reasons: vec![],
    }
}

fn seed_plan(c: &Catalog) -> PlannedSession {
    plan(vec![
        item(c, "banded_df_mob", 0, vec![Side::Right, Side::Left]),
        item(
            c,
            "calf_stance_pron_sup_swings",
            0,
            vec![Side::Left, Side::Right],
        ),
    ])
}

/// Plays the shell: picks the natural next event for a frame and the time it happens.
fn natural(frame: &Frame, now: i64, pain: i64) -> (E, i64) {
    let v = &frame.view;
    match v.step {
        StepKind::NotStarted => (E::Start, now),
        StepKind::Intro => (E::VideoEnded, now + 15_000),
        StepKind::Work if v.rep.is_some() => (E::RepDone, now + 2_000),
        StepKind::Work | StepKind::EndRangePause | StepKind::SideSwitch | StepKind::Rest => {
            (E::Tick, now + i64::from(v.seconds_left.unwrap_or(1)) * 1000)
        }
        StepKind::PainCheck => (E::PainReported(pain), now + 1_000),
        StepKind::Summary => unreachable!(),
    }
}

fn run_through(runner: &mut SessionRunner, mut now: i64, pain: i64) -> Vec<Frame> {
    let mut frames = vec![runner.frame(now)];
    for _ in 0..10_000 {
        if runner.is_finished() {
            break;
        }
        let (event, at) = natural(frames.last().unwrap(), now, pain);
        now = at;
        frames.push(runner.handle(event, now).unwrap());
    }
    frames
}

#[test]
fn golden_full_session_of_the_seed_drills() {
    let c = catalog();
    let mut runner = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    let frames = run_through(&mut runner, 1_000_000, 1);
    assert!(runner.is_finished());
    let summary = runner.summary();
    // banded: 2 sets × 2 sides, swings: 2 sets × 2 sides.
    assert_eq!(summary.sets.len(), 8);
    assert!(summary
        .sets
        .iter()
        .all(|s| s.reps_done == s.target_reps && s.pain.map(|p| p.value()) == Some(1)));
    assert_eq!(
        summary.sets[0].side,
        Some(Side::Right),
        "starts on the chosen side"
    );
    let json = serde_json::to_string_pretty(&frames).unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/seed_session.json"
    );
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &json).unwrap();
    }
    let golden = std::fs::read_to_string(path).expect("golden file (UPDATE_GOLDEN=1 writes it)");
    assert_eq!(
        json, golden,
        "frame sequence changed; review and UPDATE_GOLDEN=1 if intended"
    );
}

#[test]
fn invalid_events_leave_state_unchanged() {
    let c = catalog();
    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    assert!(matches!(
        r.handle(E::RepDone, 0),
        Err(SessionError::InvalidEvent { .. })
    ));
    r.handle(E::Start, 0).unwrap();
    r.handle(E::VideoEnded, 10).unwrap();
    let before = r.clone();
    assert!(matches!(
        r.handle(E::PainReported(2), 20),
        Err(SessionError::InvalidEvent { .. })
    ));
    assert!(matches!(
        r.handle(E::PainReported(11), 20),
        Err(SessionError::PainOutOfRange(11))
    ));
    assert!(matches!(
        r.handle(E::SwitchSide, 20),
        Err(SessionError::InvalidEvent { .. })
    ));
    for bad in [i64::MIN, -1, i64::MAX] {
        assert!(matches!(
            r.handle(E::Tick, bad),
            Err(SessionError::InstantOutOfRange(_))
        ));
        // A frame never panics, whatever the instant.
        let _ = r.frame(bad);
    }
    assert_eq!(r, before);
}

#[test]
fn no_timestamp_wedges_a_session() {
    let c = catalog();
    let mut r = SessionRunner::new(
        &plan(vec![item(
            &c,
            "gastroc_wall_stretch",
            0,
            vec![Side::Left, Side::Right],
        )]),
        &c,
    )
    .unwrap();
    r.handle(E::Start, 1_000_000).unwrap();
    r.handle(E::VideoEnded, 1_010_000).unwrap();
    // A tick from a clock far in the future, then the real clock again.
    let far = 6_000_000_000_000;
    r.handle(E::Tick, far).unwrap();
    let f = r.handle(E::Tick, 1_020_000).unwrap();
    // The session goes on: every step still advances with real time and events.
    let mut now = 1_020_000;
    let mut frame = f;
    for _ in 0..200 {
        if frame.view.step == talus_core::session::StepKind::Summary {
            break;
        }
        now += 1_000;
        let ev = match frame.view.step {
            talus_core::session::StepKind::PainCheck => E::PainReported(1),
            _ => E::Tick,
        };
        frame = r.handle(ev, now).unwrap();
        if frame.view.seconds_left.is_some_and(|s| s > 120) {
            panic!("a deadline is stuck in the future: {:?}", frame.view);
        }
    }
    assert!(r.is_finished(), "the session finished on real time");
}

#[test]
fn rep_done_during_rest_is_rejected() {
    let c = catalog();
    let mut r = SessionRunner::new(
        &plan(vec![item(
            &c,
            "calf_stance_pron_sup_swings",
            0,
            vec![Side::Left],
        )]),
        &c,
    )
    .unwrap();
    let mut now = 0;
    let mut frame = r.handle(E::Start, now).unwrap();
    while frame.view.step != StepKind::Rest {
        let (e, at) = natural(&frame, now, 0);
        now = at;
        frame = r.handle(e, now).unwrap();
    }
    let before = r.clone();
    assert!(r.handle(E::RepDone, now + 1).is_err());
    assert_eq!(r, before);
}

#[test]
fn a_resumed_countdown_schedules_its_own_tick() {
    // A shell that only follows effects: the tick scheduled before a pause fires before the
    // shifted deadline and changes nothing, so resuming a rest or a side switch must schedule
    // the new one, or the session waits for a tap that nobody asked for.
    let c = catalog();
    for (step, sides) in [
        (StepKind::Rest, vec![Side::Left]),
        (StepKind::SideSwitch, vec![Side::Left, Side::Right]),
    ] {
        let mut r = SessionRunner::new(
            &plan(vec![item(&c, "calf_stance_pron_sup_swings", 0, sides)]),
            &c,
        )
        .unwrap();
        let mut now = 0;
        let mut frame = r.handle(E::Start, now).unwrap();
        while frame.view.step != step {
            let (e, at) = natural(&frame, now, 0);
            now = at;
            frame = r.handle(e, now).unwrap();
        }
        r.handle(E::Pause, now + 1_000).unwrap();
        let resumed = r.handle(E::Resume, now + 6_000).unwrap();
        let deadline = r.countdown_deadline_ms().expect("a running countdown");
        let ticks: Vec<i64> = resumed
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::ScheduleTick { at_ms } => Some(*at_ms),
                _ => None,
            })
            .collect();
        assert_eq!(ticks, vec![deadline], "{step:?}");
        let after = r.handle(E::Tick, deadline).unwrap();
        assert_ne!(
            after.view.step, step,
            "the scheduled tick ends the {step:?}"
        );
    }
}

fn drive_to_pain_check(r: &mut SessionRunner, mut now: i64) -> i64 {
    let mut frame = r.frame(now);
    while frame.view.step != StepKind::PainCheck {
        let (e, at) = natural(&frame, now, 0);
        now = at;
        frame = r.handle(e, now).unwrap();
    }
    now
}

#[test]
fn pain_free_drill_stops_at_three_and_offers_regression() {
    let c = catalog();
    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    let now = drive_to_pain_check(&mut r, 0);
    let f = r.handle(E::PainReported(3), now + 1).unwrap();
    let d = &r.summary().decisions[0];
    assert_eq!(d.code, "pain_free_limit_exceeded");
    assert_eq!(d.regression.as_deref(), Some("knee_to_wall_rocks"));
    // The runner reads the easier drill's name, never its id.
    let easier = c
        .drill("knee_to_wall_rocks")
        .unwrap()
        .text("en")
        .unwrap()
        .name
        .clone();
    assert!(d.message.contains(&easier), "{}", d.message);
    assert!(!d.message.contains("knee_to_wall_rocks"), "{}", d.message);
    assert!(r.summary().sets.iter().all(|s| s.stopped));
    // On to the next drill, not the next set.
    assert_eq!(f.view.step, StepKind::Intro);
    assert_eq!(f.view.drill_id, "calf_stance_pron_sup_swings");
}

#[test]
fn a_pain_stop_in_german_names_the_easier_drill_in_german() {
    let c = catalog();
    let mut p = seed_plan(&c);
    p.locale = "de".into();
    let mut r = SessionRunner::new(&p, &c).unwrap();
    let now = drive_to_pain_check(&mut r, 0);
    r.handle(E::PainReported(4), now + 1).unwrap();
    let d = &r.summary().decisions[0];
    let easier = c
        .drill("knee_to_wall_rocks")
        .unwrap()
        .text("de")
        .unwrap()
        .name
        .clone();
    assert!(d.message.contains(&easier), "{}", d.message);
    assert!(d.message.contains("schmerzfrei"), "{}", d.message);
    assert!(!d.message.contains('_'), "{}", d.message);
}

#[test]
fn pain_two_continues_a_pain_free_drill() {
    let c = catalog();
    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    let now = drive_to_pain_check(&mut r, 0);
    // The first side answered: on to the other side of the same set.
    let f = r.handle(E::PainReported(2), now + 1).unwrap();
    assert_eq!(f.view.step, StepKind::SideSwitch);
    assert!(r.summary().decisions.is_empty());
    let now = drive_to_pain_check(&mut r, now + 1);
    let f = r.handle(E::PainReported(2), now + 1).unwrap();
    assert_eq!(f.view.step, StepKind::Rest);
}

#[test]
fn each_side_answers_pain_for_itself() {
    let c = catalog();
    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    let now = drive_to_pain_check(&mut r, 0);
    let first = r.frame(now).view;
    assert_eq!(
        first.side,
        Some(Side::Right),
        "the question names the side just done"
    );
    assert!(first.controls.pain);
    r.handle(E::PainReported(1), now + 1).unwrap();
    let now = drive_to_pain_check(&mut r, now + 1);
    assert_eq!(r.frame(now).view.side, Some(Side::Left));
    assert_eq!(r.frame(now).view.set, 1, "still the first set");
    r.handle(E::PainReported(2), now + 1).unwrap();
    let pains: Vec<(Option<Side>, Option<u8>)> = r
        .summary()
        .sets
        .iter()
        .map(|s| (s.side, s.pain.map(|p| p.value())))
        .collect();
    assert_eq!(
        pains,
        vec![(Some(Side::Right), Some(1)), (Some(Side::Left), Some(2))]
    );
}

#[test]
fn a_side_that_hurts_stops_the_drill_before_the_other_side_is_loaded() {
    let c = catalog();
    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    let now = drive_to_pain_check(&mut r, 0);
    let f = r.handle(E::PainReported(3), now + 1).unwrap();
    assert_eq!(f.view.step, StepKind::Intro);
    assert_eq!(f.view.drill_id, "calf_stance_pron_sup_swings");
    let sets = &r.summary().sets;
    assert_eq!(sets.len(), 1, "the other leg was not loaded: {sets:?}");
    assert_eq!(sets[0].side, Some(Side::Right));
    assert!(sets[0].stopped);
}

#[test]
fn a_stretch_is_not_pain() {
    let c = catalog();
    // On a pain-free drill, where pain of 3 would stop it.
    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    let now = drive_to_pain_check(&mut r, 0);
    let before = r.clone();
    let f = r.handle(E::StretchReported, now + 1).unwrap();
    assert_eq!(f.view.step, StepKind::SideSwitch);
    assert!(r.summary().decisions.is_empty());
    let set = &r.summary().sets[0];
    assert!(set.stretch && !set.stopped);
    assert_eq!(set.pain.map(|p| p.value()), Some(0));
    // A pain answer is never a stretch.
    let mut r = before;
    r.handle(E::PainReported(1), now + 1).unwrap();
    assert!(!r.summary().sets[0].stretch);
    // Only the pain check takes it.
    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    r.handle(E::Start, 0).unwrap();
    let before = r.clone();
    assert!(r.handle(E::StretchReported, 1).is_err());
    assert_eq!(r, before);
}

#[test]
fn monitored_drill_accepts_five_and_stops_above() {
    let c = catalog();
    for (pain, stops) in [(5, false), (6, true)] {
        let mut r = SessionRunner::new(
            &plan(vec![item(&c, "double_leg_calf_raise", 0, vec![])]),
            &c,
        )
        .unwrap();
        let now = drive_to_pain_check(&mut r, 0);
        let f = r.handle(E::PainReported(pain), now + 1).unwrap();
        assert_eq!(f.view.step == StepKind::Summary, stops, "pain {pain}");
        if stops {
            assert_eq!(r.summary().decisions[0].code, "monitored_limit_exceeded");
        }
    }
}

#[test]
fn severe_pain_and_red_flags_end_the_session_with_referral() {
    let c = catalog();
    let mut r = SessionRunner::new(
        &plan(vec![item(&c, "double_leg_calf_raise", 0, vec![])]),
        &c,
    )
    .unwrap();
    let now = drive_to_pain_check(&mut r, 0);
    let f = r.handle(E::PainReported(7), now + 1).unwrap();
    assert_eq!(f.view.step, StepKind::Summary);
    assert!(f.effects.contains(&Effect::SessionFinished));
    assert!(r.summary().referral);
    assert_eq!(r.summary().decisions[0].code, "severe_pain_referral");

    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    r.handle(E::Start, 0).unwrap();
    let f = r
        .handle(E::RedFlagReported("calf_hot_swollen".into()), 5)
        .unwrap();
    assert_eq!(f.view.step, StepKind::Summary);
    assert_eq!(r.summary().decisions[0].code, "red_flag_referral");
}

#[test]
fn short_pause_resumes_exactly_and_long_gap_restarts_the_set() {
    let c = catalog();
    let mut r = SessionRunner::new(
        &plan(vec![item(&c, "gastroc_wall_stretch", 0, vec![Side::Left])]),
        &c,
    )
    .unwrap();
    r.handle(E::Start, 0).unwrap();
    let f = r.handle(E::VideoEnded, 1_000).unwrap();
    assert_eq!(f.view.seconds_left, Some(30));
    r.handle(E::Tick, 11_000).unwrap();
    let paused = r.handle(E::Pause, 11_000).unwrap();
    assert_eq!(paused.view.seconds_left, Some(20));
    assert!(paused.view.controls.resume && !paused.view.controls.pause);
    assert!(r.handle(E::RepDone, 12_000).is_err());
    let resumed = r.handle(E::Resume, 611_000).unwrap();
    assert_eq!(
        resumed.view.seconds_left,
        Some(20),
        "ten minutes paused change nothing"
    );

    r.handle(E::Pause, 612_000).unwrap();
    let back = r.handle(E::Resume, 612_000 + 31 * 60_000).unwrap();
    assert_eq!(back.view.step, StepKind::Work);
    assert_eq!(
        back.view.seconds_left,
        Some(30),
        "a long gap restarts the set"
    );
    assert_eq!(
        r.summary().decisions.last().unwrap().code,
        "long_gap_restart_set"
    );
}

#[test]
fn snapshot_restores_to_identical_frames() {
    let c = catalog();
    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    let mut now = 0;
    let mut frame = r.handle(E::Start, now).unwrap();
    for _ in 0..17 {
        let (e, at) = natural(&frame, now, 1);
        now = at;
        frame = r.handle(e, now).unwrap();
    }
    let snap = r.snapshot().unwrap();
    let mut restored = SessionRunner::restore(&snap, &c).unwrap();
    assert_eq!(restored, r);
    let a = run_through(&mut r, now, 1);
    let b = run_through(&mut restored, now, 1);
    assert_eq!(a, b);
    assert!(matches!(
        SessionRunner::restore("{\"version\":9}", &c),
        Err(SessionError::BadSnapshot(_))
    ));
    assert!(matches!(
        SessionRunner::restore("garbage", &c),
        Err(SessionError::BadSnapshot(_))
    ));
}

#[test]
fn skip_drill_and_stop_are_logged() {
    let c = catalog();
    let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
    r.handle(E::Start, 0).unwrap();
    let f = r.handle(E::SkipDrill, 10).unwrap();
    assert_eq!(f.view.drill_id, "calf_stance_pron_sup_swings");
    assert!(f.view.progress > 0.49 && f.view.progress < 0.51);
    assert_eq!(
        r.summary().skipped_drills,
        vec!["banded_df_mob".to_string()]
    );
    let f = r.handle(E::Stop, 20).unwrap();
    assert_eq!(f.view.step, StepKind::Summary);
    assert!(r.summary().stopped_early);
    assert!(r.handle(E::Tick, 30).is_err(), "nothing after the summary");
}

#[test]
fn extra_set_for_the_stiffer_side_and_mirroring() {
    let c = catalog();
    let mut it = item(&c, "banded_df_mob", 0, vec![Side::Left, Side::Right]);
    it.extra_set_side = Some(Side::Left);
    let mut r = SessionRunner::new(&plan(vec![it]), &c).unwrap();
    let frames = run_through(&mut r, 0, 0);
    let sets = &r.summary().sets;
    assert_eq!(
        sets.iter().filter(|s| s.side == Some(Side::Left)).count(),
        3
    );
    assert_eq!(
        sets.iter().filter(|s| s.side == Some(Side::Right)).count(),
        2
    );
    let mirrored: Vec<bool> = frames
        .iter()
        .flat_map(|f| f.effects.iter())
        .filter_map(|e| match e {
            Effect::PlayVideo {
                looped: true,
                mirrored,
                ..
            } => Some(*mirrored),
            _ => None,
        })
        .collect();
    assert!(mirrored.contains(&true) && mirrored.contains(&false));
}

fn event_strategy() -> impl Strategy<Value = E> {
    prop_oneof![
        3 => Just(E::Tick),
        5 => Just(E::RepDone),
        2 => Just(E::VideoEnded),
        1 => Just(E::Pause),
        1 => Just(E::Resume),
        1 => Just(E::SkipStep),
        1 => Just(E::SwitchSide),
        2 => (0i64..=6).prop_map(E::PainReported),
        1 => Just(E::StretchReported),
        1 => (-2i64..=12).prop_map(E::PainReported),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn random_event_sequences_keep_the_invariants(
        events in proptest::collection::vec((event_strategy(), 0i64..20_000), 1..250)
    ) {
        let c = catalog();
        let mut r = SessionRunner::new(&seed_plan(&c), &c).unwrap();
        let mut now = 0;
        r.handle(E::Start, now).unwrap();
        let mut last_progress = 0.0;
        let mut switches = std::collections::HashMap::new();
        for (event, dt) in events {
            now += dt;
            let before = r.clone();
            match r.handle(event, now) {
                Ok(frame) => {
                    prop_assert!(frame.view.progress + 1e-9 >= last_progress);
                    last_progress = frame.view.progress;
                    if let (Some(rep), Some(reps)) = (frame.view.rep, frame.view.reps) {
                        prop_assert!(rep <= reps);
                    }
                    if frame.view.step == StepKind::SideSwitch && before.frame(now).view.step != StepKind::SideSwitch {
                        *switches.entry((frame.view.drill_id.clone(), frame.view.set)).or_insert(0) += 1;
                    }
                    let restored = SessionRunner::restore(&r.snapshot().unwrap(), &c).unwrap();
                    prop_assert_eq!(restored.frame(now), r.frame(now));
                }
                Err(_) => prop_assert_eq!(&r, &before),
            }
        }
        for set in &r.summary().sets {
            if let (Some(done), Some(target)) = (set.reps_done, set.target_reps) {
                prop_assert!(done <= target);
            }
        }
        for ((drill, set), n) in switches {
            prop_assert!(n <= 1, "{} set {} switched {} times", drill, set, n);
        }
    }
}
