//! The day's reads kept between plans (`Coach::read_day`, `Coach::day_reads_fresh`): while
//! they count as fresh they are exactly what `Coach::day_inputs` reads at that instant, as
//! the clock moves records across every window edge (check-ins, runs and knee-to-wall
//! leaving at the back and arriving from ahead, sets stamped ahead of `now` in older and
//! recent sessions, UTC midnight) and as anything is written.

mod common;

use common::set;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use talus_core::app::{Coach, DayReads, MERGED_AHEAD, PLAN_HISTORY_DAYS};
use talus_core::domain::{CheckIn, PlanVariant, RegionScores, RunRecord, Side};
use talus_core::store::{generate_history, FixtureSpec, ROM_LOOKBACK_DAYS};
use uuid::Uuid;

/// A fresh id (tests need no randomness, only distinct ids).
fn id() -> Uuid {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Uuid::from_u128(u128::from(NEXT.fetch_add(1, Ordering::Relaxed)))
}

fn checkin(at: DateTime<Utc>) -> CheckIn {
    CheckIn {
        id: id(),
        at,
        zone: "UTC".into(),
        pain: RegionScores::default(),
        stiffness: RegionScores::default(),
        red_flags_yes: vec![],
        run_id: None,
    }
}

fn run(at: DateTime<Utc>) -> RunRecord {
    RunRecord {
        source: "healthkit".into(),
        external_id: id().to_string(),
        start: at,
        end: at + Duration::minutes(40),
        distance_m: 8_000.0,
        tags: vec![],
        zone: "UTC".into(),
    }
}

/// Each kind of record near an edge sits at its own shift from the offsets, so the walk
/// meets each kind's crossing alone (one kind's edge never hides another's).
const SHIFTS: [i64; 8] = [0, 3, 6, 9, 12, 15, 18, 21];

/// A profile with 60 days of generated history before `base`'s day, and records placed
/// `offsets` (ms, each kind at its own shift) after every edge the day's reads have at
/// `base`: the back edges of check-ins, runs and knee-to-wall, the front edge a day ahead,
/// and `base` itself (sets stamped ahead, in a session planned 20 days back and in one
/// planned today). Returns the offsets from `base` at which the clock meets each.
fn profile(dir: &tempfile::TempDir, base: DateTime<Utc>, offsets: &[i64]) -> (Coach, Vec<i64>) {
    let coach = Coach::open(dir.path(), base - Duration::days(61)).unwrap();
    let spec = FixtureSpec {
        start: base.date_naive() - Duration::days(60),
        days: 60,
        zone: "UTC".into(),
        seed: offsets.iter().fold(7, |a, o| a ^ (*o as u64)),
    };
    generate_history(coach.store(), coach.catalog(), &spec).unwrap();
    let store = coach.store();
    let back = base - Duration::days(PLAN_HISTORY_DAYS);
    let rom_back = back - Duration::days(ROM_LOOKBACK_DAYS);
    let ahead = base + MERGED_AHEAD;
    let drill = coach.catalog().chains().values().next().unwrap()[0].clone();
    let mut met = Vec::new();
    for (i, o) in offsets.iter().enumerate() {
        let [c0, c1, r0, r1, m0, m1, s0, s1] = SHIFTS.map(|k| o + k);
        met.extend([c0, c1, r0, r1, m0, m1, s0, s1]);
        let at = |from: DateTime<Utc>, shift: i64| from + Duration::milliseconds(shift);
        // Written as of their own instant, as a peer with that clock would.
        store
            .add_checkin(&checkin(at(back, c0)), at(back, c0))
            .unwrap();
        store
            .add_checkin(&checkin(at(ahead, c1)), at(ahead, c1))
            .unwrap();
        store.upsert_run(&run(at(back, r0)), at(back, r0)).unwrap();
        store
            .upsert_run(&run(at(ahead, r1)), at(ahead, r1))
            .unwrap();
        let side = if i % 2 == 0 { Side::Left } else { Side::Right };
        let rom = |t: DateTime<Utc>| store.add_rom(side, 9.5, t, "UTC", t).unwrap();
        rom(at(rom_back, m0));
        rom(at(ahead, m1));
        for (planned, shift) in [(base - Duration::days(20), s0), (base, s1)] {
            let s = store
                .create_session(planned.date_naive(), "UTC", PlanVariant::Normal, planned)
                .unwrap();
            let t = at(base, shift);
            store
                .finish_session(s.id, &[set(&drill, Some(side), 0, t)], t)
                .unwrap();
        }
    }
    (coach, met)
}

