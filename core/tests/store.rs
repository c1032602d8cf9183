//! Store integration tests on temporary files: opening, version and corruption policy,
//! migrations, validated writes that change nothing on error, history queries and their
//! query plans, and concurrent use.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use talus_core::catalog::Catalog;
use talus_core::domain::{
    CheckIn, PlanVariant, RegionScores, RunRecord, Score, SessionStatus, SetLog, Side,
};
use talus_core::store::{
    generate_history, migrations, open_raw, schema_fingerprint, FixtureSpec, Store, StoreError,
    UpsertOutcome, LATEST_VERSION,
};
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap()
}

fn catalog() -> Catalog {
    Catalog::embedded().unwrap()
}

fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("talus.db"), &catalog(), now())
        .unwrap()
        .0
}

/// Writes `days` days of generated history from `start` (y, m, d) in `zone`.
fn generate(store: &Store, start: (i32, u32, u32), days: u32, zone: &str, seed: u64) {
    let spec = FixtureSpec {
        start: NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap(),
        days,
        zone: zone.into(),
        seed,
    };
    generate_history(store, &catalog(), &spec).unwrap();
}

fn run(ext: &str, start: DateTime<Utc>, minutes: i64) -> RunRecord {
    RunRecord {
        source: "healthkit".into(),
        external_id: ext.into(),
        start,
        end: start + Duration::minutes(minutes),
        distance_m: minutes as f64 * 180.0,
        tags: vec![],
        zone: "Europe/London".into(),
    }
}

fn set(drill: &str, side: Option<Side>, index: u32, pain: i64, at: DateTime<Utc>) -> SetLog {
    SetLog {
        drill_id: drill.into(),
        side,
        set_index: index,
        level: 1,
        target_reps: Some(10),
        reps_done: Some(10),
        target_hold_s: None,
        hold_s_done: None,
        pain: Some(Score::new(pain).unwrap()),
        stretch: false,
        stopped: false,
        skipped: false,
        reason_code: None,
        note: None,
        at,
    }
}

#[test]
fn fresh_open_creates_and_reopen_keeps_identity() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let (store, report) = Store::open(&path, &catalog(), now()).unwrap();
    assert!(report.created);
    assert_eq!(report.quarantined, None);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.device_id().get_version_num(), 7);
    let id = store.device_id();
    drop(store);
    let (again, report) = Store::open(&path, &catalog(), now()).unwrap();
    assert!(!report.created);
    assert_eq!(again.device_id(), id);
}

#[test]
fn every_opened_profile_is_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let journal_mode = |path: &std::path::Path| -> String {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap()
    };
    // A current-version file left in rollback-journal mode (a copy made by another tool).
    let path = dir.path().join("talus.db");
    drop(Store::open(&path, &catalog(), now()).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA journal_mode=DELETE")
        .unwrap();
    assert_eq!(journal_mode(&path), "delete");
    let (store, _) = Store::open(&path, &catalog(), now()).unwrap();
    assert_eq!(journal_mode(&path), "wal");
    drop(store);
    // And reopened in WAL mode, it stays so.
    let (_store, _) = Store::open(&path, &catalog(), now()).unwrap();
    assert_eq!(journal_mode(&path), "wal");
}

#[test]
fn newer_schema_is_refused_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future(x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, &catalog(), now()).unwrap_err();
    assert_eq!(
        err,
        StoreError::IncompatibleVersion {
            found: 99,
            supported: LATEST_VERSION
        }
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no side files created"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_quarantined_not_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    std::fs::write(&path, b"this is not sqlite, it is a shopping list").unwrap();
    let (store, report) = Store::open(&path, &catalog(), now()).unwrap();
    let moved = report.quarantined.expect("quarantined");
    assert!(moved
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("talus.db.corrupt-20260504T090000"));
    assert_eq!(
        std::fs::read(&moved).unwrap(),
        b"this is not sqlite, it is a shopping list"
    );
    assert!(report.created);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_database_with_damaged_pages_is_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    {
        let store = open(&dir);
        generate(&store, (2025, 1, 1), 30, "UTC", 3);
        let conn = open_raw(&path).unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192 * 4);
    // Scribble over the middle of the file, leaving the header intact.
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 4096] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    // Either the cheap probe at open sees the damage, or the full check does and the next
    // open moves the file aside.
    let (store, report) = Store::open(&path, &catalog(), now()).unwrap();
    if report.quarantined.is_none() {
        assert!(!store.verify().unwrap(), "integrity check must fail");
        drop(store);
        let (fresh, report) = Store::open(&path, &catalog(), now()).unwrap();
        assert!(
            report.quarantined.is_some(),
            "damaged file must be moved aside"
        );
        assert!(fresh.verify().unwrap());
    }
}

