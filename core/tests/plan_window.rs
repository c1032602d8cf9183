//! The day's history (`Store::history_to_plan_the_day`: every set of the level window, and
//! before it each drill and side's latest sets) plans and decides the day exactly as the
//! full history of the same window does, after breaks of any length and for legs with and
//! without level records.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::set;
use proptest::prelude::*;
use talus_core::catalog::{Catalog, Sides};
use talus_core::domain::{DrillProgress, History, PlanVariant, SetLog, Settings, Side};
use talus_core::progression::{evaluate_levels, plan_today, WINDOW_DAYS};
use talus_core::store::{Store, Unit};

fn catalog() -> Catalog {
    Catalog::embedded().unwrap()
}

/// A session planned for `planned`'s date (UTC) with `sets`, finished at `finished`.
fn train(store: &Store, planned: DateTime<Utc>, sets: &[SetLog], finished: DateTime<Utc>) {
    let session = store
        .create_session(planned.date_naive(), "UTC", PlanVariant::Normal, planned)
        .unwrap();
    store.finish_session(session.id, sets, finished).unwrap();
}

/// Stores level records as the level rules would, at `at`.
fn record_levels(store: &Store, records: &[DrillProgress], at: DateTime<Utc>) {
    store
        .commit(
            Unit {
                levels: records,
                ..Unit::default()
            },
            at,
        )
        .unwrap();
}

/// The three histories of the day at `now`, as `Coach::day_inputs` asks for them: the full
/// window, the sets of recent sessions only, and the day's (recent plus latest older).
fn histories(store: &Store, now: DateTime<Utc>) -> (History, History, History) {
    let (from, to) = (
        now - Duration::days(35),
        now + talus_core::app::MERGED_AHEAD,
    );
    let sets_from = now.date_naive() - Duration::days(WINDOW_DAYS + 1);
    (
        store.history(from, to).unwrap(),
        store.history_for_the_day(from, to, sets_from).unwrap(),
        store
            .history_to_plan_the_day(from, to, sets_from, now)
            .unwrap(),
    )
}

/// The day's history plans and decides the day (in UTC) exactly as the full history does.
fn assert_day_decides_as_full(
    catalog: &Catalog,
    settings: &Settings,
    day: &History,
    full: &History,
    now: DateTime<Utc>,
    context: &str,
) {
    let plan = |h: &History| plan_today(catalog, settings, h, false, now, "UTC").unwrap();
    assert_eq!(plan(day), plan(full), "{context}");
    assert_eq!(
        evaluate_levels(catalog, settings, day, now, "UTC"),
        evaluate_levels(catalog, settings, full, now, "UTC"),
        "{context}"
    );
}

/// A chain's first drill that is done on each leg separately and has at least three levels.
fn unilateral_drill(catalog: &Catalog) -> String {
    catalog
        .chains()
        .values()
        .filter_map(|ids| ids.first())
        .find(|id| {
            catalog
                .drill(id)
                .is_ok_and(|d| d.sides == Sides::Each && d.dosage.len() >= 3)
        })
        .cloned()
        .expect("the catalog has a unilateral drill with three levels")
}

#[test]
fn a_leg_without_a_level_record_is_planned_where_it_last_trained_after_a_break() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    let catalog = catalog();
    let store = Store::open(&dir.path().join("talus.db"), &catalog, now)
        .unwrap()
        .0;
    let drill = unilateral_drill(&catalog);
    // The left leg has a level record at level 2; the right leg last trained at level 0
    // twelve days ago (before the level window) and has no record.
    let left = DrillProgress {
        drill_id: drill.clone(),
        side: Some(Side::Left),
        level: 2,
        changed_at: now - Duration::days(20),
    };
    record_levels(
        &store,
        std::slice::from_ref(&left),
        now - Duration::days(20),
    );
    let trained = now - Duration::days(12);
    train(
        &store,
        trained,
        &[
            set(&drill, Some(Side::Right), 0, trained),
            set(&drill, Some(Side::Left), 2, trained + Duration::minutes(1)),
        ],
        trained + Duration::minutes(5),
    );

    let settings = Settings::default();
    let (full, recent, day) = histories(&store, now);
    let plan = |h: &History| plan_today(&catalog, &settings, h, false, now, "UTC").unwrap();
    let levels = |h: &History| evaluate_levels(&catalog, &settings, h, now, "UTC").unwrap();
    let level_of = |h: &History| {
        plan(h)
            .items
            .iter()
            .find(|i| i.drill_id == drill)
            .map(|i| i.level)
    };
    // The weaker leg (level 0) sets the plan; the recent sets alone miss it.
    assert_eq!(level_of(&full), Some(0));
    assert_ne!(plan(&recent), plan(&full), "the reproduction shows the bug");
    assert_eq!(plan(&day), plan(&full));
    assert_eq!(levels(&day), levels(&full));
    // Only the latest older set of each drill and side came back.
    let older: usize = day
        .sessions
        .iter()
        .filter(|s| s.planned_for < now.date_naive() - Duration::days(WINDOW_DAYS + 1))
        .map(|s| s.sets.len())
        .sum();
    assert_eq!(older, 2);
}