/// Walks the clock through `steps` (ms) from `base`, keeping the reads as `today()` does,
/// and checks every kept read against a fresh one. Returns how many reads were kept.
fn walk(coach: &Coach, base: DateTime<Utc>, steps: &[i64]) -> usize {
    let mut kept: Option<Arc<DayReads>> = None;
    let mut now = base;
    let mut hits = 0;
    for step in steps {
        now += Duration::milliseconds(*step);
        let (settings, history) = coach.day_inputs(now).unwrap();
        match &kept {
            Some(k) if coach.day_reads_fresh(k, now).unwrap() => {
                hits += 1;
                assert_eq!(k.settings, settings, "settings kept at {now}");
                assert_eq!(k.history, history, "history kept at {now} (step {step})");
            }
            _ => {
                let read = coach.read_day(now).unwrap();
                assert_eq!((&read.settings, &read.history), (&settings, &history));
                kept = Some(Arc::new(read));
            }
        }
    }
    hits
}

/// Steps of 1 ms to a few minutes, and jumps onto every record's edge crossing (±1 ms).
fn steps_around(offsets: &[i64]) -> Vec<i64> {
    let mut at: Vec<i64> = offsets
        .iter()
        .flat_map(|o| [o - 1, *o, o + 1, o + 2])
        .filter(|t| *t >= 0)
        .collect();
    at.sort_unstable();
    at.dedup();
    let mut steps = Vec::new();
    let mut now = 0;
    for t in at {
        steps.push(t - now);
        steps.push(0);
        now = t;
    }
    steps
}

#[test]
fn kept_reads_are_fresh_reads_as_records_cross_every_edge() {
    let dir = tempfile::tempdir().unwrap();
    let base = Utc.with_ymd_and_hms(2026, 3, 10, 6, 0, 0).unwrap();
    let (coach, met) = profile(&dir, base, &[1, 1_000, 60_000, 3_600_000]);
    let hits = walk(&coach, base, &steps_around(&met));
    assert!(hits > 0, "no read was ever kept");
}

#[test]
fn a_kept_read_ends_at_utc_midnight_and_when_the_clock_goes_back() {
    let dir = tempfile::tempdir().unwrap();
    let base = Utc.with_ymd_and_hms(2026, 3, 10, 23, 59, 0).unwrap();
    let (coach, _) = profile(&dir, base, &[]);
    let read = coach.read_day(base).unwrap();
    assert!(coach
        .day_reads_fresh(&read, base + Duration::seconds(59))
        .unwrap());
    assert!(!coach
        .day_reads_fresh(&read, base + Duration::seconds(60))
        .unwrap());
    assert!(!coach
        .day_reads_fresh(&read, base - Duration::milliseconds(1))
        .unwrap());
    // Read at midnight exactly, the front edge's day differs from `now`'s a moment later.
    let midnight = base + Duration::seconds(60);
    let read = coach.read_day(midnight).unwrap();
    assert!(coach.day_reads_fresh(&read, midnight).unwrap());
    assert!(!coach
        .day_reads_fresh(&read, midnight + Duration::milliseconds(1))
        .unwrap());
    walk(&coach, base, &[0, 59_999, 1, 1, 1_000]);
}

#[test]
fn any_write_ends_a_kept_read() {
    let dir = tempfile::tempdir().unwrap();
    let base = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
    let (coach, _) = profile(&dir, base, &[]);
    let read = coach.read_day(base).unwrap();
    assert!(coach.day_reads_fresh(&read, base).unwrap());
    // A write through this store.
    coach.store().add_checkin(&checkin(base), base).unwrap();
    assert!(!coach.day_reads_fresh(&read, base).unwrap());
    // A write through another connection to the same file.
    let read = coach.read_day(base).unwrap();
    let other = Coach::open(dir.path(), base).unwrap();
    other
        .store()
        .add_rom(Side::Left, 10.0, base, "UTC", base)
        .unwrap();
    assert!(!coach.day_reads_fresh(&read, base).unwrap());
    // A write that changes nothing the day reads still ends it (the marker cannot tell).
    let read = coach.read_day(base).unwrap();
    let mut settings = other.store().settings().unwrap();
    settings.locale = "de".into();
    other.store().put_settings(&settings, base).unwrap();
    assert!(!coach.day_reads_fresh(&read, base).unwrap());
    // Closed, the other connection's weekly storage check (due at its open) has finished or
    // stopped: its stamp is a commit too, which would rightly end the keep below.
    drop(other);
    let read = coach.read_day(base).unwrap();
    assert_eq!(read.settings.locale, "de");
    assert!(coach
        .day_reads_fresh(&read, base + Duration::minutes(5))
        .unwrap());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Any instant of the day, records at any small offsets from the edges, any walk.
    #[test]
    fn kept_reads_are_fresh_reads_on_any_walk(
        minute in 0i64..1_440,
        offsets in prop::collection::vec(0i64..7_200_000, 1..4),
        extra in prop::collection::vec(0i64..900_000, 0..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let base = day.and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::minutes(minute);
        let (coach, met) = profile(&dir, base, &offsets);
        let mut steps = steps_around(&met);
        steps.extend(extra);
        walk(&coach, base, &steps);
    }
}