#[test]
fn every_earlier_version_migrates_to_the_fresh_schema() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = {
        let store = open(&dir);
        drop(store);
        schema_fingerprint(&open_raw(&dir.path().join("talus.db")).unwrap()).unwrap()
    };
    for from in 1..LATEST_VERSION {
        let path = dir.path().join(format!("v{from}.db"));
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            // v1 from the SQL snapshot shipped with that version; later steps from the
            // migration list.
            conn.execute_batch(include_str!("../src/store/snapshots/v1.sql"))
                .unwrap();
            for step in &migrations()[1..from as usize] {
                conn.execute_batch(step).unwrap();
            }
            conn.pragma_update(None, "user_version", from).unwrap();
            conn.execute(
                "INSERT INTO rom_measurement(id, at_ms, zone, side, cm) VALUES ('0190aaaa-0000-7000-8000-000000000001', 1, 'UTC', 'left', 9.5)",
                [],
            )
            .unwrap();
        }
        let (store, report) = Store::open(&path, &catalog(), now()).unwrap();
        assert_eq!(report.migrated_from, Some(from));
        assert_eq!(
            store.rom_series(Side::Left).unwrap()[0].cm,
            9.5,
            "data survives"
        );
        drop(store);
        assert_eq!(
            schema_fingerprint(&open_raw(&path).unwrap()).unwrap(),
            fresh
        );
    }
}

#[test]
fn a_v3_op_log_of_json_text_migrates_to_compact_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let store = open(&dir);
    store
        .upsert_run(&run("A1", now() - Duration::hours(3), 40), now())
        .unwrap();
    let s = store
        .create_session(now().date_naive(), "UTC", PlanVariant::Normal, now())
        .unwrap();
    let sets = [set("ankle_pumps_seated", Some(Side::Left), 0, 2, now())];
    store.finish_session(s.id, &sets, now()).unwrap();
    let ops = store.ops().unwrap();
    let exported = store
        .segment_since(&talus_core::sync::VersionVector::new())
        .unwrap();
    drop(store);
    // Back to the v3 layout: the op column as JSON text (and no v5 stretch column).
    {
        let conn = open_raw(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE op_log; CREATE TABLE op_log (device TEXT NOT NULL, \
             hlc_wall_ms INTEGER NOT NULL, hlc_counter INTEGER NOT NULL, entity TEXT NOT NULL, \
             entity_id TEXT NOT NULL, op TEXT NOT NULL, \
             PRIMARY KEY (device, hlc_wall_ms, hlc_counter)) STRICT, WITHOUT ROWID; \
             CREATE INDEX op_log_entity ON op_log(entity, entity_id); \
             ALTER TABLE set_log DROP COLUMN stretch; PRAGMA user_version = 3;",
        )
        .unwrap();
        for op in &ops {
            conn.execute(
                "INSERT INTO op_log VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    op.stamp.device.to_string(),
                    op.stamp.hlc.wall_ms as i64,
                    op.stamp.hlc.counter,
                    op.entity.as_str(),
                    op.id.to_string(),
                    serde_json::to_string(op).unwrap()
                ],
            )
            .unwrap();
        }
    }
    let (store, report) = Store::open(&path, &catalog(), now()).unwrap();
    assert_eq!(report.migrated_from, Some(3));
    assert_eq!(store.ops().unwrap(), ops);
    assert_eq!(
        store
            .segment_since(&talus_core::sync::VersionVector::new())
            .unwrap(),
        exported
    );
    drop(store);
    let json_left: i64 = open_raw(&path)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM op_log WHERE typeof(op) <> 'blob' OR substr(op, 1, 1) = x'7b'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(json_left, 0);
}

