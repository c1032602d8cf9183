//! The safety loop across every entry point of the application layer, on two profiles that
//! sync: a property test drives random sequences of screenings, check-ins (morning and after
//! a run), guided-session events (pain, severe pain, a red flag), follow-up screenings, run
//! imports, clinician clearances and syncs, and checks after every step that
//! - a "yes" or "not sure" anywhere locks until a clearance that saw it;
//! - nothing is planned or startable (or resumable) while locked or paused;
//! - lock, pause and clearance converge once the two profiles have synced both ways.
//!
//! Also: history merged from a peer whose clock runs fast never blocks planning.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use talus_core::app::{AppError, CheckInKind, Coach, IfOpen};
use talus_core::domain::{CheckIn, PlanVariant, RegionScores, RunRecord, Score, SessionStatus};
use talus_core::progression::screening_questions;
use talus_core::safety::{Answer, SafetyStatus, FOLLOW_UP_QUESTION_IDS};
use talus_core::session::{Effect, RunnerEvent, SessionError, StepKind};
use talus_core::store::new_id;

const ZONE: &str = "UTC";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 6, 0, 0).unwrap()
}

fn questions() -> Vec<String> {
    screening_questions("en")
        .into_iter()
        .map(|q| q.id)
        .collect()
}

fn checkin(at: DateTime<Utc>, pain: i64, flags: Vec<String>, run: Option<uuid::Uuid>) -> CheckIn {
    let p = Score::new(pain).unwrap();
    CheckIn {
        id: new_id(at),
        at,
        zone: ZONE.into(),
        pain: RegionScores {
            calf: Score::ZERO,
            achilles: Score::ZERO,
            ankle: p,
        },
        stiffness: RegionScores::default(),
        red_flags_yes: flags,
        run_id: run,
    }
}

fn sync(from: &Coach, to: &Coach, now: DateTime<Utc>) {
    let segment = from
        .store()
        .segment_for_peer(to.store().device_id())
        .unwrap();
    to.store().import_segment(&segment, now).unwrap();
}

/// What the model expects of one profile: the red flags and severe-pain stops it has seen
/// (by a model-side token), and which of them a resolution it has seen covers.
#[derive(Debug, Clone, Default, PartialEq)]
struct Known {
    screened: bool,
    flags: BTreeSet<u32>,
    stops: BTreeSet<u32>,
    /// Flags and stops covered by a clearance this profile has seen.
    cleared: BTreeSet<u32>,
    /// Stops covered by a passed follow-up this profile has seen.
    followed_up: BTreeSet<u32>,
    clearances: u32,
}

impl Known {
    fn open_flags(&self) -> usize {
        self.flags.difference(&self.cleared).count()
    }

    fn open_stops(&self) -> usize {
        self.stops
            .iter()
            .filter(|s| !self.cleared.contains(s) && !self.followed_up.contains(s))
            .count()
    }

    fn status(&self) -> SafetyStatus {
        if self.open_flags() > 0 {
            SafetyStatus::Locked
        } else if self.open_stops() > 0 {
            SafetyStatus::Paused
        } else if self.clearances > 0 {
            SafetyStatus::Cleared
        } else {
            SafetyStatus::Clear
        }
    }

    fn merge(&mut self, other: &Known) {
        self.screened |= other.screened;
        self.flags.extend(&other.flags);
        self.stops.extend(&other.stops);
        self.cleared.extend(&other.cleared);
        self.followed_up.extend(&other.followed_up);
        // Only whether any clearance exists matters to the state.
        self.clearances = self.clearances.max(other.clearances);
    }
}

/// One step on one of the two profiles (`on` = 0 or 1).
#[derive(Debug, Clone)]
enum Step {
    /// The screening: answers by question index (others "no").
    Screening(Vec<(usize, Answer)>),
    MorningCheckIn {
        pain: i64,
        flag: Option<usize>,
    },
    PostRunCheckIn {
        pain: i64,
        flag: Option<usize>,
    },
    /// A guided session: the pain answers in order (≥ 7 ends it for pain), then either a red
    /// flag, a stop, or leaving it open.
    Session {
        pains: Vec<i64>,
        end: SessionEnd,
    },
    FollowUp(Vec<Answer>),
    ImportRun {
        minutes: i64,
    },
    Clearance,
    Sync,
    Plan,
}

