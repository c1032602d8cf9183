//! The week ahead and the history of levels through the public API: a long run shows up as
//! a recovery day with its check-in; a week of quiet sessions moves levels up, and the
//! history says from what to what and why, counting levels from 1.

mod common;

use std::sync::Arc;

use talus_ffi::{
    CheckInInput, Engine, FrameInfo, LevelChange, PlanVariant, RunInput, SessionEvent as E, Step,
};

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
/// 2026-06-01T00:00Z, a Monday.
const MONDAY: i64 = 1_780_272_000_000;

fn screened(dir: &tempfile::TempDir) -> Arc<Engine> {
    let e = common::open_profile(dir, "p", MONDAY);
    common::screen_all_no(&e, "en", MONDAY);
    e
}

fn morning(e: &Engine, at_ms: i64) {
    e.morning_checkin(
        CheckInInput {
            at_ms,
            zone: "UTC".into(),
            pain_calf: 0,
            pain_achilles: 0,
            pain_ankle: 0,
            stiffness_calf: 1,
            stiffness_achilles: 0,
            stiffness_ankle: 1,
            red_flags_yes: vec![],
            run_id: None,
        },
        at_ms,
    )
    .unwrap();
}

fn step(f: &FrameInfo, now: i64) -> (E, i64) {
    match f.step {
        Step::NotStarted => (E::Start, now),
        Step::Intro => (E::VideoEnded, now + 10_000),
        Step::Work if f.rep.is_some() => (E::RepDone, now + 2_000),
        Step::PainCheck => (E::PainReported { pain: 0 }, now + 1_000),
        _ => (E::Tick, now + f.time_left_ms.unwrap_or(1_000)),
    }
}

fn session(e: &Arc<Engine>, start: i64) {
    let s = Arc::clone(e).start_session(start, "UTC".into()).unwrap();
    let mut now = start;
    let mut frame = s.frame(now).unwrap();
    while frame.step != Step::Summary {
        let (event, at) = step(&frame, now);
        now = at;
        frame = s.handle(event, now).unwrap();
    }
}

#[test]
fn the_week_ahead_shows_the_recovery_day_after_a_long_run_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    // Tuesday morning, a two-hour run.
    let run = RunInput {
        source: "manual".into(),
        external_id: "long".into(),
        start_ms: MONDAY + DAY + 6 * HOUR,
        end_ms: MONDAY + DAY + 8 * HOUR,
        distance_m: 22_000.0,
        tags: vec![],
        zone: "UTC".into(),
    };
    e.record_run(run, MONDAY + DAY + 9 * HOUR).unwrap();
    let week = e.week_plan(MONDAY + DAY + 10 * HOUR, "UTC".into()).unwrap();
    assert_eq!(week.zone, "UTC");
    assert_eq!(week.days.len(), 7);
    assert!(week.days[0].is_today && week.days[1..].iter().all(|d| !d.is_today));
    assert_eq!(week.days[0].date, "2026-06-02");
    assert_eq!(week.days[6].date, "2026-06-08");
    let wednesday = &week.days[1];
    assert_eq!(wednesday.variant, PlanVariant::Recovery, "{wednesday:?}");
    assert!(wednesday.checkin_due);
    assert!(wednesday
        .reasons
        .iter()
        .any(|r| r.code == "day_after_long_run"));
    assert!(wednesday.reasons.iter().all(|r| !r.message.is_empty()));
    let friday = &week.days[3];
    assert_eq!(friday.variant, PlanVariant::Normal, "{friday:?}");
    assert!(!friday.checkin_due);
    assert!(friday.estimated_ms > 60_000);
    assert!(!friday.drill_names.is_empty());
    assert!(
        friday.drill_names.iter().all(|n| !n.contains('_')),
        "names, not ids"
    );
    // Nothing was stored: the week again is the same.
    assert_eq!(
        e.week_plan(MONDAY + DAY + 10 * HOUR, "UTC".into()).unwrap(),
        week
    );
    assert_eq!(
        e.week_plan(MONDAY, "Mars/Olympus".into())
            .unwrap_err()
            .cause_code(),
        "bad_zone"
    );
}

#[test]
fn the_week_ahead_is_locked_while_a_red_flag_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    e.morning_checkin(
        CheckInInput {
            at_ms: MONDAY + 7 * HOUR,
            zone: "UTC".into(),
            pain_calf: 0,
            pain_achilles: 0,
            pain_ankle: 0,
            stiffness_calf: 0,
            stiffness_achilles: 0,
            stiffness_ankle: 0,
            red_flags_yes: vec!["heel_pop".into()],
            run_id: None,
        },
        MONDAY + 7 * HOUR,
    )
    .unwrap();
    let week = e.week_plan(MONDAY + 8 * HOUR, "UTC".into()).unwrap();
    assert!(week
        .days
        .iter()
        .all(|d| d.variant == PlanVariant::Locked && d.drill_names.is_empty()));
    let safety = e.safety_state().unwrap();
    assert_eq!(safety.flags.len(), 1);
    let flag = &safety.flags[0];
    assert_eq!(flag.question_id, "heel_pop");
    assert!(flag.question.contains("pop"), "{}", flag.question);
    assert_eq!(flag.group, "achilles_rupture");
    assert_eq!(flag.source, talus_ffi::FlagSource::MorningCheckIn);
    assert_eq!(flag.at_ms, MONDAY + 7 * HOUR);
}