#[test]
fn run_upsert_is_idempotent_and_updates_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let r = run("A1", now() - Duration::hours(3), 40);
    let (first, outcome) = store.upsert_run(&r, now()).unwrap();
    assert_eq!(outcome, UpsertOutcome::Inserted);
    let ops = store.op_count().unwrap();
    let (second, outcome) = store.upsert_run(&r, now()).unwrap();
    assert_eq!((second.id, outcome), (first.id, UpsertOutcome::Unchanged));
    assert_eq!(
        store.op_count().unwrap(),
        ops,
        "an unchanged upsert records nothing"
    );
    let mut longer = r.clone();
    longer.end += Duration::minutes(20);
    let (third, outcome) = store.upsert_run(&longer, now()).unwrap();
    assert_eq!((third.id, outcome), (first.id, UpsertOutcome::Updated));
    let runs = store
        .runs_between(now() - Duration::days(1), now())
        .unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].record, longer);
}

#[test]
fn bad_runs_are_rejected_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let good = run("ok", now() - Duration::hours(2), 30);
    let mut end_before_start = good.clone();
    end_before_start.end = good.start - Duration::minutes(1);
    let mut too_long = good.clone();
    too_long.end = good.start + Duration::hours(25);
    let mut negative = good.clone();
    negative.distance_m = -5.0;
    let mut nan = good.clone();
    nan.distance_m = f64::NAN;
    let mut zone = good.clone();
    zone.zone = "Europe/Atlantis".into();
    let mut empty = good.clone();
    empty.external_id = " ".into();
    for bad in [end_before_start, too_long, negative, nan, zone, empty] {
        assert!(store.upsert_run(&bad, now()).is_err(), "{bad:?}");
    }
    assert_eq!(store.op_count().unwrap(), 0);
    assert!(store
        .runs_between(now() - Duration::days(2), now())
        .unwrap()
        .is_empty());
}

#[test]
fn session_life_cycle_with_snapshot_and_atomic_finish() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let date = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
    let s = store
        .create_session(date, "Europe/London", PlanVariant::Normal, now())
        .unwrap();
    store.start_session(s.id, "{\"v\":1}", now()).unwrap();
    store
        .pause_session(s.id, "{\"v\":2}", now() + Duration::minutes(3))
        .unwrap();
    let open_s = store
        .open_session()
        .unwrap()
        .expect("paused session is open");
    assert_eq!(open_s.status, SessionStatus::Paused);
    assert_eq!(open_s.snapshot.as_deref(), Some("{\"v\":2}"));

    // An unknown drill in one set rejects the whole finish.
    let t = now() + Duration::minutes(5);
    let bad = vec![
        set("banded_df_mob", Some(Side::Left), 0, 1, t),
        set("moonwalk", None, 0, 1, t),
    ];
    let ops = store.op_count().unwrap();
    assert!(matches!(
        store.finish_session(s.id, &bad, t),
        Err(StoreError::UnknownDrill(_))
    ));
    assert_eq!(store.op_count().unwrap(), ops);
    assert_eq!(store.session(s.id).unwrap().status, SessionStatus::Paused);

    let good = vec![
        set("banded_df_mob", Some(Side::Left), 0, 1, t),
        set("banded_df_mob", Some(Side::Right), 0, 2, t),
    ];
    let done = store.finish_session(s.id, &good, t).unwrap();
    assert_eq!(done.status, SessionStatus::Finished);
    assert_eq!(done.sets, good);
    assert_eq!(done.snapshot, None);
    assert!(store.open_session().unwrap().is_none());
    assert!(matches!(
        store.finish_session(s.id, &good, t),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.start_session(Uuid::nil(), "{}", t),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.last_sessions(5).unwrap().len(), 1);
}