#[derive(Debug, Clone, Copy)]
enum SessionEnd {
    Stop,
    RedFlag(usize),
    LeaveOpen,
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        6 => Just(Answer::No),
        1 => Just(Answer::Yes),
        1 => Just(Answer::NotSure),
    ]
}

fn flag() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![5 => Just(None), 1 => (0usize..32).prop_map(Some)]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => prop::collection::vec((0usize..32, answer()), 0..3).prop_map(Step::Screening),
        2 => (0i64..=6, flag()).prop_map(|(pain, flag)| Step::MorningCheckIn { pain, flag }),
        1 => (0i64..=6, flag()).prop_map(|(pain, flag)| Step::PostRunCheckIn { pain, flag }),
        3 => (
            prop::collection::vec(prop_oneof![4 => 0i64..=4, 1 => 7i64..=10], 0..4),
            prop_oneof![
                2 => Just(SessionEnd::Stop),
                1 => (0usize..32).prop_map(SessionEnd::RedFlag),
                1 => Just(SessionEnd::LeaveOpen),
            ],
        )
            .prop_map(|(pains, end)| Step::Session { pains, end }),
        3 => prop::collection::vec(answer(), FOLLOW_UP_QUESTION_IDS.len())
            .prop_map(Step::FollowUp),
        1 => (20i64..150).prop_map(|minutes| Step::ImportRun { minutes }),
        2 => Just(Step::Clearance),
        3 => Just(Step::Sync),
        1 => Just(Step::Plan),
    ]
}

struct World {
    _dirs: Vec<tempfile::TempDir>,
    coaches: Vec<Coach>,
    known: Vec<Known>,
    next_token: u32,
    now: DateTime<Utc>,
    questions: Vec<String>,
}

impl World {
    fn new() -> World {
        let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
        let coaches = dirs
            .iter()
            .map(|d| Coach::open(&d.path().join("p"), t0()).unwrap())
            .collect();
        World {
            _dirs: dirs,
            coaches,
            known: vec![Known::default(), Known::default()],
            next_token: 0,
            now: t0(),
            questions: questions(),
        }
    }

    fn token(&mut self) -> u32 {
        self.next_token += 1;
        self.next_token
    }

    fn question(&self, i: usize) -> String {
        self.questions[i % self.questions.len()].clone()
    }

    fn raise(&mut self, on: usize, n: usize) {
        for _ in 0..n {
            let t = self.token();
            self.known[on].flags.insert(t);
        }
    }

