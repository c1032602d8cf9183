//! Store benchmarks on a 10-year history: cold open plus the first "today" query, against a
//! floor of a bare rusqlite open + `SELECT 1` on the same file, and the insert of one
//! finished session. Prints the ratios to the floor measured in the same run.

use std::path::Path;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::Criterion;
use std::hint::black_box;
use talus_core::catalog::Catalog;
use talus_core::domain::{PlanVariant, Score, SetLog, Side};
use talus_core::store::{generate_history, FixtureSpec, Store};

fn floor(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let one: i64 = conn.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
    black_box(one);
}

fn open_and_today(path: &Path, catalog: &Catalog) {
    let now = Utc.with_ymd_and_hms(2025, 12, 28, 7, 0, 0).unwrap();
    let (store, _) = Store::open(path, catalog, now).unwrap();
    let history = store.history(now - Duration::days(28), now).unwrap();
    black_box(history);
}

fn median(mut f: impl FnMut(), runs: usize) -> StdDuration {
    let mut times: Vec<StdDuration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let catalog = Catalog::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ten-years.db");
    {
        let (store, _) = Store::open(&path, &catalog, Utc::now()).unwrap();
        let spec = FixtureSpec {
            start: NaiveDate::from_ymd_opt(2016, 1, 1).unwrap(),
            days: 3650,
            zone: "Europe/London".into(),
            seed: 42,
        };
        let t = Instant::now();
        let summary = generate_history(&store, &catalog, &spec).unwrap();
        eprintln!("fixture: {summary:?} in {:.1} s", t.elapsed().as_secs_f64());
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!("fixture size: {:.1} MB", size as f64 / 1e6);

    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(StdDuration::from_secs(1))
        .measurement_time(StdDuration::from_secs(3));
    c.bench_function("floor: rusqlite open + SELECT 1", |b| {
        b.iter(|| floor(&path))
    });
    c.bench_function("cold open + today's history (10 years)", |b| {
        b.iter(|| open_and_today(&path, &catalog))
    });
    let (store, _) = Store::open(&path, &catalog, Utc::now()).unwrap();
    let insert = || {
        let now = Utc::now();
        let s = store
            .create_session(now.date_naive(), "UTC", PlanVariant::Normal, now)
            .unwrap();
        let sets: Vec<SetLog> = (0..18)
            .map(|i| SetLog {
                drill_id: "banded_df_mob".into(),
                side: Some(if i % 2 == 0 { Side::Left } else { Side::Right }),
                set_index: i / 2,
                level: 1,
                target_reps: Some(10),
                reps_done: Some(10),
                target_hold_s: None,
                hold_s_done: None,
                pain: Some(Score::new(1).unwrap()),
                stretch: false,
                stopped: false,
                skipped: false,
                reason_code: None,
                note: None,
                at: now,
            })
            .collect();
        store.finish_session(s.id, &sets, now).unwrap();
    };
    c.bench_function("insert one finished session (18 sets)", |b| b.iter(insert));
    c.final_summary();

    let floor_t = median(|| floor(&path), 201);
    let open_t = median(|| open_and_today(&path, &catalog), 51);
    let insert_t = median(insert, 51);
    println!(
        "RATIO cold-open+today / floor = {:.2} (floor {:.0} µs, open+today {:.0} µs); insert session {:.2} ms",
        open_t.as_secs_f64() / floor_t.as_secs_f64(),
        floor_t.as_secs_f64() * 1e6,
        open_t.as_secs_f64() * 1e6,
        insert_t.as_secs_f64() * 1e3
    );
}
