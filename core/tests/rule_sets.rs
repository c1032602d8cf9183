//! Each session's derived record of its sets (`session_rule_sets`, ADR 0020) is exactly what
//! its `set_log` rows give, after any sequence of finished sessions, corrections, deletes,
//! batch inserts and sync imports between two profiles (a deleted session brought back by a
//! peer's later edit included); the day's history read from the records is the full
//! history's sets with the fields the rules never read left empty (ADR 0015); a missing or
//! damaged record is read from `set_log` with the same result; an old profile upgrades
//! with a record for every session.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::json;
use talus_core::catalog::Catalog;
use talus_core::domain::{History, PlanVariant, Score, SetLog, Side};
use talus_core::store::{generate_history, open_raw, FixtureSpec, SetCorrection, SetKey, Store};
use talus_core::sync::{EntityKind, Hlc, Op, OpAction, Segment, Stamp, VersionVector};
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()
}

fn open(dir: &tempfile::TempDir, name: &str) -> Store {
    let catalog = Catalog::embedded().unwrap();
    Store::open(&dir.path().join(format!("{name}.db")), &catalog, t0())
        .unwrap()
        .0
}

/// The window every check reads: all of the sessions these tests write.
fn window() -> (DateTime<Utc>, DateTime<Utc>) {
    (t0() - Duration::days(30), t0() + Duration::days(30))
}

/// The full history's sessions with each set cut to the fields the rules read.
fn rule_fields(history: &History) -> Vec<(Uuid, Vec<SetLog>)> {
    history
        .sessions
        .iter()
        .map(|s| {
            let sets = s
                .sets
                .iter()
                .map(|x| SetLog {
                    target_reps: None,
                    reps_done: None,
                    target_hold_s: None,
                    hold_s_done: None,
                    stretch: false,
                    note: None,
                    ..x.clone()
                })
                .collect();
            (s.id, sets)
        })
        .collect()
}

/// The records agree with `set_log`, and the day's read of every session's sets (all of
/// them recent: `full_sets_from` before the window) is the full history's rule fields.
fn assert_records_exact(store: &Store, context: &str) {
    assert_eq!(
        store.stale_rule_sets().unwrap(),
        Vec::<Uuid>::new(),
        "{context}"
    );
    let (from, to) = window();
    let first = from.date_naive() - Duration::days(2);
    let day = store
        .history_to_plan_the_day(from, to, first, t0() + Duration::days(31))
        .unwrap();
    let full = store.history(from, to).unwrap();
    assert_eq!(rule_fields(&day), rule_fields(&full), "{context}");
}

/// One step of a generated sequence, on device `dev` (0 or 1).
#[derive(Debug, Clone)]
enum Step {
    /// A session planned `day` days after the start, finished with these sets.
    Finish {
        dev: usize,
        day: i64,
        sets: Vec<GenSet>,
    },
    /// The `which`-th finished session's `set`-th set corrected.
    Correct {
        dev: usize,
        which: usize,
        set: usize,
        pain: Option<i64>,
    },
    /// The `which`-th session deleted.
    Delete { dev: usize, which: usize },
    /// Everything `dev` holds imported by the other device.
    Sync { dev: usize },
    /// A peer's later edit of the `which`-th session (deleted or not) imported by `dev`.
    PeerEdit { dev: usize, which: usize },
    /// Generated history (batch inserts) of a few days.
    Batch { dev: usize, day: i64, seed: u64 },
}

#[derive(Debug, Clone)]
struct GenSet {
    drill: usize,
    side: Option<Side>,
    index: u32,
    level: u32,
    pain: Option<i64>,
    stopped: bool,
    skipped: bool,
    reason: Option<&'static str>,
    minute: i64,
}

fn gen_set() -> impl Strategy<Value = GenSet> {
    (
        0usize..4,
        prop_oneof![Just(None), Just(Some(Side::Left)), Just(Some(Side::Right))],
        0u32..3,
        0u32..5,
        proptest::option::of(0i64..=10),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just(None),
            Just(Some("pain_free_limit_exceeded")),
            Just(Some("runner"))
        ],
        0i64..4,
    )
        .prop_map(
            |(drill, side, index, level, pain, stopped, skipped, reason, minute)| GenSet {
                drill,
                side,
                index,
                level,
                pain,
                stopped,
                skipped,
                reason,
                minute,
            },
        )
}

fn gen_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0usize..2, 0i64..20, proptest::collection::vec(gen_set(), 0..7))
            .prop_map(|(dev, day, sets)| Step::Finish { dev, day, sets }),
        2 => (0usize..2, 0usize..8, 0usize..7, proptest::option::of(0i64..=10))
            .prop_map(|(dev, which, set, pain)| Step::Correct { dev, which, set, pain }),
        1 => (0usize..2, 0usize..8).prop_map(|(dev, which)| Step::Delete { dev, which }),
        2 => (0usize..2).prop_map(|dev| Step::Sync { dev }),
        1 => (0usize..2, 0usize..8).prop_map(|(dev, which)| Step::PeerEdit { dev, which }),
        1 => (0usize..2, 0i64..20, any::<u64>())
            .prop_map(|(dev, day, seed)| Step::Batch { dev, day, seed }),
    ]
}

