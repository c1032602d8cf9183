//! Cold start through the public API: `Engine::open` + the first `today()` on a 10-year
//! profile, against a floor of a bare `rusqlite` open + `SELECT 1` on the same file,
//! alternated round by round and reported as medians and their ratio.
//!
//! `cargo bench -p talus-ffi --bench cold_start` builds the fixture in a temp folder (slow);
//! `TALUS_PROFILE=<dir>` reuses a profile folder holding `talus.db` (make one with
//! `cargo run --release -p talus-core --example make_fixture -- <dir>/talus.db`).
//! `-- project N` or `-- floor N` runs only one side N times (for `valgrind --tool=callgrind`).

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
    match args.first().map(String::as_str) {
        Some("project") => return (0..n).for_each(|_| project(&dir_s)),
        Some("floor") => return (0..n).for_each(|_| floor(&db)),
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
}
