//! The Rust side of `scripts/bench-ffi.sh`: on the same profile the Kotlin benchmark then
//! uses, how long `today()` and `reminders()` take without the FFI, and how much of
//! `today()` is its store reads (`Coach::day_inputs`, exactly what `plan_day` reads). The
//! Kotlin side adds two no-op calls to the store reads for its floor and subtracts this
//! Rust time from its own to show what crossing the FFI costs.
//!
//! `cargo bench -p talus-ffi --bench ffi_parts -- <profile dir> <now ms> <zone> [rounds]`
//! prints one `name median_ns` line per measure (medians over alternated rounds), so the
//! script can pass them on. `-- <dir> <now> <zone> only today N` runs one side N times (for
//! `valgrind --tool=callgrind`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::DateTime;
use talus_ffi::Engine;

fn median(mut v: Vec<Duration>) -> u128 {
    v.sort();
    v[v.len() / 2].as_nanos()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(dir), Some(now_ms), Some(zone)) = (
        args.first(),
        args.get(1).and_then(|s| s.parse::<i64>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: ffi_parts <profile dir> <now ms> <zone> [rounds | only <part> N]");
        std::process::exit(2);
    };
    let now = DateTime::from_timestamp_millis(now_ms).expect("now in range");
    let engine = Engine::open(dir.clone(), now_ms).expect("profile opens");
    let reads = || black_box(engine.coach().day_inputs(now).expect("reads"));
    let today = || black_box(engine.today(now_ms, zone.clone()).expect("today"));
    let core_plan = || black_box(engine.coach().plan_day(now, zone).expect("plan_day"));
    let reminders = || black_box(engine.reminders(now_ms, zone.clone()).expect("reminders"));
    // The first today() of the day may store level decisions: measure the warm path.
    today();
    if args.get(3).map(String::as_str) == Some("only") {
        let n: usize = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(100);
        for _ in 0..n {
            match args.get(4).map(String::as_str) {
                Some("reads") => drop(reads()),
                Some("plan_day") => drop(core_plan()),
                Some("reminders") => drop(reminders()),
                _ => drop(today()),
            }
        }
        return;
    }
    let rounds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(300);
    let (mut r, mut t, mut p, mut m) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let s = Instant::now();
        reads();
        r.push(s.elapsed());
        let s = Instant::now();
        today();
        t.push(s.elapsed());
        let s = Instant::now();
        core_plan();
        p.push(s.elapsed());
        let s = Instant::now();
        reminders();
        m.push(s.elapsed());
    }
    println!("today_store_reads_ns {}", median(r));
    println!("today_rust_ns {}", median(t));
    println!("plan_day_core_ns {}", median(p));
    println!("reminders_rust_ns {}", median(m));
}
