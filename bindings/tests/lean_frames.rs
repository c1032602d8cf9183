//! What crosses the FFI per frame and per plan (ADR 0014): a frame names its step in the
//! runner's language and carries the drill's description only in the intro; `tick` is
//! exactly `handle(Tick)`; a plan names its variant. Screens draw these records without a
//! second call.

mod common;

use std::sync::Arc;

use talus_ffi::{Engine, FrameInfo, GuidedSession, PlanVariant, SessionEvent as E, Step};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28T20:26Z

/// A profile in `locale` whose first-run screening was answered all "no".
fn screened(dir: &tempfile::TempDir, locale: &str) -> Arc<Engine> {
    let e = common::open_profile(dir, "p", NOW);
    let mut settings = e.settings().unwrap();
    settings.locale = locale.into();
    e.set_settings(settings, NOW - 2_000).unwrap();
    common::screen_all_no(&e, locale, NOW - 1_000);
    e
}

/// The event a runner would send next, and when; `None` for the timer's tick.
fn natural(f: &FrameInfo, now: i64) -> (Option<E>, i64) {
    match f.step {
        Step::NotStarted => (Some(E::Start), now),
        Step::Intro => (Some(E::VideoEnded), now + 10_000),
        Step::Work if f.rep.is_some() => (Some(E::RepDone), now + 2_000),
        Step::PainCheck => (Some(E::PainReported { pain: 1 }), now + 1_000),
        _ => (None, now + f.time_left_ms.unwrap_or(1_000)),
    }
}

/// Every frame of a whole session, the timer's ticks sent with `tick` or as `handle(Tick)`.
fn whole_session(s: &GuidedSession, ticks_by_name: bool) -> Vec<FrameInfo> {
    let mut now = NOW;
    let mut frames = vec![s.frame(now).unwrap()];
    for _ in 0..2_000 {
        let last = frames.last().unwrap();
        if last.step == Step::Summary {
            return frames;
        }
        let (event, at) = natural(last, now);
        now = at;
        frames.push(match event {
            Some(event) => s.handle(event, now).unwrap(),
            None if ticks_by_name => s.tick(now).unwrap(),
            None => s.handle(E::Tick, now).unwrap(),
        });
    }
    panic!("the session did not reach its summary");
}

#[test]
fn a_frame_names_its_step_and_describes_the_drill_in_the_intro_only() {
    for locale in ["en", "de"] {
        let dir = tempfile::tempdir().unwrap();
        let e = screened(&dir, locale);
        let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
        let frames = whole_session(&s, true);
        let mut intros = 0;
        for f in &frames {
            assert_eq!(f.step_label, f.step.label(locale.into()), "{f:?}");
            assert!(!f.step_label.is_empty());
            if f.step == Step::Intro {
                intros += 1;
                let drill = e.drill(f.drill_id.clone(), locale.into()).unwrap();
                assert_eq!(f.drill_description.as_deref(), Some(&*drill.description));
                assert!(!drill.description.is_empty());
            } else {
                assert_eq!(f.drill_description, None, "{f:?}");
            }
        }
        let plan = s.plan().expect("a started session has its plan");
        assert!(intros >= plan.items.len(), "one intro per drill at least");
    }
}

#[test]
fn tick_is_handle_tick() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (ea, eb) = (screened(&a, "de"), screened(&b, "de"));
    let sa = Arc::clone(&ea).start_session(NOW, "UTC".into()).unwrap();
    let sb = Arc::clone(&eb).start_session(NOW, "UTC".into()).unwrap();
    let by_name = whole_session(&sa, true);
    let as_event = whole_session(&sb, false);
    assert!(by_name.len() > 20, "a whole session has many frames");
    assert_eq!(by_name, as_event);
    // Both stored the same session.
    let (ha, hb) = (
        ea.session_detail(sa.id()).unwrap(),
        eb.session_detail(sb.id()).unwrap(),
    );
    assert_eq!(ha.drills, hb.drills);
    assert_eq!(ha.session.outcome, hb.session.outcome);
    // Like every event, a tick at an instant outside 1970–2200 is refused.
    assert!(sa.tick(-1).is_err());
}

#[test]
fn a_plan_names_its_variant_in_the_runners_language() {
    for locale in ["en", "de"] {
        let dir = tempfile::tempdir().unwrap();
        let fresh = Engine::open(dir.path().join("q").to_string_lossy().into(), NOW).unwrap();
        let before = fresh.today(NOW, "UTC".into()).unwrap();
        assert_eq!(before.variant, PlanVariant::ScreeningNeeded);
        assert_eq!(
            before.variant_label,
            before.variant.label(fresh.settings().unwrap().locale)
        );
        let e = screened(&dir, locale);
        let plan = e.today(NOW, "UTC".into()).unwrap();
        assert_eq!(plan.variant_label, plan.variant.label(locale.into()));
        assert!(!plan.variant_label.is_empty());
        let s = Arc::clone(&e).start_session(NOW, "UTC".into()).unwrap();
        let started = s.plan().unwrap();
        assert_eq!(started.variant_label, plan.variant_label);
    }
}
