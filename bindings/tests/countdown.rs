//! The countdown a shell draws by itself (ADR 0014 addendum): a frame's `deadline_ms` is
//! when its countdown runs out; before it, the core's frame at any instant differs from the
//! one drawn only in `time_left_ms` (which the shell computes from the deadline) and
//! `elapsed_ms`, and a tick changes nothing. A session driven with no call between deadlines
//! (pauses and resumes in every kind of countdown) reaches its summary.

mod common;

use std::sync::Arc;

use talus_ffi::{EffectInfo, Engine, FrameInfo, GuidedSession, SessionEvent as E, Step};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28T20:26Z

fn screened(dir: &tempfile::TempDir) -> Arc<Engine> {
    let e = common::open_profile(dir, "p", NOW);
    common::screen_all_no(&e, "en", NOW - 1_000);
    e
}

/// What a shell shows at `now` for a frame drawn earlier: its countdown worked out from the
/// deadline (the formula `docs/shell-guide.md` gives the shells).
fn time_left_at(f: &FrameInfo, now: i64) -> Option<i64> {
    match f.deadline_ms {
        Some(deadline) => Some(((deadline - now).max(0) + 999) / 1000 * 1000),
        None => f.time_left_ms,
    }
}

/// The frame without the fields that move with the clock and without its effects.
fn still(f: &FrameInfo) -> FrameInfo {
    FrameInfo {
        time_left_ms: None,
        elapsed_ms: 0,
        effects: Vec::new(),
        ..f.clone()
    }
}

/// Checks the promise of `deadline_ms` for the frame `f` drawn at `drawn`: at instants up to
/// its deadline the core's frame is `f` with the locally counted seconds.
fn check_countdown(s: &GuidedSession, f: &FrameInfo, drawn: i64) {
    let Some(deadline) = f.deadline_ms else {
        return;
    };
    assert!(deadline >= drawn || f.time_left_ms == Some(0), "{f:?}");
    assert_eq!(time_left_at(f, drawn), f.time_left_ms, "at the draw: {f:?}");
    let mut instants: Vec<i64> = (drawn..deadline).step_by(250).collect();
    instants.extend([
        deadline - 1_001,
        deadline - 1_000,
        deadline - 999,
        deadline - 1,
    ]);
    for now in instants
        .into_iter()
        .filter(|t| *t >= drawn && *t < deadline)
    {
        let core = s.frame(now).unwrap();
        assert_eq!(core.time_left_ms, time_left_at(f, now), "at {now}: {f:?}");
        assert_eq!(still(&core), still(f), "at {now}");
        assert_eq!(core.deadline_ms, Some(deadline));
    }
    // The timer's promise: every tick scheduled is the deadline.
    for e in &f.effects {
        if let EffectInfo::ScheduleTick { at_ms } = e {
            assert_eq!(*at_ms, deadline, "{f:?}");
        }
    }
}

/// Drives a whole session as a shell that counts seconds itself: the core hears the runner's
/// taps and one `tick` per deadline, nothing else. Every `pause_every`-th countdown is paused
/// for `pause_ms` half-way, then resumed. Returns the frames and the calls made.
fn drive(s: &GuidedSession, pause_every: usize, pause_ms: i64) -> (Vec<FrameInfo>, usize) {
    let mut now = NOW;
    let mut frames = vec![s.frame(now).unwrap()];
    let mut calls = 1;
    let mut countdowns = 0;
    for _ in 0..5_000 {
        let f = frames.last().unwrap().clone();
        if f.step == Step::Summary {
            return (frames, calls);
        }
        check_countdown(s, &f, now);
        let next = match (f.step, f.deadline_ms) {
            (Step::NotStarted, _) => s.handle(E::Start, now),
            (Step::Intro, _) => {
                now += 10_000;
                s.handle(E::VideoEnded, now)
            }
            (Step::PainCheck, _) => {
                now += 1_500;
                s.handle(E::PainReported { pain: 1 }, now)
            }
            (_, Some(deadline)) => {
                countdowns += 1;
                if pause_every > 0 && countdowns % pause_every == 0 && deadline - now >= 2_000 {
                    now += (deadline - now) / 2;
                    let paused = s.handle(E::Pause, now).unwrap();
                    assert!(paused.paused && paused.deadline_ms.is_none(), "{paused:?}");
                    assert_eq!(paused.time_left_ms, time_left_at(&f, now));
                    // Paused, the countdown stands still whatever the clock says.
                    now += pause_ms;
                    assert_eq!(s.frame(now).unwrap().time_left_ms, paused.time_left_ms);
                    calls += 2;
                    s.handle(E::Resume, now)
                } else {
                    now = deadline;
                    let ticked = s.tick(now);
                    // The deadline's tick moves the session on: a shell never waits twice.
                    if let Ok(t) = &ticked {
                        assert_ne!(t.deadline_ms, Some(deadline), "{f:?} → {t:?}");
                        assert_ne!(still(t), still(&f));
                    }
                    ticked
                }
            }
            (Step::Work, None) if f.can_rep_done => {
                now += 2_000;
                s.handle(E::RepDone, now)
            }
            (step, None) => panic!("no countdown and nothing to tap at {step:?}: {f:?}"),
        };
        calls += 1;
        frames.push(next.unwrap());
    }
    panic!("the session did not reach its summary");
}