#[test]
fn checkins_validate_zone_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let c = CheckIn {
        id: Uuid::now_v7(),
        at: now() - Duration::hours(1),
        zone: "America/New_York".into(),
        pain: RegionScores {
            calf: Score::new(2).unwrap(),
            achilles: Score::ZERO,
            ankle: Score::new(5).unwrap(),
        },
        stiffness: RegionScores::default(),
        red_flags_yes: vec![],
        run_id: None,
    };
    let mut future = c.clone();
    future.at = now() + Duration::hours(2);
    assert!(matches!(
        store.add_checkin(&future, now()),
        Err(StoreError::Conflict(_))
    ));
    let mut zone = c.clone();
    zone.zone = "Nowhere/Town".into();
    assert!(matches!(
        store.add_checkin(&zone, now()),
        Err(StoreError::Zone(_))
    ));
    store.add_checkin(&c, now()).unwrap();
    assert_eq!(
        store
            .checkins_between(now() - Duration::days(1), now())
            .unwrap(),
        vec![c]
    );
    // Pain 11 cannot even be expressed: the JSON a shell sends is rejected at parse time.
    assert!(serde_json::from_str::<RegionScores>(r#"{"calf":11,"achilles":0,"ankle":0}"#).is_err());
}

#[test]
fn rom_series_and_bad_measurements() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    for (days, cm) in [(14, 9.0), (7, 9.6), (0, 10.4)] {
        store
            .add_rom(Side::Right, cm, now() - Duration::days(days), "UTC", now())
            .unwrap();
    }
    let series: Vec<f64> = store
        .rom_series(Side::Right)
        .unwrap()
        .iter()
        .map(|m| m.cm)
        .collect();
    assert_eq!(series, [9.0, 9.6, 10.4]);
    assert!(store.rom_series(Side::Left).unwrap().is_empty());
    let ops = store.op_count().unwrap();
    assert!(store
        .add_rom(Side::Left, -1.0, now(), "UTC", now())
        .is_err());
    assert!(store
        .add_rom(Side::Left, 80.0, now(), "UTC", now())
        .is_err());
    assert!(store
        .add_rom(Side::Left, 9.0, now() + Duration::days(1), "UTC", now())
        .is_err());
    assert_eq!(store.op_count().unwrap(), ops);
}

#[test]
fn fixture_year_feeds_trends_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let spec = FixtureSpec {
        start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        days: 365,
        zone: "Europe/London".into(),
        seed: 7,
    };
    let summary = generate_history(&store, &catalog(), &spec).unwrap();
    assert_eq!(summary.sessions, 365);
    assert_eq!(summary.checkins, 365);
    assert!(summary.sets >= 365 * 6 * 3, "{summary:?}");
    assert!(
        (5 * 52 - 30..=6 * 53).contains(&summary.runs),
        "{summary:?}"
    );
    assert_eq!(summary.rom, 2 * 53);
    let from = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
    let to = from + Duration::days(28);
    let trend = store
        .pain_trend(
            "banded_df_mob",
            Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        )
        .unwrap();
    assert!(trend.len() > 40, "weekly points: {}", trend.len());
    assert!(trend.iter().all(|p| p.mean_pain <= 2.0 && p.max_pain <= 2));
    let history = store.history(from, to).unwrap();
    assert_eq!(history.checkins.len(), 28);
    assert!((28..=30).contains(&history.sessions.len()));
    assert!(history
        .runs
        .iter()
        .all(|r| r.record.start >= from && r.record.start < to));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn the_day_is_decided_the_same_on_recent_sets_as_on_the_full_history() {
    use talus_core::progression::{evaluate_levels, WINDOW_DAYS};
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let catalog = catalog();
    generate(&store, (2025, 1, 1), 60, "Europe/London", 11);
    let settings = talus_core::domain::Settings::default();
    let decide = |now: DateTime<Utc>, zone: &str| {
        let (from, to) = (
            now - Duration::days(35),
            now + talus_core::app::MERGED_AHEAD,
        );
        let sets_from = now.date_naive() - Duration::days(WINDOW_DAYS + 1);
        let full = store.history(from, to).unwrap();
        let recent = store.history_with_recent_sets(from, to, sets_from).unwrap();
        let full_sets: usize = full.sessions.iter().map(|s| s.sets.len()).sum();
        let recent_sets: usize = recent.sessions.iter().map(|s| s.sets.len()).sum();
        assert_eq!(full.sessions.len(), recent.sessions.len());
        (
            evaluate_levels(&catalog, &settings, &full, now, zone),
            evaluate_levels(&catalog, &settings, &recent, now, zone),
            full_sets,
            recent_sets,
        )
    };
    // After the fixture's last day (its records would lie in the future before that).
    for hours in (0..72).step_by(5) {
        for zone in ["Europe/London", "Pacific/Kiritimati", "Pacific/Pago_Pago"] {
            let now = Utc.with_ymd_and_hms(2025, 3, 3, 0, 30, 0).unwrap() + Duration::hours(hours);
            let (full, recent, full_sets, recent_sets) = decide(now, zone);
            assert_eq!(full, recent, "{now} {zone}");
            assert!(full.is_ok());
            assert!(recent_sets < full_sets / 2, "{recent_sets} of {full_sets}");
        }
    }
    // A set stamped ahead (a peer's fast clock) in a session outside the window changes
    // nothing either.
    let now = Utc.with_ymd_and_hms(2025, 3, 4, 7, 0, 0).unwrap();
    let old = store
        .create_session(
            now.date_naive() - Duration::days(20),
            "UTC",
            PlanVariant::Normal,
            now,
        )
        .unwrap();
    let ahead = set("ankle_pumps_seated", None, 0, 1, now + Duration::hours(2));
    store.finish_session(old.id, &[ahead], now).unwrap();
    let (full, recent, ..) = decide(now, "Europe/London");
    assert!(full.is_ok());
    assert_eq!(full, recent);
}