    fn apply(&mut self, on: usize, step: &Step) -> Result<(), TestCaseError> {
        self.now += Duration::minutes(37);
        let now = self.now;
        let coach = &self.coaches[on];
        match step {
            Step::Screening(picks) => {
                let answers: Vec<(String, Answer)> = self
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(i, q)| {
                        let a = picks
                            .iter()
                            .rev()
                            .find(|(p, _)| p % self.questions.len() == i)
                            .map_or(Answer::No, |(_, a)| *a);
                        (q.clone(), a)
                    })
                    .collect();
                let raised = answers.iter().filter(|(_, a)| a.raises_flag()).count();
                let out = coach.answer_screening(&answers, now).unwrap();
                prop_assert_eq!(out.raised, raised);
                self.known[on].screened = true;
                self.raise(on, raised);
            }
            Step::MorningCheckIn { pain, flag } | Step::PostRunCheckIn { pain, flag } => {
                let flags: Vec<String> = flag.iter().map(|i| self.question(*i)).collect();
                let kind = if matches!(step, Step::MorningCheckIn { .. }) {
                    CheckInKind::Morning
                } else {
                    CheckInKind::PostRun
                };
                let n = flags.len();
                coach
                    .check_in(&checkin(now, *pain, flags, None), kind, now)
                    .unwrap();
                if n > 0 {
                    self.known[on].screened = true;
                }
                self.raise(on, n);
            }
            Step::Session { pains, end } => self.session(on, pains, *end)?,
            Step::FollowUp(answers) => {
                let answers: Vec<(String, Answer)> = FOLLOW_UP_QUESTION_IDS
                    .iter()
                    .zip(answers)
                    .map(|(q, a)| ((*q).to_string(), *a))
                    .collect();
                let before = coach.safety_state().unwrap();
                match coach.answer_follow_up(&answers, now) {
                    Ok(out) => {
                        prop_assert!(self.known[on].open_stops() > 0);
                        if out.resumed {
                            let k = &mut self.known[on];
                            let open: Vec<u32> = k
                                .stops
                                .iter()
                                .filter(|s| !k.cleared.contains(s) && !k.followed_up.contains(s))
                                .copied()
                                .collect();
                            k.followed_up.extend(open);
                        }
                    }
                    Err(AppError::Safety(_)) => {
                        prop_assert_eq!(self.known[on].open_stops(), 0);
                        prop_assert_eq!(coach.safety_state().unwrap(), before);
                    }
                    Err(e) => return Err(TestCaseError::fail(format!("follow-up: {e}"))),
                }
            }
            Step::ImportRun { minutes } => {
                let start = now - Duration::minutes(*minutes + 5);
                let record = RunRecord {
                    source: "watch".into(),
                    external_id: format!("run-{}", now.timestamp()),
                    start,
                    end: start + Duration::minutes(*minutes),
                    distance_m: *minutes as f64 * 180.0,
                    tags: vec![],
                    zone: ZONE.into(),
                };
                let before = coach.safety_state().unwrap();
                coach.import_run(&record, now).unwrap();
                prop_assert_eq!(coach.safety_state().unwrap(), before);
            }
            Step::Clearance => {
                match coach.confirm_clearance("Dr Weber", now.date_naive(), now, ZONE) {
                    Ok(state) => {
                        prop_assert_eq!(state.status(), SafetyStatus::Cleared);
                        let k = &mut self.known[on];
                        prop_assert!(k.open_flags() + k.open_stops() > 0);
                        let all: Vec<u32> = k.flags.iter().chain(&k.stops).copied().collect();
                        k.cleared.extend(all);
                        k.clearances += 1;
                    }
                    Err(AppError::Safety(_)) => {
                        let k = &self.known[on];
                        prop_assert_eq!(k.open_flags() + k.open_stops(), 0);
                    }
                    Err(e) => return Err(TestCaseError::fail(format!("clearance: {e}"))),
                }
            }
            Step::Sync => {
                let other = 1 - on;
                sync(&self.coaches[on], &self.coaches[other], now);
                let k = self.known[on].clone();
                self.known[other].merge(&k);
            }
            Step::Plan => {}
        }
        Ok(())
    }

    fn session(&mut self, on: usize, pains: &[i64], end: SessionEnd) -> Result<(), TestCaseError> {
        let now = self.now;
        let expected = self.known[on].status();
        let blocked = matches!(expected, SafetyStatus::Locked | SafetyStatus::Paused);
        let coach = &self.coaches[on];
        let started = coach.start_session(now, ZONE, IfOpen::Discard);
        let mut active = match started {
            Ok(s) => {
                prop_assert!(!blocked, "a session started while {:?}", expected);
                prop_assert!(
                    self.known[on].screened,
                    "a session started before screening"
                );
                s.session
            }
            Err(AppError::Locked) => {
                prop_assert_eq!(expected, SafetyStatus::Locked);
                return Ok(());
            }
            Err(AppError::Paused) => {
                prop_assert_eq!(expected, SafetyStatus::Paused);
                return Ok(());
            }
            Err(AppError::ScreeningNeeded) => {
                prop_assert!(!self.known[on].screened);
                return Ok(());
            }
            Err(AppError::RestDay) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("start: {e}"))),
        };
        let mut ms = now.timestamp_millis();
        let mut frame = coach
            .session_event(&mut active, RunnerEvent::Start, ms)
            .unwrap();
        let mut pains = pains.iter();
        let mut finished = false;
        for _ in 0..400 {
            if frame.effects.contains(&Effect::SessionFinished) {
                finished = true;
                break;
            }
            let (event, step_ms) = match frame.view.step {
                StepKind::Intro => (RunnerEvent::VideoEnded, 1_000),
                StepKind::Work if frame.view.rep.is_some() => (RunnerEvent::RepDone, 500),
                StepKind::PainCheck => match pains.next() {
                    Some(p) => (RunnerEvent::PainReported(*p), 500),
                    None => break,
                },
                _ => (RunnerEvent::SkipStep, 500),
            };
            ms += step_ms;
            frame = coach.session_event(&mut active, event, ms).unwrap();
            if frame.effects.contains(&Effect::SessionFinished) {
                finished = true;
                break;
            }
        }
        let severe = active.runner.summary().severe_pain_stop().is_some();
        if !finished {
            match end {
                SessionEnd::LeaveOpen => {}
                SessionEnd::Stop => {
                    ms += 500;
                    coach
                        .session_event(&mut active, RunnerEvent::Stop, ms)
                        .unwrap();
                }
                SessionEnd::RedFlag(i) => {
                    ms += 500;
                    let q = self.question(i);
                    coach
                        .session_event(&mut active, RunnerEvent::RedFlagReported(q), ms)
                        .unwrap();
                    self.raise(on, 1);
                }
            }
        }
        if severe {
            let t = self.token();
            self.known[on].stops.insert(t);
        }
        self.now = DateTime::from_timestamp_millis(ms).unwrap() + Duration::minutes(1);
        Ok(())
    }

    /// Every profile's state matches the model, and nothing is planned or startable while
    /// it blocks drills.
    fn check(&self) -> Result<(), TestCaseError> {
        for (coach, known) in self.coaches.iter().zip(&self.known) {
            let state = coach.safety_state().unwrap();
            prop_assert_eq!(state.status(), known.status(), "state {:?}", state);
            let day = coach.plan_day(self.now, ZONE).unwrap();
            match known.status() {
                SafetyStatus::Locked | SafetyStatus::Paused if known.screened => {
                    prop_assert!(day.plan.items.is_empty());
                    prop_assert!(matches!(
                        day.plan.variant,
                        PlanVariant::Locked | PlanVariant::Paused
                    ));
                }
                _ if !known.screened => prop_assert!(day.plan.items.is_empty()),
                _ => {}
            }
            if known.status() == SafetyStatus::Locked || known.status() == SafetyStatus::Paused {
                for if_open in [IfOpen::Refuse, IfOpen::Resume, IfOpen::Discard] {
                    let refused = coach.start_session(self.now, ZONE, if_open);
                    prop_assert!(
                        matches!(refused, Err(AppError::Locked | AppError::Paused)),
                        "start while {:?}: {:?}",
                        known.status(),
                        refused.map(|s| s.resumed)
                    );
                }
            }
        }
        Ok(())
    }
}

