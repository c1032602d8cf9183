//! Cold start through the public API: `Engine::open` + the first `today()` on a 10-year
//! profile, against a floor of a bare `rusqlite` open + `SELECT 1` on the same file,
//! alternated round by round and reported as medians and their ratio. Then the
//! `reminders()` call on an open engine, against a floor of the raw rows it plans from (the
//! window's sessions, check-ins and runs read with cached statements on an open connection).
//!
//! `cargo bench -p talus-ffi --bench cold_start` builds the fixture in a temp folder (slow);
//! `TALUS_SCREEN=1` screens the profile first (all "no", once), so `today()` plans a real
//! day.
//! `TALUS_LEVELS=1` also gives every drill and side trained in the profile's last 60 days a
//! level record (the highest level done, stamped 30 days before `now`), as a runner's
//! profile has after a few weeks; `make_fixture` writes none.
//! `TALUS_PROFILE=<dir>` reuses a profile folder holding `talus.db` (make one with
//! `cargo run --release -p talus-core --example make_fixture -- <dir>/talus.db`).
//! The weekly `quick_check` is counted as done when the profile has no record of one
//! (steady state); `TALUS_CHECK_DUE=1` leaves it due, so every open schedules it (it would
//! start two seconds after the open; the close drops it unstarted). `-- project N` or
//! `-- floor N` runs only one side N times (for `valgrind --tool=callgrind`);
//! `-- reminders N` calls `reminders()` N times on one open
//! engine.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use talus_core::catalog::Catalog;
use talus_core::store::{generate_history, FixtureSpec, Store};
use talus_ffi::Engine;

fn now_ms() -> i64 {
    Utc.with_ymd_and_hms(2025, 12, 30, 7, 0, 0)
        .unwrap()
        .timestamp_millis()
}

fn floor(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let one: i64 = conn.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
    black_box(one);
}

fn project(dir: &str) {
    let engine = Engine::open(dir.to_owned(), now_ms()).unwrap();
    black_box(engine.today(now_ms(), "Europe/London".into()).unwrap());
}

/// The rows the reminder plan reads, raw: its 48-day window's sessions (date and status),
/// check-ins and runs.
fn reminders_floor(conn: &rusqlite::Connection) {
    let now = now_ms();
    let day = 86_400_000;
    let (from, to) = (now - 40 * day, now + 8 * day);
    let date = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap()
            .date_naive()
            .to_string()
    };
    let mut n = 0usize;
    let mut sessions = conn
        .prepare_cached(
            "SELECT planned_for, status FROM session WHERE planned_for BETWEEN ?1 AND ?2",
        )
        .unwrap();
    let mut rows = sessions.query([date(from), date(to)]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        n += r.get::<_, String>(0).unwrap().len() + r.get::<_, String>(1).unwrap().len();
    }
    let mut checkins = conn
        .prepare_cached(
            "SELECT id, at_ms, zone, pain_calf, pain_achilles, pain_ankle, stiff_calf, \
             stiff_achilles, stiff_ankle, red_flags_yes, run_id FROM checkin \
             WHERE at_ms >= ?1 AND at_ms < ?2",
        )
        .unwrap();
    let mut rows = checkins.query([from, to]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        n += r.get::<_, String>(0).unwrap().len() + r.get::<_, i64>(3).unwrap() as usize;
    }
    let mut runs = conn
        .prepare_cached(
            "SELECT id, source, external_id, start_ms, end_ms, zone, distance_m, tags FROM run \
             WHERE start_ms >= ?1 AND start_ms < ?2",
        )
        .unwrap();
    let mut rows = runs.query([from, to]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        n += r.get::<_, String>(0).unwrap().len() + r.get::<_, i64>(3).unwrap() as usize;
    }
    black_box(n);
}