#[test]
fn recent_sets_are_the_full_history_s_sets_of_the_later_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    generate(&store, (2025, 1, 1), 50, "Europe/London", 13);
    let from = Utc.with_ymd_and_hms(2025, 1, 10, 6, 0, 0).unwrap();
    let to = from + Duration::days(36);
    let full = store.history(from, to).unwrap();
    // Before the window, at its edges, inside it, after it.
    for offset in [-40, -1, 0, 1, 20, 35, 36, 37, 60] {
        let sets_from = from.date_naive() + Duration::days(offset);
        let mut want = full.clone();
        for s in &mut want.sessions {
            if s.planned_for < sets_from {
                s.sets.clear();
            }
        }
        let got = store.history_with_recent_sets(from, to, sets_from).unwrap();
        assert_eq!(got, want, "sets from {sets_from}");
    }
}

#[test]
fn sets_come_back_in_the_order_of_the_former_sql_sort_ties_included() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    generate(&store, (2026, 3, 1), 40, "Europe/London", 17);
    // Ties on (at, set index, side) between drills and sides, written out of order.
    let at = Utc.with_ymd_and_hms(2026, 4, 12, 7, 0, 0).unwrap();
    let s = store
        .create_session(at.date_naive(), "UTC", PlanVariant::Normal, at)
        .unwrap();
    let mut sets = Vec::new();
    for (i, drill) in ["knee_to_wall_rocks", "ankle_pumps_seated", "banded_df_mob"]
        .iter()
        .enumerate()
    {
        for side in [Some(Side::Right), None, Some(Side::Left)] {
            sets.push(set(drill, side, 1, 1, at + Duration::seconds(30)));
            sets.push(set(drill, side, 0, 1, at + Duration::seconds(i as i64)));
        }
    }
    store
        .finish_session(s.id, &sets, at + Duration::minutes(5))
        .unwrap();

    let conn = open_raw(&dir.path().join("talus.db")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT session_id, drill_id, side, set_index, at_ms FROM set_log \
             ORDER BY session_id, at_ms, set_index, side",
        )
        .unwrap();
    type Key = (String, Option<String>, i64, i64);
    let mut want: std::collections::BTreeMap<String, Vec<Key>> = Default::default();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
            ))
        })
        .unwrap()
    {
        let (session, key) = row.unwrap();
        want.entry(session).or_default().push(key);
    }
    let side_text = |side: Option<Side>| {
        side.map(|s| match s {
            Side::Left => "left".to_string(),
            Side::Right => "right".to_string(),
        })
    };
    let mut compared = 0;
    for session in store.last_sessions(1000).unwrap() {
        let got: Vec<Key> = session
            .sets
            .iter()
            .map(|x| {
                (
                    x.drill_id.clone(),
                    side_text(x.side),
                    i64::from(x.set_index),
                    x.at.timestamp_millis(),
                )
            })
            .collect();
        let expected = want.remove(&session.id.to_string()).unwrap_or_default();
        assert_eq!(got, expected, "session {}", session.planned_for);
        compared += got.len();
    }
    assert!(want.is_empty());
    assert!(compared > 500, "{compared}");
}

