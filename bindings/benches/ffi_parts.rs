//! The Rust side of `scripts/bench-ffi.sh`: on the same profile the Kotlin benchmark then
//! uses, how long `today()` and `reminders()` take without the FFI, and how much of
//! `today()` is its store reads (`Coach::day_inputs`, exactly what `plan_day` reads;
//! `today()` keeps them while fresh, `today_fresh` is the call that must read again). The
//! Kotlin side adds two no-op calls to the store reads for its floor and subtracts this
//! Rust time from its own to show what crossing the FFI costs. A profile without a screening
//! (what `make_fixture` writes) is screened first, so `today()` plans a real day.
//!
//! `cargo bench --profile release -p talus-ffi --bench ffi_parts -- <profile dir> <now ms>
//! <zone> [rounds]` (the release profile: the library Kotlin loads is built with it, and
//! `[profile.bench]` is opt-level 3)
//! prints one `name median_ns` line per measure (medians over alternated rounds), so the
//! script can pass them on. `-- <dir> <now> <zone> only today N` runs one side N times (for
//! `valgrind --tool=callgrind`).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::DateTime;
use talus_ffi::{Answer, Engine, ScreeningAnswer, SessionEvent};

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
    // The first open of a copied profile starts the weekly quick_check on a background
    // thread (seconds on ten years); closing the engine waits for it. Measure after it.
    drop(Engine::open(dir.clone(), now_ms).expect("profile opens"));
    let engine = Engine::open(dir.clone(), now_ms).expect("profile opens");
    // A generated history has no screening; a runner's profile has one, and without it
    // `today()` stops at "answer the screening first". Screen the copy an hour before.
    if !engine
        .coach()
        .day_inputs(now)
        .expect("reads")
        .1
        .safety
        .screened()
    {
        let answers = engine
            .screening_questions("en".into())
            .into_iter()
            .map(|q| Answer {
                question_id: q.id,
                answer: ScreeningAnswer::No,
            })
            .collect();
        engine
            .submit_screening(answers, now_ms - 3_600_000)
            .expect("screening");
    }
    let reads = || black_box(engine.coach().day_inputs(now).expect("reads"));
    // The clock moves on a second per call, as when the Today screen is opened again: the
    // history read by the call before is kept while a fresh read would return the same.
    let later = std::cell::Cell::new(now_ms);
    let today = || {
        later.set(later.get() + 1_000);
        black_box(engine.today(later.get(), zone.clone()).expect("today"))
    };
    // The clock set back a second per call: nothing kept serves it, every call reads again.
    let earlier = std::cell::Cell::new(now_ms);
    let today_fresh = || {
        earlier.set(earlier.get() - 1_000);
        black_box(engine.today(earlier.get(), zone.clone()).expect("today"))
    };
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
                Some("today_fresh") => drop(today_fresh()),
                Some("reminders") => drop(reminders()),
                _ => drop(today()),
            }
        }
        return;
    }
    let rounds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(300);
    let (mut r, mut t, mut p, mut m) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut f = Vec::new();
    for _ in 0..rounds {
        let s = Instant::now();
        reads();
        r.push(s.elapsed());
        let s = Instant::now();
        today();
        t.push(s.elapsed());
        let s = Instant::now();
        today_fresh();
        f.push(s.elapsed());
        let s = Instant::now();
        core_plan();
        p.push(s.elapsed());
        let s = Instant::now();
        reminders();
        m.push(s.elapsed());
    }
    println!("today_store_reads_ns {}", median(r));
    println!("today_rust_ns {}", median(t));
    println!("today_fresh_rust_ns {}", median(f));
    println!("plan_day_core_ns {}", median(p));
    println!("reminders_rust_ns {}", median(m));
    // What the plan record holds (its size as JSON, a proxy for what Kotlin lifts).
    let plan = today();
    println!(
        "plan_json_bytes {} items {} levels {} reasons {}",
        serde_json::to_string(&plan).map_or(0, |j| j.len()),
        plan.items.len(),
        plan.levels.len(),
        plan.reasons.len()
    );
    session_parts(rounds);
}

/// The guided session's calls without the FFI, on a fresh screened profile set up as the
/// Kotlin benchmark sets up its own (same instant, zone and events, so the same plan).
fn session_parts(rounds: usize) {
    const NOW: i64 = 1_780_000_000_000;
    let tmp = tempfile::tempdir().expect("temp dir");
    let engine = Engine::open(tmp.path().join("p").to_string_lossy().into(), NOW).expect("open");
    let answers = engine
        .screening_questions("en".into())
        .into_iter()
        .map(|q| Answer {
            question_id: q.id,
            answer: ScreeningAnswer::No,
        })
        .collect();
    engine.submit_screening(answers, NOW).expect("screening");
    let mut plans = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(engine.today(NOW, "UTC".into()).expect("today"));
        plans.push(t.elapsed());
    }
    println!("today_empty_rust_ns {}", median(plans));
    let s = Arc::clone(&engine)
        .start_session(NOW, "UTC".into())
        .expect("session");
    s.handle(SessionEvent::Start, NOW).expect("start");
    let (mut intro, mut work, mut tick) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(s.frame(NOW).expect("frame"));
        intro.push(t.elapsed());
    }
    s.handle(SessionEvent::VideoEnded, NOW)
        .expect("video ended");
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(s.frame(NOW).expect("frame"));
        work.push(t.elapsed());
        let t = Instant::now();
        black_box(s.tick(NOW).expect("tick"));
        tick.push(t.elapsed());
    }
    println!("frame_intro_rust_ns {}", median(intro));
    println!("frame_work_rust_ns {}", median(work));
    println!("tick_work_rust_ns {}", median(tick));
}