#[test]
fn quiet_sessions_move_levels_up_and_the_history_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    assert!(e.level_history().unwrap().is_empty());
    let mut moved = None;
    for d in 0..12 {
        let day = MONDAY + d * DAY;
        morning(&e, day + 7 * HOUR);
        let plan = e.today(day + 18 * HOUR, "UTC".into()).unwrap();
        if plan
            .levels
            .iter()
            .any(|l| l.change == LevelChange::Progress)
        {
            moved = Some(plan);
            break;
        }
        session(&e, day + 18 * HOUR);
    }
    let plan = moved.expect("a level moves up within twelve quiet days");
    let ups: Vec<_> = plan
        .levels
        .iter()
        .filter(|l| l.change == LevelChange::Progress)
        .collect();
    let history = e.level_history().unwrap();
    assert!(!history.is_empty());
    for entry in &history {
        assert_eq!(entry.change, LevelChange::Progress);
        let why = entry.reason.as_ref().expect("a rule moved it");
        assert_eq!(why.code, "progress_ready");
        assert!(!why.message.is_empty());
        assert!(entry.from_level.is_some_and(|l| l >= 1));
        assert!(entry.to_level >= 1);
        assert_ne!(entry.to_drill_name, entry.to_drill_id);
        let decision = ups
            .iter()
            .find(|l| l.to_drill_id == entry.to_drill_id)
            .expect("every entry is one of today's moves");
        assert_eq!(Some(decision.from_level), entry.from_level);
        assert_eq!(decision.to_level, entry.to_level);
    }
    // The history speaks the runner's current language.
    let mut settings = e.settings().unwrap();
    settings.locale = "de".into();
    e.set_settings(settings, MONDAY + 20 * DAY).unwrap();
    let german = e.level_history().unwrap();
    assert_eq!(german.len(), history.len());
    assert_ne!(
        german[0].reason.as_ref().unwrap().message,
        history[0].reason.as_ref().unwrap().message
    );
}

#[test]
fn the_week_s_today_is_today_s_plan_after_a_break_of_36_to_40_days() {
    use talus_core::catalog::Sides;
    use talus_core::domain::{PlanVariant as CoreVariant, SetLog, Side as CoreSide};
    let dir = tempfile::tempdir().unwrap();
    let e = screened(&dir);
    // Every chain's second drill trained once, on each leg, no level records: a leg without
    // a record is planned where it last trained, if the day's history still holds it.
    let trained = chrono::DateTime::from_timestamp_millis(MONDAY + 2 * DAY + 8 * HOUR).unwrap();
    let mut sets = Vec::new();
    for ids in e.catalog().chains().values().filter(|ids| ids.len() >= 2) {
        let drill = e.catalog().drill(&ids[1]).unwrap();
        let sides: &[Option<CoreSide>] = match drill.sides {
            Sides::Each => &[Some(CoreSide::Left), Some(CoreSide::Right)],
            Sides::Both => &[None],
        };
        for side in sides {
            sets.push(SetLog {
                drill_id: drill.id.clone(),
                side: *side,
                set_index: 0,
                level: 0,
                target_reps: Some(8),
                reps_done: Some(8),
                target_hold_s: None,
                hold_s_done: None,
                pain: None,
                stretch: false,
                stopped: false,
                skipped: false,
                reason_code: None,
                note: None,
                at: trained,
            });
        }
    }
    assert!(!sets.is_empty());
    let session = e
        .store()
        .create_session(trained.date_naive(), "UTC", CoreVariant::Normal, trained)
        .unwrap();
    e.store()
        .finish_session(session.id, &sets, trained + chrono::Duration::minutes(20))
        .unwrap();
    for days in [1, 20, 35, 36, 37, 38, 39, 40, 41] {
        let now = trained.timestamp_millis() + days * DAY + 2 * HOUR;
        let week = e.week_plan(now, "UTC".into()).unwrap();
        let today = e.today(now, "UTC".into()).unwrap();
        let names: Vec<String> = today.items.iter().map(|i| i.drill_name.clone()).collect();
        assert_eq!(
            week.days[0].drill_names, names,
            "{days} days after training"
        );
        assert_eq!(week.days[0].variant, today.variant, "{days} days after");
        assert_eq!(week.days[0].date, today.date, "{days} days after");
    }
}

#[test]
fn levels_set_by_hand_show_as_changes_against_the_level_each_leg_held_before() {
    use chrono::{DateTime, Utc};
    use talus_core::catalog::Catalog;
    use talus_core::domain::Side as CoreSide;
    use talus_core::store::Store;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("p")).unwrap();
    let path = dir.path().join("p").join("talus.db");
    let at = |day: i64| DateTime::<Utc>::from_timestamp_millis(MONDAY + day * DAY).unwrap();
    {
        // Levels written without a note, as by hand or by an older version.
        let catalog = Catalog::embedded().unwrap();
        let store = Store::open(&path, &catalog, at(0)).unwrap().0;
        let drill = "banded_df_mob";
        for (day, side, level) in [
            (1, Some(CoreSide::Left), 1),
            (2, Some(CoreSide::Right), 2),
            (3, Some(CoreSide::Left), 3),
            (4, Some(CoreSide::Left), 3),
            (5, None, 1),
            (6, Some(CoreSide::Right), 0),
            (7, None, 2),
        ] {
            store.set_drill_level(drill, side, level, at(day)).unwrap();
        }
    }
    let e = common::open_profile(&dir, "p", MONDAY + 8 * DAY);
    let changes: Vec<(i64, Option<i32>, i32, LevelChange)> = e
        .level_history()
        .unwrap()
        .into_iter()
        .map(|h| ((h.at_ms - MONDAY) / DAY, h.from_level, h.to_level, h.change))
        .collect();
    // Newest first; a leg's first placement and an unchanged level are no change.
    assert_eq!(
        changes,
        [
            (7, Some(2), 3, LevelChange::Progress),
            (6, Some(3), 1, LevelChange::Regress),
            (3, Some(2), 4, LevelChange::Progress),
        ]
    );
}