#[test]
fn the_day_is_planned_the_same_without_when_runs_became_known() {
    use talus_core::progression::{evaluate_levels, plan_today, WINDOW_DAYS};
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let catalog = catalog();
    generate(&store, (2025, 1, 1), 60, "Europe/London", 21);
    let settings = talus_core::domain::Settings::default();
    let mut runs_seen = 0;
    for hours in (0..96).step_by(7) {
        for zone in ["Europe/London", "Pacific/Kiritimati", "America/Los_Angeles"] {
            let now = Utc.with_ymd_and_hms(2025, 3, 2, 3, 0, 0).unwrap() + Duration::hours(hours);
            let (from, to) = (
                now - Duration::days(35),
                now + talus_core::app::MERGED_AHEAD,
            );
            let sets_from = now.date_naive() - Duration::days(WINDOW_DAYS + 1);
            let with = store.history_with_recent_sets(from, to, sets_from).unwrap();
            let day = store.history_for_the_day(from, to, sets_from).unwrap();
            assert!(!with.run_known_since.is_empty());
            runs_seen += with.run_known_since.len();
            let mut stripped = with.clone();
            stripped.run_known_since.clear();
            assert_eq!(day, stripped, "only when runs became known is left out");
            for after_long in [false, true] {
                assert_eq!(
                    plan_today(&catalog, &settings, &day, after_long, now, zone),
                    plan_today(&catalog, &settings, &with, after_long, now, zone),
                );
            }
            assert_eq!(
                evaluate_levels(&catalog, &settings, &day, now, zone),
                evaluate_levels(&catalog, &settings, &with, now, zone),
            );
        }
    }
    assert!(runs_seen > 100, "{runs_seen}");
}

#[test]
fn reminders_are_the_same_without_sets_as_on_the_full_history() {
    use talus_core::schedule::plan_reminders;
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    generate(&store, (2025, 1, 1), 70, "Europe/London", 5);
    // An unfinished session in the coming week keeps its daily reminder.
    let ahead = Utc.with_ymd_and_hms(2025, 3, 8, 7, 0, 0).unwrap();
    store
        .create_session(
            ahead.date_naive() + Duration::days(2),
            "UTC",
            PlanVariant::Normal,
            ahead,
        )
        .unwrap();
    let mut settings = talus_core::domain::Settings::default();
    settings.reminders.weekly_rom_retest = true;
    let mut kinds = std::collections::BTreeSet::new();
    for hours in (0..24 * 20).step_by(7) {
        for zone in ["Europe/London", "Pacific/Kiritimati", "America/Los_Angeles"] {
            let now = Utc.with_ymd_and_hms(2025, 2, 20, 5, 0, 0).unwrap() + Duration::hours(hours);
            let (from, to) = (now - Duration::days(40), now + Duration::days(8));
            let full = store.history(from, to).unwrap();
            let lean = store.history_without_sets(from, to).unwrap();
            assert!(lean.sessions.iter().all(|s| s.sets.is_empty()));
            assert!(full.sessions.iter().any(|s| !s.sets.is_empty()));
            let strip = |mut h: talus_core::domain::History| {
                h.sessions.iter_mut().for_each(|s| s.sets.clear());
                h
            };
            assert_eq!(strip(full.clone()), lean, "only the sets differ");
            let want = plan_reminders(&settings, &full, now, zone).unwrap();
            assert_eq!(plan_reminders(&settings, &lean, now, zone).unwrap(), want);
            kinds.extend(want.iter().map(|r| format!("{:?}", r.kind)));
        }
    }
    assert!(
        kinds.len() >= 3,
        "every kind of reminder was compared: {kinds:?}"
    );
}

#[test]
fn hot_queries_use_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let _store = open(&dir);
    let conn = open_raw(&dir.path().join("talus.db")).unwrap();
    let queries = [
        "SELECT * FROM session ORDER BY planned_for DESC LIMIT 10",
        "SELECT * FROM session WHERE planned_for BETWEEN '2026-01-01' AND '2026-02-01'",
        "SELECT at_ms, pain FROM set_log WHERE drill_id = 'x' AND at_ms >= 0 AND at_ms < 10",
        "SELECT * FROM set_log WHERE session_id = 'x'",
        "SELECT * FROM checkin WHERE at_ms >= 0 AND at_ms < 10",
        "SELECT * FROM run WHERE start_ms >= 0 AND start_ms < 10",
        "SELECT * FROM rom_measurement WHERE side = 'left' ORDER BY at_ms",
        "SELECT id FROM run WHERE source = 'a' AND external_id = 'b'",
    ];
    for q in queries {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {q}")).unwrap();
        let plan: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let text = plan.join(" | ");
        assert!(
            text.contains("USING INDEX")
                || text.contains("USING COVERING INDEX")
                || text.contains("PRIMARY KEY"),
            "{q}: {text}"
        );
        assert!(!text.contains("USE TEMP B-TREE"), "{q}: {text}");
    }
}