/// One generated history: sessions on days with breaks between them, sets of random drills
/// and sides at random levels (some skipped, some stamped ahead of `now`), and level
/// records for some legs.
#[derive(Debug, Clone)]
struct Spec {
    /// Days between one session and the next (0 = the same day).
    gaps: Vec<u8>,
    /// Per session, its sets.
    sets: Vec<Vec<SetPick>>,
    /// (drill pick, side pick, level pick, days before the end).
    records: Vec<(u8, u8, u8, u8)>,
    /// Hours after the last session's day at which the day is planned.
    later_hours: Vec<u16>,
}

/// One set: (drill pick, side pick, level pick, skipped, minutes after 07:00).
type SetPick = (u8, u8, u8, bool, u16);

fn spec() -> impl Strategy<Value = Spec> {
    (2usize..9)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(prop_oneof![3 => 0u8..3, 2 => 3u8..15, 2 => 15u8..41], n),
                proptest::collection::vec(
                    proptest::collection::vec(
                        (
                            any::<u8>(),
                            0u8..3,
                            any::<u8>(),
                            proptest::bool::weighted(0.15),
                            0u16..1500,
                        ),
                        1..5,
                    ),
                    n,
                ),
                proptest::collection::vec((any::<u8>(), 0u8..3, any::<u8>(), 0u8..40), 0..3),
                proptest::collection::vec(0u16..(24 * 42), 1..4),
            )
        })
        .prop_map(|(gaps, sets, records, later_hours)| Spec {
            gaps,
            sets,
            records,
            later_hours,
        })
}

fn side_of(drill: &talus_core::catalog::Drill, pick: u8) -> Option<Side> {
    // Mostly as the runner logs them; now and then a side the drill does not expect (as a
    // peer's or an older version's data may hold), which the rules must read the same way.
    match (drill.sides, pick) {
        (Sides::Each, 0) => Some(Side::Left),
        (Sides::Each, 1) => Some(Side::Right),
        (Sides::Both, 0) => Some(Side::Left),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn the_day_s_history_plans_and_decides_as_the_full_history(spec in spec()) {
        let catalog = catalog();
        // Drills of the first two chains, so legs move along a chain and across chains.
        let drills: Vec<&talus_core::catalog::Drill> = catalog
            .chains()
            .values()
            .take(2)
            .flatten()
            .filter_map(|id| catalog.drill(id).ok())
            .collect();
        let start = Utc.with_ymd_and_hms(2026, 1, 5, 7, 0, 0).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("talus.db"), &catalog, start).unwrap().0;
        let mut day = start;
        let mut last_write = start;
        for (gap, sets) in spec.gaps.iter().zip(&spec.sets) {
            day += Duration::days(i64::from(*gap));
            let logged: Vec<SetLog> = sets
                .iter()
                .enumerate()
                .map(|(i, (d, s, l, skipped, minutes))| {
                    let drill = drills[usize::from(*d) % drills.len()];
                    let level = u32::from(*l) % u32::try_from(drill.dosage.len()).unwrap();
                    let mut x = set(&drill.id, side_of(drill, *s), level, day + Duration::minutes(i64::from(*minutes)));
                    x.set_index = u32::try_from(i).unwrap();
                    x.skipped = *skipped;
                    x
                })
                .collect();
            let session = store
                .create_session(day.date_naive(), "Europe/London", PlanVariant::Normal, day)
                .unwrap();
            last_write = last_write.max(day + Duration::days(1));
            store.finish_session(session.id, &logged, last_write).unwrap();
        }
        let end = day;
        for (d, s, l, back) in &spec.records {
            let drill = drills[usize::from(*d) % drills.len()];
            let record = DrillProgress {
                drill_id: drill.id.clone(),
                side: side_of(drill, *s),
                level: u32::from(*l) % u32::try_from(drill.dosage.len()).unwrap(),
                changed_at: end - Duration::days(i64::from(*back)),
            };
            record_levels(&store, std::slice::from_ref(&record), last_write);
        }
        let settings = Settings::default();
        for hours in &spec.later_hours {
            // From the last session's day (sets may lie up to a day ahead) to six weeks on.
            let now = end.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc()
                + Duration::hours(i64::from(*hours));
            let (full, _, the_day) = histories(&store, now);
            for zone in ["Europe/London", "Pacific/Kiritimati", "America/Los_Angeles"] {
                for after_long in [false, true] {
                    prop_assert_eq!(
                        plan_today(&catalog, &settings, &the_day, after_long, now, zone),
                        plan_today(&catalog, &settings, &full, after_long, now, zone),
                        "{} {}", now, zone
                    );
                }
                prop_assert_eq!(
                    evaluate_levels(&catalog, &settings, &the_day, now, zone),
                    evaluate_levels(&catalog, &settings, &full, now, zone),
                    "{} {}", now, zone
                );
            }
        }
    }
}