proptest! {
    // 48 cases of up to 30 steps on two profiles: about 15 s in a debug build.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn safety_holds_across_every_entry_point_and_converges(
        steps in prop::collection::vec((0usize..2, step()), 1..30)
    ) {
        let mut w = World::new();
        for (on, step) in &steps {
            w.apply(*on, step)?;
            w.check()?;
        }
        // Both ways, twice: every profile has seen every event and both derive one state.
        for _ in 0..2 {
            w.now += Duration::minutes(1);
            sync(&w.coaches[0], &w.coaches[1], w.now);
            sync(&w.coaches[1], &w.coaches[0], w.now);
        }
        let a = w.coaches[0].safety_state().unwrap();
        let b = w.coaches[1].safety_state().unwrap();
        prop_assert_eq!(&a, &b);
        let mut merged = w.known[0].clone();
        let other = w.known[1].clone();
        merged.merge(&other);
        prop_assert_eq!(a.status(), merged.status());
    }
}

/// Sets and a check-in written on a peer whose clock runs two hours fast, then merged here:
/// planning and starting a session work, and the peer's records count (judged as made now).
#[test]
fn history_from_a_fast_peer_never_blocks_planning() {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let here = Coach::open(&dirs[0].path().join("p"), t0()).unwrap();
    let peer = Coach::open(&dirs[1].path().join("p"), t0()).unwrap();
    let no: Vec<(String, Answer)> = questions().into_iter().map(|q| (q, Answer::No)).collect();
    here.answer_screening(&no, t0()).unwrap();
    let fast = t0() + Duration::hours(2);
    // The peer's runner does a session (its clock says two hours later than ours).
    let mut s = peer.start_session(fast, ZONE, IfOpen::Refuse);
    if s.is_err() {
        peer.answer_screening(&no, fast).unwrap();
        s = peer.start_session(fast, ZONE, IfOpen::Refuse);
    }
    let mut active = s.unwrap().session;
    let mut ms = fast.timestamp_millis();
    let mut frame = peer
        .session_event(&mut active, RunnerEvent::Start, ms)
        .unwrap();
    let mut checks = 0;
    while !frame.effects.contains(&Effect::SessionFinished) && checks < 3 {
        let event = match frame.view.step {
            StepKind::Intro => RunnerEvent::VideoEnded,
            StepKind::Work if frame.view.rep.is_some() => RunnerEvent::RepDone,
            StepKind::PainCheck => {
                checks += 1;
                RunnerEvent::PainReported(1)
            }
            _ => RunnerEvent::SkipStep,
        };
        ms += 500;
        frame = peer.session_event(&mut active, event, ms).unwrap();
    }
    peer.session_event(&mut active, RunnerEvent::Stop, ms + 500)
        .unwrap();
    // And a morning check-in with 6/10 on the ankle.
    peer.check_in(&checkin(fast, 6, vec![], None), CheckInKind::Morning, fast)
        .unwrap();

    sync(&peer, &here, t0());
    let day = here.plan_day(t0(), ZONE).unwrap();
    // The peer's 6/10 morning counts as this morning's: red, mobility only.
    assert_eq!(day.plan.variant, PlanVariant::MobilityOnly);
    assert!(!day.plan.items.is_empty());
    here.start_session(t0(), ZONE, IfOpen::Refuse).unwrap();
    // This device's own input is still held to its own clock.
    assert!(matches!(
        here.check_in(&checkin(fast, 1, vec![], None), CheckInKind::Morning, t0()),
        Err(AppError::InFuture { .. })
    ));
}