#[test]
fn many_threads_share_one_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open(&dir));
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                for i in 0..25 {
                    let r = run(&format!("t{t}-{i}"), now() - Duration::hours(i + 1), 30);
                    store.upsert_run(&r, now()).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(
        store
            .runs_between(now() - Duration::days(3), now())
            .unwrap()
            .len(),
        100
    );
    assert_eq!(store.op_count().unwrap(), 100);
    let ops = store.ops().unwrap();
    assert!(
        ops.windows(2).all(|w| w[0].stamp < w[1].stamp),
        "HLC strictly increases"
    );
}

/// A v5 profile (sets with an index on their id alone) upgrades to v6, which drops it
/// (ADR 0016): the same history is read, the schema is a fresh profile's, and a set is
/// still corrected by its session, drill, side and index.
#[test]
fn a_v5_profile_with_sets_upgrades_with_the_same_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let (from, to) = (
        Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap(),
    );
    let fresh_schema = {
        let store = open(&dir);
        generate(&store, (2026, 3, 1), 20, "Europe/London", 5);
        drop(store);
        schema_fingerprint(&open_raw(&path).unwrap()).unwrap()
    };
    let before = open(&dir).history(from, to).unwrap();
    // The file as v5 left it.
    open_raw(&path)
        .unwrap()
        .execute_batch("CREATE UNIQUE INDEX set_log_id ON set_log(id); PRAGMA user_version = 5;")
        .unwrap();
    let (store, report) = Store::open(&path, &catalog(), now()).unwrap();
    assert_eq!(report.migrated_from, Some(5));
    assert_eq!(store.history(from, to).unwrap(), before);
    assert_eq!(
        schema_fingerprint(&open_raw(&path).unwrap()).unwrap(),
        fresh_schema
    );
    let session = &before.sessions[2];
    let set = &session.sets[1];
    let key = talus_core::store::SetKey {
        drill_id: set.drill_id.clone(),
        side: set.side,
        set_index: set.set_index,
    };
    let correction = talus_core::store::SetCorrection {
        pain: Some(Score::new(7).unwrap()),
        reps_done: Some(1),
        hold_s_done: None,
    };
    let corrected = store
        .correct_set(session.id, &key, &correction, now())
        .unwrap();
    let changed: Vec<&SetLog> = corrected
        .sets
        .iter()
        .filter(|s| s.pain == Some(Score::new(7).unwrap()) && s.reps_done == Some(1))
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(
        (&changed[0].drill_id, changed[0].side, changed[0].set_index),
        (&set.drill_id, set.side, set.set_index)
    );
    assert_eq!(corrected.sets.len(), session.sets.len());
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// The day's reads ask for the next dated record ahead: the earliest check-in, run start or
/// knee-to-wall measurement of either leg at or after an instant, `None` when there is none.
/// Checked against the records themselves at every instant around them.
#[test]
fn the_next_dated_record_is_the_earliest_of_checkins_runs_and_both_legs() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let t0 = now();
    assert_eq!(store.next_dated_record_at_or_after(t0).unwrap(), None);
    let checkin_at = t0 + Duration::hours(5);
    let run_at = t0 + Duration::hours(2);
    let left_at = t0 + Duration::hours(7);
    let right_at = t0 + Duration::hours(3);
    // Written once they are past (the store refuses records from the future).
    let later = t0 + Duration::hours(10);
    store
        .add_checkin(
            &CheckIn {
                id: Uuid::now_v7(),
                at: checkin_at,
                zone: "Europe/London".into(),
                pain: RegionScores::default(),
                stiffness: RegionScores::default(),
                red_flags_yes: vec![],
                run_id: None,
            },
            later,
        )
        .unwrap();
    store.upsert_run(&run("ahead", run_at, 30), later).unwrap();
    store
        .add_rom(Side::Left, 9.0, left_at, "Europe/London", later)
        .unwrap();
    store
        .add_rom(Side::Right, 8.5, right_at, "Europe/London", later)
        .unwrap();
    let dated = [checkin_at, run_at, left_at, right_at];
    for hours in 0..9 {
        for shift in [-1, 0, 1] {
            let at = t0 + Duration::hours(hours) + Duration::milliseconds(shift);
            let expected = dated.iter().copied().filter(|&t| t >= at).min();
            assert_eq!(
                store.next_dated_record_at_or_after(at).unwrap(),
                expected,
                "at {at}"
            );
        }
    }
}