fn profile() -> (Option<tempfile::TempDir>, PathBuf) {
    if let Some(dir) = std::env::var_os("TALUS_PROFILE") {
        return (None, PathBuf::from(dir));
    }
    let tmp = tempfile::tempdir().unwrap();
    let catalog = Catalog::embedded().unwrap();
    let (store, _) = Store::open(&tmp.path().join("talus.db"), &catalog, Utc::now()).unwrap();
    let spec = FixtureSpec {
        start: NaiveDate::from_ymd_opt(2016, 1, 1).unwrap(),
        days: 3650,
        zone: "Europe/London".into(),
        seed: 42,
    };
    eprintln!("{:?}", generate_history(&store, &catalog, &spec).unwrap());
    let dir = tmp.path().to_path_buf();
    (Some(tmp), dir)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let (_keep, dir) = profile();
    let db = dir.join("talus.db");
    let dir_s = dir.to_string_lossy().into_owned();
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(200);
    if std::env::var_os("TALUS_CHECK_DUE").is_none() {
        // Steady state: the weekly `quick_check` is not due (a profile that never finished
        // one schedules it on every open; it starts only two seconds after the open).
        Engine::open(dir_s.clone(), now_ms()).unwrap();
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('last_check_ms', ?1)",
            [now_ms().to_string()],
        )
        .unwrap();
    }
    if std::env::var_os("TALUS_SCREEN").is_some() {
        // A runner's profile is screened: before the first screening `today()` returns
        // early, without planning (make_fixture writes no screening). Screened once: each
        // screening adds to the safety record every open reads.
        let engine = Engine::open(dir_s.clone(), now_ms()).unwrap();
        let plan = engine.today(now_ms(), "Europe/London".into()).unwrap();
        if plan.variant != talus_ffi::PlanVariant::ScreeningNeeded {
            eprintln!("screened already");
        } else {
            let answers = engine
                .screening_questions("en".into())
                .into_iter()
                .map(|q| talus_ffi::Answer {
                    question_id: q.id,
                    answer: talus_ffi::ScreeningAnswer::No,
                })
                .collect();
            engine.submit_screening(answers, now_ms()).unwrap();
        }
    }
    if std::env::var_os("TALUS_LEVELS").is_some() {
        let engine = Engine::open(dir_s.clone(), now_ms()).unwrap();
        let now = chrono::DateTime::from_timestamp_millis(now_ms()).unwrap();
        let history = engine
            .store()
            .history(now - chrono::Duration::days(60), now)
            .unwrap();
        let mut levels: Vec<talus_core::domain::DrillProgress> = Vec::new();
        for set in history.sessions.iter().flat_map(|s| s.sets.iter()) {
            match levels
                .iter_mut()
                .find(|p| p.drill_id == set.drill_id && p.side == set.side)
            {
                Some(p) => p.level = p.level.max(set.level),
                None => levels.push(talus_core::domain::DrillProgress {
                    drill_id: set.drill_id.clone(),
                    side: set.side,
                    level: set.level,
                    changed_at: now - chrono::Duration::days(30),
                }),
            }
        }
        let unit = talus_core::store::Unit {
            levels: &levels,
            ..Default::default()
        };
        engine.store().commit(unit, now).unwrap();
        eprintln!("{} level records", levels.len());
    }
    match args.first().map(String::as_str) {
        Some("project") => return (0..n).for_each(|_| project(&dir_s)),
        Some("floor") => return (0..n).for_each(|_| floor(&db)),
        Some("reminders") => {
            let engine = Engine::open(dir_s.clone(), now_ms()).unwrap();
            return (0..n).for_each(|_| {
                black_box(engine.reminders(now_ms(), "Europe/London".into()).unwrap());
            });
        }
        _ => {}
    }
    // The first today() of the day may store level decisions; measure the steady cold path.
    project(&dir_s);
    let (mut fl, mut pr) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let t = Instant::now();
        floor(&db);
        fl.push(t.elapsed());
        let t = Instant::now();
        project(&dir_s);
        pr.push(t.elapsed());
    }
    let (f, p) = (median(fl), median(pr));
    println!(
        "cold Engine.open + first today(): {:.3} ms; floor open + SELECT 1: {:.3} ms; ratio {:.2}x ({n} rounds, medians)",
        p.as_secs_f64() * 1e3,
        f.as_secs_f64() * 1e3,
        p.as_secs_f64() / f.as_secs_f64()
    );

    let engine = Engine::open(dir_s.clone(), now_ms()).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let reminders = || engine.reminders(now_ms(), "Europe/London".into()).unwrap();
    let wanted = reminders().len();
    reminders_floor(&conn);
    let (mut fl, mut pr) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let t = Instant::now();
        reminders_floor(&conn);
        fl.push(t.elapsed());
        let t = Instant::now();
        black_box(reminders());
        pr.push(t.elapsed());
    }
    let (f, p) = (median(fl), median(pr));
    println!(
        "reminders() ({wanted} reminders): {:.3} ms; floor raw window rows: {:.3} ms; ratio {:.2}x ({n} rounds, medians)",
        p.as_secs_f64() * 1e3,
        f.as_secs_f64() * 1e3,
        p.as_secs_f64() / f.as_secs_f64()
    );
}