/// The generated histories above do reach the case the recent sets alone get wrong (so
/// the property is not vacuous): a break of 9-37 days with a leg that has no record.
#[test]
fn recent_sets_alone_plan_differently_after_a_break() {
    let catalog = catalog();
    let drill = unilateral_drill(&catalog);
    let settings = Settings::default();
    let mut differed = 0;
    for break_days in 0..=40 {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
        let store = Store::open(&dir.path().join("talus.db"), &catalog, now)
            .unwrap()
            .0;
        let trained = now - Duration::days(break_days);
        train(
            &store,
            trained,
            &[
                set(&drill, Some(Side::Right), 1, trained),
                set(&drill, Some(Side::Left), 2, trained),
            ],
            now,
        );
        let (full, recent, day) = histories(&store, now);
        let plan = |h: &History| plan_today(&catalog, &settings, h, false, now, "UTC").unwrap();
        assert_day_decides_as_full(
            &catalog,
            &settings,
            &day,
            &full,
            now,
            &format!("break of {break_days} days"),
        );
        if plan(&recent) != plan(&full) {
            differed += 1;
        }
    }
    // Breaks of 11 to 36 days (the window's edges depend on the hour).
    assert!(differed >= 20, "{differed}");
}

/// Sets stamped ahead of `now` (a peer's fast clock) in a session before the level window
/// count as made at `now`, which ties them: the day's history keeps all of them, not only
/// the latest as stamped.
#[test]
fn older_sets_stamped_ahead_tie_at_now_as_in_the_full_history() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    let catalog = catalog();
    let store = Store::open(&dir.path().join("talus.db"), &catalog, now)
        .unwrap()
        .0;
    let drill = unilateral_drill(&catalog);
    let planned = now - Duration::days(20);
    train(
        &store,
        planned,
        &[
            set(&drill, Some(Side::Right), 0, planned),
            set(&drill, Some(Side::Right), 2, now + Duration::hours(1)),
        ],
        now,
    );
    // The latest as stamped in a later session (read first, newest session first).
    let later = now - Duration::days(15);
    train(
        &store,
        later,
        &[set(&drill, Some(Side::Right), 0, now + Duration::hours(2))],
        now,
    );
    let settings = Settings::default();
    let (full, _, day) = histories(&store, now);
    let plan = |h: &History| plan_today(&catalog, &settings, h, false, now, "UTC").unwrap();
    let level_of = |h: &History| {
        plan(h)
            .items
            .iter()
            .find(|i| i.drill_id == drill)
            .map(|i| i.level)
    };
    // Both ahead sets read as made now; the higher level wins the tie.
    assert_eq!(level_of(&full), Some(2));
    assert_day_decides_as_full(&catalog, &settings, &day, &full, now, "");
}