/// Runs `steps` on two fresh profiles, checking the records after every one.
fn run_steps(steps: &[Step]) {
    let dir = tempfile::tempdir().unwrap();
    let stores = [open(&dir, "a"), open(&dir, "b")];
    let catalog = Catalog::embedded().unwrap();
    let drills: Vec<String> = catalog
        .chains()
        .values()
        .flat_map(|c| c.iter().cloned())
        .take(4)
        .collect();
    let start = t0() - Duration::days(20);
    // Every session either device created, in order (deleted ones stay listed).
    let mut sessions: Vec<Uuid> = Vec::new();
    let mut clock = t0();
    let peer = Uuid::from_u128(0xFEED);
    for (n, step) in steps.iter().enumerate() {
        clock += Duration::minutes(10);
        match step {
            Step::Finish { dev, day, sets } => {
                let store = &stores[*dev];
                let date = start.date_naive() + Duration::days(*day);
                let s = store
                    .create_session(date, "UTC", PlanVariant::Normal, clock)
                    .unwrap();
                let at = start + Duration::days(*day);
                let sets: Vec<SetLog> = sets
                    .iter()
                    .map(|g| SetLog {
                        drill_id: drills[g.drill % drills.len()].clone(),
                        side: g.side,
                        set_index: g.index,
                        level: g.level,
                        target_reps: Some(10),
                        reps_done: Some(8),
                        target_hold_s: None,
                        hold_s_done: Some(30),
                        pain: g.pain.map(|p| Score::new(p).unwrap()),
                        stretch: g.pain == Some(0),
                        stopped: g.stopped,
                        skipped: g.skipped,
                        reason_code: g.reason.map(str::to_owned),
                        note: Some("felt fine".into()),
                        at: at + Duration::minutes(g.minute),
                    })
                    .collect();
                store.finish_session(s.id, &sets, clock).unwrap();
                sessions.push(s.id);
            }
            Step::Correct {
                dev,
                which,
                set,
                pain,
            } => {
                let store = &stores[*dev];
                let Some(id) = sessions.get(*which) else {
                    continue;
                };
                let Ok(session) = store.session(*id) else {
                    continue;
                };
                let Some(x) = session.sets.get(*set) else {
                    continue;
                };
                let key = SetKey {
                    drill_id: x.drill_id.clone(),
                    side: x.side,
                    set_index: x.set_index,
                };
                let correction = SetCorrection {
                    pain: pain.map(|p| Score::new(p).unwrap()),
                    reps_done: Some(3),
                    hold_s_done: None,
                };
                // Two sets may share a key; either is corrected, as the API says.
                let _ = store.correct_set(*id, &key, &correction, clock);
            }
            Step::Delete { dev, which } => {
                if let Some(id) = sessions.get(*which) {
                    let _ = stores[*dev].delete_session(*id, clock);
                }
            }
            Step::Sync { dev } => {
                let segment = stores[*dev].segment_since(&VersionVector::new()).unwrap();
                stores[1 - dev].import_segment(&segment, clock).unwrap();
            }
            Step::PeerEdit { dev, which } => {
                let Some(id) = sessions.get(*which) else {
                    continue;
                };
                let hlc = Hlc {
                    wall_ms: (clock + Duration::minutes(1)).timestamp_millis() as u64,
                    counter: 0,
                };
                let edit = Op {
                    stamp: Stamp { hlc, device: peer },
                    entity: EntityKind::Session,
                    id: *id,
                    action: OpAction::Set {
                        field: "zone".into(),
                        value: json!("Europe/Berlin"),
                    },
                };
                let top: VersionVector = [(peer, hlc)].into_iter().collect();
                let segment = Segment::new(peer, VersionVector::new(), top, vec![edit]).unwrap();
                stores[*dev].import_segment(&segment, clock).unwrap();
            }
            Step::Batch { dev, day, seed } => {
                let spec = FixtureSpec {
                    start: start.date_naive() + Duration::days(*day),
                    days: 2,
                    zone: "UTC".into(),
                    seed: *seed,
                };
                generate_history(&stores[*dev], &catalog, &spec).unwrap();
            }
        }
        for (d, store) in stores.iter().enumerate() {
            assert_records_exact(store, &format!("device {d} after step {n}: {step:?}"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn records_stay_exact_after_any_writes_and_imports(
        steps in proptest::collection::vec(gen_step(), 1..12)
    ) {
        run_steps(&steps);
    }
}

/// A fixed sequence through every kind of write, so each is run on every test run.
#[test]
fn every_kind_of_write_keeps_the_records_exact() {
    let set = |drill: usize, side, index, minute| GenSet {
        drill,
        side,
        index,
        level: 2,
        pain: Some(3),
        stopped: minute == 2,
        skipped: minute == 3,
        reason: (minute == 2).then_some("runner"),
        minute,
    };
    run_steps(&[
        Step::Finish {
            dev: 0,
            day: 3,
            sets: vec![
                set(0, Some(Side::Right), 0, 1),
                set(0, Some(Side::Left), 0, 1),
                set(1, None, 1, 0),
                set(2, Some(Side::Left), 0, 2),
                set(3, Some(Side::Left), 0, 3),
            ],
        },
        Step::Batch {
            dev: 1,
            day: 5,
            seed: 3,
        },
        Step::Sync { dev: 0 },
        Step::Sync { dev: 1 },
        Step::Correct {
            dev: 1,
            which: 0,
            set: 1,
            pain: Some(9),
        },
        Step::Sync { dev: 1 },
        Step::Delete { dev: 0, which: 0 },
        Step::PeerEdit { dev: 0, which: 0 },
        Step::Sync { dev: 0 },
        Step::Delete { dev: 1, which: 0 },
        Step::Sync { dev: 1 },
    ]);
}

/// A record that is missing, damaged or of another layout is read from `set_log`: the day
/// reads the same sets.
#[test]
fn a_missing_or_damaged_record_reads_the_same_sets() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "a");
    let catalog = Catalog::embedded().unwrap();
    let spec = FixtureSpec {
        start: t0().date_naive() - Duration::days(20),
        days: 20,
        zone: "UTC".into(),
        seed: 11,
    };
    generate_history(&store, &catalog, &spec).unwrap();
    assert_records_exact(&store, "generated");
    let (from, to) = window();
    let first = from.date_naive() - Duration::days(2);
    let read = |store: &Store| {
        store
            .history_to_plan_the_day(from, to, first, t0() + Duration::days(31))
            .unwrap()
    };
    let before = read(&store);
    assert!(before.sessions.iter().any(|s| !s.sets.is_empty()));
    let raw = open_raw(&dir.path().join("a.db")).unwrap();
    for damage in [
        "UPDATE session_rule_sets SET record = CAST(record || x'00' AS BLOB)",
        "UPDATE session_rule_sets SET record = substr(record, 1, length(record) - 2)",
        "UPDATE session_rule_sets SET record = CAST(x'02' || substr(record, 2) AS BLOB)",
        "UPDATE session_rule_sets SET record = x''",
        "DELETE FROM session_rule_sets",
    ] {
        raw.execute_batch(damage).unwrap();
        assert_eq!(read(&store), before, "{damage}");
        assert!(!store.stale_rule_sets().unwrap().is_empty(), "{damage}");
    }
}

/// A v6 profile (no records) upgrades with a record for every session, in the migration's
/// transaction.
#[test]
fn a_v6_profile_upgrades_with_a_record_for_every_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let catalog = Catalog::embedded().unwrap();
    {
        let store = open(&dir, "a");
        let spec = FixtureSpec {
            start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            days: 40,
            zone: "Europe/London".into(),
            seed: 5,
        };
        generate_history(&store, &catalog, &spec).unwrap();
    }
    let raw = open_raw(&path).unwrap();
    raw.execute_batch("DROP TABLE session_rule_sets; PRAGMA user_version = 6;")
        .unwrap();
    drop(raw);
    let (store, report) = Store::open(&path, &catalog, t0()).unwrap();
    assert_eq!(report.migrated_from, Some(6));
    let count = |sql: &str| -> i64 {
        open_raw(&path)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    assert!(count("SELECT COUNT(*) FROM session") > 30);
    assert_eq!(
        count("SELECT COUNT(*) FROM session_rule_sets"),
        count("SELECT COUNT(*) FROM session")
    );
    assert_records_exact(&store, "migrated");
}

/// A v7 profile (records of the first layout, `run_start` on the instant alone) upgrades to
/// v8 with every record rewritten and the same history.
#[test]
fn a_v7_profile_upgrades_with_every_record_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let catalog = Catalog::embedded().unwrap();
    let before = {
        let store = open(&dir, "a");
        let spec = FixtureSpec {
            start: t0().date_naive() - Duration::days(20),
            days: 20,
            zone: "UTC".into(),
            seed: 8,
        };
        generate_history(&store, &catalog, &spec).unwrap();
        let (from, to) = window();
        store.history(from, to).unwrap()
    };
    let raw = open_raw(&path).unwrap();
    raw.execute_batch(
        "UPDATE session_rule_sets SET record = CAST(x'01' || substr(record, 2) AS BLOB); \
         DROP INDEX run_start; CREATE INDEX run_start ON run(start_ms); \
         PRAGMA user_version = 7;",
    )
    .unwrap();
    drop(raw);
    let (store, report) = Store::open(&path, &catalog, t0()).unwrap();
    assert_eq!(report.migrated_from, Some(7));
    let (from, to) = window();
    assert_eq!(store.history(from, to).unwrap(), before);
    assert_records_exact(&store, "upgraded from v7");
}