/// Drives a started session to its end with `pain` at every pain check.
fn finish_session(
    coach: &Coach,
    mut active: talus_core::app::ActiveSession,
    start: DateTime<Utc>,
    pain: i64,
) {
    let mut ms = start.timestamp_millis();
    let mut frame = coach
        .session_event(&mut active, RunnerEvent::Start, ms)
        .unwrap();
    for _ in 0..20_000 {
        if frame.effects.contains(&Effect::SessionFinished) {
            return;
        }
        let event = match frame.view.step {
            StepKind::Intro => RunnerEvent::VideoEnded,
            StepKind::Work if frame.view.rep.is_some() => RunnerEvent::RepDone,
            StepKind::PainCheck => RunnerEvent::PainReported(pain),
            _ => RunnerEvent::SkipStep,
        };
        ms += 500;
        frame = coach.session_event(&mut active, event, ms).unwrap();
    }
    panic!("the session did not finish");
}

/// The level changes decided when a session is started are returned with it (and stored);
/// starting again the same day decides nothing new. A session left open is refused, resumed
/// or discarded, as asked.
#[test]
fn session_start_returns_its_level_changes_and_an_open_session_needs_a_choice() {
    use talus_core::progression::LevelChange;
    let dir = tempfile::tempdir().unwrap();
    let day0 = t0() - Duration::days(14);
    let coach = Coach::open(&dir.path().join("p"), day0).unwrap();
    let no: Vec<(String, Answer)> = questions().into_iter().map(|q| (q, Answer::No)).collect();
    coach.answer_screening(&no, day0).unwrap();
    // Two weeks of settled mornings, a first session a week ago (a level without a record
    // counts from its first set in the week's window: one step a week, ADR 0002) and three
    // good sessions since.
    for d in (1..=14).rev() {
        let morning = t0() - Duration::days(d) + Duration::hours(1);
        coach
            .check_in(
                &checkin(morning, 1, vec![], None),
                CheckInKind::Morning,
                morning,
            )
            .unwrap();
        if [7, 6, 4, 2].contains(&d) {
            let evening = morning + Duration::hours(10);
            let start = coach.start_session(evening, ZONE, IfOpen::Refuse).unwrap();
            finish_session(&coach, start.session, evening, 1);
        }
    }
    let now = t0() + Duration::hours(1);
    coach
        .check_in(&checkin(now, 1, vec![], None), CheckInKind::Morning, now)
        .unwrap();
    let start = coach.start_session(now, ZONE, IfOpen::Refuse).unwrap();
    assert!(!start.resumed);
    let day = start.day.expect("a new session carries its plan");
    let stepped: Vec<_> = day
        .levels
        .iter()
        .filter(|d| d.change == LevelChange::Progress)
        .collect();
    assert!(!stepped.is_empty(), "{:#?}", day.levels);
    // The change was stored, and the plan uses it.
    let stored = coach.store().drill_levels().unwrap();
    for d in &stepped {
        assert!(
            stored
                .iter()
                .any(|p| p.drill_id == d.to.drill_id && p.level == d.to.level),
            "{d:?} not stored"
        );
    }
    let open_id = start.session.id;
    // One is open: refused unless the runner chose.
    assert!(matches!(
        coach.start_session(now, ZONE, IfOpen::Refuse),
        Err(AppError::SessionOpen)
    ));
    let resumed = coach.start_session(now, ZONE, IfOpen::Resume).unwrap();
    assert!(resumed.resumed && resumed.day.is_none());
    assert_eq!(resumed.session.id, open_id);
    let fresh = coach
        .start_session(now + Duration::minutes(1), ZONE, IfOpen::Discard)
        .unwrap();
    assert_ne!(fresh.session.id, open_id);
    // A damaged snapshot cannot resume: `open_session` says so and changes nothing; starting
    // abandons it (kept in history) instead of refusing for ever.
    coach
        .store()
        .pause_session(
            fresh.session.id,
            "talus-run;7;garbage",
            now + Duration::minutes(2),
        )
        .unwrap();
    let ops = coach.store().ops().unwrap().len();
    assert!(matches!(
        coach.open_session(),
        Err(AppError::Session(SessionError::BadSnapshot(_)))
    ));
    assert_eq!(coach.store().ops().unwrap().len(), ops);
    let restarted = coach
        .start_session(now + Duration::minutes(3), ZONE, IfOpen::Resume)
        .unwrap();
    assert!(!restarted.resumed && restarted.session.id != fresh.session.id);
    assert_eq!(
        coach.store().session(fresh.session.id).unwrap().status,
        SessionStatus::Abandoned
    );
    // Discarding with a clock that lies before the open session's start (set back, or a
    // script's simulated clock) abandons it all the same; it never ends before it started.
    let begun = now + Duration::minutes(4);
    let snapshot = coach
        .store()
        .session(restarted.session.id)
        .unwrap()
        .snapshot;
    coach
        .store()
        .start_session(
            restarted.session.id,
            snapshot.as_deref().unwrap_or(""),
            begun,
        )
        .unwrap();
    let earlier = coach
        .start_session(now - Duration::minutes(30), ZONE, IfOpen::Discard)
        .unwrap();
    assert_ne!(earlier.session.id, restarted.session.id);
    let abandoned = coach.store().session(restarted.session.id).unwrap();
    assert_eq!(abandoned.status, SessionStatus::Abandoned);
    assert!(abandoned.started_at.is_some());
    assert_eq!(abandoned.ended_at, abandoned.started_at);
    // Deciding again the same day changes nothing.
    let again = fresh.day.unwrap();
    assert!(
        again
            .levels
            .iter()
            .all(|d| d.change != LevelChange::Progress),
        "{:#?}",
        again.levels
    );
}