/// Both legs trained the chain since the window's start (so only older sets at or after the
/// earlier leg's latest are looked up), and an older set without a side (as a peer's data
/// may hold), stamped after the left leg's latest but before the right's, is still the left
/// leg's latest: the left leg stands lower in the chain and sets today's dose.
#[test]
fn an_older_set_without_a_side_can_be_one_leg_s_latest_when_both_legs_trained_since() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    let catalog = catalog();
    let store = Store::open(&dir.path().join("talus.db"), &catalog, now)
        .unwrap()
        .0;
    let (easier, harder) = ("ankle_pumps_seated", "knee_to_wall_rocks");
    assert!(catalog
        .chains()
        .values()
        .any(|c| c.first().map(String::as_str) == Some(easier) && c.iter().any(|d| d == harder)));
    // An older session (before the level window) whose set was stamped late.
    let old = now - Duration::days(12);
    train(
        &store,
        old,
        &[set(easier, None, 1, now - Duration::hours(132))],
        now,
    );
    let recent = now - Duration::days(6);
    train(
        &store,
        recent,
        &[
            set(harder, Some(Side::Left), 0, now - Duration::hours(144)),
            set(harder, Some(Side::Right), 0, now - Duration::hours(120)),
        ],
        now,
    );
    let settings = Settings::default();
    let (full, recent_only, day) = histories(&store, now);
    let plan = |h: &History| plan_today(&catalog, &settings, h, false, now, "UTC").unwrap();
    assert!(plan(&full)
        .items
        .iter()
        .any(|i| i.drill_id == easier && i.level == 1));
    assert_ne!(plan(&recent_only), plan(&full));
    assert_day_decides_as_full(&catalog, &settings, &day, &full, now, "");
}

/// Both legs trained the chain since the window's start with sets stamped ahead of `now`,
/// and an older set is stamped ahead too (before both): all of them read as made at `now`,
/// so the older set ties with the right leg's latest and its higher level wins.
#[test]
fn an_older_set_stamped_ahead_ties_with_recent_sets_stamped_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    let catalog = catalog();
    let store = Store::open(&dir.path().join("talus.db"), &catalog, now)
        .unwrap()
        .0;
    let drill = unilateral_drill(&catalog);
    let old = now - Duration::days(12);
    train(
        &store,
        old,
        &[set(&drill, Some(Side::Right), 2, now + Duration::hours(1))],
        now,
    );
    let recent = now - Duration::days(1);
    train(
        &store,
        recent,
        &[
            set(&drill, Some(Side::Left), 2, now + Duration::hours(3)),
            set(&drill, Some(Side::Right), 0, now + Duration::hours(2)),
        ],
        now,
    );
    let settings = Settings::default();
    let (full, _, day) = histories(&store, now);
    let plan = |h: &History| plan_today(&catalog, &settings, h, false, now, "UTC").unwrap();
    assert!(plan(&full)
        .items
        .iter()
        .any(|i| i.drill_id == drill && i.level == 2));
    assert_day_decides_as_full(&catalog, &settings, &day, &full, now, "");
}

/// A set as the day's history carries it: only the fields the rules read (ADR 0015).
fn as_the_rules_read_it(set: &SetLog) -> SetLog {
    SetLog {
        target_reps: None,
        reps_done: None,
        target_hold_s: None,
        hold_s_done: None,
        stretch: false,
        note: None,
        ..set.clone()
    }
}

#[test]
fn the_day_s_sets_are_the_full_history_s_with_only_the_fields_the_rules_read() {
    use talus_core::store::{generate_history, FixtureSpec};
    let dir = tempfile::tempdir().unwrap();
    let catalog = catalog();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 7, 0, 0).unwrap();
    let store = Store::open(&dir.path().join("talus.db"), &catalog, now)
        .unwrap()
        .0;
    let spec = FixtureSpec {
        start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        days: 60,
        zone: "Europe/London".into(),
        seed: 5,
    };
    generate_history(&store, &catalog, &spec).unwrap();
    // A stretch answer and a note, which the day's history leaves out.
    let at = now - Duration::hours(20);
    let mut noted = set(&unilateral_drill(&catalog), Some(Side::Left), 1, at);
    noted.stretch = true;
    noted.note = Some("felt tight".into());
    train(&store, at, &[noted], at + Duration::minutes(5));
    // Inside the fixture's days, and after a 12-day break (older sets only).
    let (mut recent, mut older) = (0, 0);
    for hours in [0, 30, 24 * 12] {
        let now = now + Duration::hours(hours);
        let (full, _, day) = histories(&store, now);
        let sets_from = now.date_naive() - Duration::days(WINDOW_DAYS + 1);
        assert_eq!(full.sessions.len(), day.sessions.len());
        for (f, d) in full.sessions.iter().zip(&day.sessions) {
            let mut whole = f.clone();
            whole.sets = f.sets.iter().map(as_the_rules_read_it).collect();
            if f.planned_for >= sets_from {
                recent += d.sets.len();
                assert_eq!(d, &whole, "{now}");
            } else {
                // Older sessions carry some of their sets (each leg's latest), as read.
                older += d.sets.len();
                let mut some = whole.clone();
                some.sets.retain(|s| d.sets.contains(s));
                assert_eq!(d, &some, "{now}");
            }
        }
        let (mut full_rest, mut day_rest) = (full.clone(), day.clone());
        full_rest.sessions.clear();
        day_rest.sessions.clear();
        // When runs became known is for reminders only; the day does not read it.
        full_rest.run_known_since.clear();
        assert_eq!(
            day_rest, full_rest,
            "{now}: everything but the sets is read whole"
        );
    }
    assert!(
        recent > 0 && older > 0,
        "{recent} recent and {older} older sets"
    );
}