#[test]
fn a_session_driven_by_its_deadlines_alone_reaches_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
    let (frames, calls) = drive(&s, 0, 0);
    let summary = frames.last().unwrap();
    assert_eq!(summary.deadline_ms, None);
    assert!(summary.progress >= 1.0);
    // Every kind of countdown was met, and each took one tick, not one a second.
    for step in [
        Step::Work,
        Step::Rest,
        Step::SideSwitch,
        Step::EndRangePause,
    ] {
        assert!(
            frames
                .iter()
                .any(|f| f.step == step && f.deadline_ms.is_some()),
            "no countdown in {step:?}"
        );
    }
    // One call per tap or deadline: far fewer than one a second.
    let seconds = (summary.elapsed_ms / 1000) as usize;
    let countdown_frames = frames.iter().filter(|f| f.deadline_ms.is_some()).count();
    assert!(
        countdown_frames > 0 && calls < seconds,
        "{calls} calls over {seconds} s"
    );
}

#[test]
fn a_countdown_paused_and_resumed_moves_its_deadline_by_the_pause() {
    for pause_ms in [3_000, 61_000] {
        let dir = tempfile::tempdir().unwrap();
        let e = screened(&dir);
        let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
        // Pause every second countdown: holds, rests, side switches and end-range pauses all
        // get paused in one session; each resume must bring a deadline the shell can wait for.
        let (frames, _) = drive(&s, 2, pause_ms);
        let mut resumed = 0;
        for pair in frames.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            if before.deadline_ms.is_some() && after.step == before.step && !after.paused {
                if let (Some(a), Some(b)) = (before.deadline_ms, after.deadline_ms) {
                    if a != b {
                        resumed += 1;
                        assert!(
                            b > a,
                            "a resumed countdown ends later: {before:?} {after:?}"
                        );
                    }
                }
            }
        }
        assert!(resumed > 0, "no countdown was resumed");
        assert_eq!(frames.last().unwrap().step, Step::Summary);
    }
}

#[test]
fn a_tick_before_the_deadline_changes_nothing_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
    s.handle(E::Start, NOW).unwrap();
    let mut now = NOW + 10_000;
    let mut f = s.handle(E::VideoEnded, now).unwrap();
    // Tap through reps until a countdown runs.
    while f.deadline_ms.is_none() {
        assert!(f.can_rep_done || f.step == Step::PainCheck, "{f:?}");
        now += 2_000;
        f = if f.step == Step::PainCheck {
            s.handle(E::PainReported { pain: 0 }, now).unwrap()
        } else {
            s.handle(E::RepDone, now).unwrap()
        };
    }
    let deadline = f.deadline_ms.unwrap();
    for at in [now, now + 1, deadline - 1_000, deadline - 1] {
        let ticked = s.tick(at).unwrap();
        assert!(ticked.effects.is_empty(), "{ticked:?}");
        assert_eq!(still(&ticked), still(&f));
        assert_eq!(ticked.time_left_ms, time_left_at(&f, at));
    }
    let after = s.tick(deadline).unwrap();
    assert_ne!(
        still(&after),
        still(&f),
        "the deadline moves the session on"
    );
}