#[test]
fn the_forecast_of_the_day_is_what_plan_day_plans_and_stores() {
    use talus_core::app::Coach;
    use talus_core::progression::LevelChange;
    use talus_core::store::{generate_history, FixtureSpec};
    let dir = tempfile::tempdir().unwrap();
    let catalog = catalog();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 6, 0, 0).unwrap();
    let coach = Coach::open(dir.path(), start).unwrap();
    let spec = FixtureSpec {
        start: start.date_naive(),
        days: 70,
        zone: "Europe/London".into(),
        seed: 23,
    };
    generate_history(coach.store(), &catalog, &spec).unwrap();
    let all_no: Vec<(String, talus_core::safety::Answer)> =
        talus_core::progression::screening_questions("en")
            .into_iter()
            .map(|q| (q.id, talus_core::safety::Answer::No))
            .collect();
    coach.answer_screening(&all_no, start).unwrap();
    let mut changed = 0;
    // Every few days of the fixture and past its end, once with the level decisions not
    // yet stored (the forecast must apply them) and once after they are.
    for day in (10..80).step_by(3) {
        let now = start + Duration::days(day) + Duration::hours(3);
        let forecast = coach.forecast_day(now, "Europe/London").unwrap();
        let planned = coach.plan_day(now, "Europe/London").unwrap();
        assert_eq!(forecast, planned, "day {day}");
        assert_eq!(
            coach.forecast_day(now, "Europe/London").unwrap().plan,
            planned.plan,
            "day {day}, decisions stored"
        );
        changed += planned
            .levels
            .iter()
            .filter(|d| d.change != LevelChange::Hold)
            .count();
    }
    assert!(changed > 0, "the fixture moves some levels");
}

#[test]
fn a_chain_with_both_legs_recorded_needs_none_of_its_older_sets() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap();
    let catalog = catalog();
    let store = Store::open(&dir.path().join("talus.db"), &catalog, now)
        .unwrap()
        .0;
    let drill = unilateral_drill(&catalog);
    let record = |side, level| DrillProgress {
        drill_id: drill.clone(),
        side: Some(side),
        level,
        changed_at: now - Duration::days(20),
    };
    let records = [record(Side::Left, 2), record(Side::Right, 1)];
    record_levels(&store, &records, now - Duration::days(20));
    let trained = now - Duration::days(12);
    train(
        &store,
        trained,
        &[
            set(&drill, Some(Side::Right), 0, trained),
            set(&drill, Some(Side::Left), 2, trained + Duration::minutes(1)),
        ],
        trained + Duration::minutes(5),
    );
    let settings = Settings::default();
    let (full, _, day) = histories(&store, now);
    assert_day_decides_as_full(&catalog, &settings, &day, &full, now, "both legs recorded");
    let older: usize = day.sessions.iter().map(|s| s.sets.len()).sum();
    assert_eq!(older, 0, "the records say where both legs stand");
    // Without the right leg's record, its latest older set is read again.
    let store2_dir = tempfile::tempdir().unwrap();
    let store2 = Store::open(&store2_dir.path().join("talus.db"), &catalog, now)
        .unwrap()
        .0;
    record_levels(&store2, &records[..1], now - Duration::days(20));
    train(
        &store2,
        trained,
        &[set(&drill, Some(Side::Right), 0, trained)],
        trained + Duration::minutes(5),
    );
    let (full, _, day) = histories(&store2, now);
    assert_day_decides_as_full(&catalog, &settings, &day, &full, now, "one leg recorded");
    let older: usize = day.sessions.iter().map(|s| s.sets.len()).sum();
    assert_eq!(older, 1);
}
