//! Reminder planning and reconciliation: DST around real transitions (New York, London,
//! Lord Howe's 30-minute shift, Kathmandu's +05:45, Apia's skipped day), travelling, the
//! post-long-run check-in and its re-ask, quiet hours, duplicate run imports, a fake OS
//! scheduler applying reconcile plans, and property tests over random histories.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use proptest::prelude::*;
use talus_core::domain::{
    CheckIn, History, LocalWindow, PlanVariant, RegionScores, RomMeasurement, Run, RunRecord,
    Score, SessionRecord, SessionStatus, Settings, Side,
};
use talus_core::schedule::{
    plan_reminders, reconcile, reconcile_scheduled, ReconcilePlan, Reminder, ReminderKind,
    ScheduleError, ScheduledReminder, MAX_REMINDERS,
};
use talus_core::time::{local_date_time, parse_zone, resolve_local};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------
// Helpers

fn hm(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap()
}

fn naive(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// The instant of a local wall time (project DST policy).
fn at(zone: &str, s: &str) -> DateTime<Utc> {
    resolve_local(parse_zone(zone).unwrap(), naive(s)).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn window(start: &str, end: &str) -> LocalWindow {
    LocalWindow {
        start: hm(start),
        end: hm(end),
    }
}

/// Only the daily drill reminder, no quiet hours.
fn daily_only(time: &str) -> Settings {
    let mut s = Settings::default();
    s.reminders.daily_drill_at = Some(hm(time));
    s.reminders.long_run_checkin = false;
    s.reminders.weekly_rom_retest = false;
    s.quiet_hours = window("00:00", "00:00");
    s
}

/// Only long-run check-ins, with the default wake window (07–10) and quiet hours (22–07).
fn checkins_only() -> Settings {
    let mut s = Settings::default();
    s.reminders.daily_drill_at = None;
    s.reminders.weekly_rom_retest = false;
    s
}

fn run(id: u128, zone: &str, start: &str, mins: i64, tags: &[&str]) -> Run {
    let start = at(zone, start);
    Run {
        id: Uuid::from_u128(id),
        record: RunRecord {
            source: "healthkit".into(),
            external_id: format!("hk-{id}"),
            start,
            end: start + Duration::minutes(mins),
            distance_m: mins as f64 * 170.0,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            zone: zone.into(),
        },
    }
}

fn checkin(at: DateTime<Utc>, pain: i64, run_id: Option<Uuid>) -> CheckIn {
    CheckIn {
        id: Uuid::from_u128(at.timestamp() as u128),
        at,
        zone: "Europe/London".into(),
        pain: RegionScores {
            calf: Score::new(pain).unwrap(),
            achilles: Score::ZERO,
            ankle: Score::ZERO,
        },
        stiffness: RegionScores::default(),
        red_flags_yes: vec![],
        run_id,
    }
}

fn session(day: NaiveDate, status: SessionStatus) -> SessionRecord {
    SessionRecord {
        outcome: None,
        id: Uuid::from_u128(day.num_days_from_ce() as u128 * 8 + status as u128),
        planned_for: day,
        zone: "Europe/London".into(),
        status,
        variant: PlanVariant::Normal,
        started_at: None,
        ended_at: None,
        snapshot: None,
        sets: vec![],
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn find<'a>(rs: &'a [Reminder], id: &str) -> &'a Reminder {
    rs.iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no reminder {id} in {:?}", ids(rs)))
}

fn ids(rs: &[Reminder]) -> Vec<&str> {
    rs.iter().map(|r| r.id.as_str()).collect()
}

fn of_kind(rs: &[Reminder], kind: ReminderKind) -> Vec<&Reminder> {
    rs.iter().filter(|r| r.kind == kind).collect()
}

// ---------------------------------------------------------------------------------------
// DST and zones

#[test]
fn new_york_spring_forward_daily_fires_at_first_valid_instant() {
    let now = at("America/New_York", "2026-03-07 12:00");
    let rs = plan_reminders(
        &daily_only("02:30"),
        &History::default(),
        now,
        "America/New_York",
    )
    .unwrap();
    let gap_day = find(&rs, "daily:2026-03-08");
    assert_eq!(gap_day.fire_at, utc("2026-03-08T07:00:00Z"));
    assert_eq!(gap_day.local_time, naive("2026-03-08 03:00"));
    let after = find(&rs, "daily:2026-03-09");
    assert_eq!(after.fire_at, utc("2026-03-09T06:30:00Z"));
    assert_eq!(after.local_time, naive("2026-03-09 02:30"));
}

#[test]
fn new_york_fall_back_daily_fires_once_at_the_earlier_instant() {
    let now = at("America/New_York", "2026-10-31 12:00");
    let rs = plan_reminders(
        &daily_only("01:30"),
        &History::default(),
        now,
        "America/New_York",
    )
    .unwrap();
    let on_fold_day: Vec<_> = rs
        .iter()
        .filter(|r| r.local_time.date() == date("2026-11-01"))
        .collect();
    assert_eq!(on_fold_day.len(), 1);
    assert_eq!(on_fold_day[0].id, "daily:2026-11-01");
    assert_eq!(on_fold_day[0].fire_at, utc("2026-11-01T05:30:00Z"));
    assert_eq!(
        find(&rs, "daily:2026-11-02").fire_at,
        utc("2026-11-02T06:30:00Z")
    );
}

#[test]
fn london_both_transitions() {
    let z = "Europe/London";
    let spring = plan_reminders(
        &daily_only("01:30"),
        &History::default(),
        at(z, "2026-03-28 12:00"),
        z,
    )
    .unwrap();
    // 01:00 GMT jumps to 02:00 BST.
    assert_eq!(
        find(&spring, "daily:2026-03-29").fire_at,
        utc("2026-03-29T01:00:00Z")
    );
    assert_eq!(
        find(&spring, "daily:2026-03-29").local_time,
        naive("2026-03-29 02:00")
    );
    let autumn = plan_reminders(
        &daily_only("01:30"),
        &History::default(),
        at(z, "2026-10-24 12:00"),
        z,
    )
    .unwrap();
    // 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT): fire at the first.
    assert_eq!(
        find(&autumn, "daily:2026-10-25").fire_at,
        utc("2026-10-25T00:30:00Z")
    );
    assert_eq!(
        autumn
            .iter()
            .filter(|r| r.local_time.date() == date("2026-10-25"))
            .count(),
        1
    );
}

#[test]
fn lord_howe_half_hour_shifts() {
    let z = "Australia/Lord_Howe";
    // 2026-10-04 02:00 (+10:30) jumps to 02:30 (+11:00).
    let spring = plan_reminders(
        &daily_only("02:10"),
        &History::default(),
        at(z, "2026-10-03 12:00"),
        z,
    )
    .unwrap();
    let r = find(&spring, "daily:2026-10-04");
    assert_eq!(r.local_time, naive("2026-10-04 02:30"));
    assert_eq!(r.fire_at, utc("2026-10-03T15:30:00Z"));
    // 2026-04-05 02:00 (+11:00) falls back to 01:30 (+10:30): 01:45 happens twice.
    let autumn = plan_reminders(
        &daily_only("01:45"),
        &History::default(),
        at(z, "2026-04-04 12:00"),
        z,
    )
    .unwrap();
    let r = find(&autumn, "daily:2026-04-05");
    assert_eq!(r.fire_at, utc("2026-04-04T14:45:00Z"));
    assert_eq!(
        autumn
            .iter()
            .filter(|r| r.local_time.date() == date("2026-04-05"))
            .count(),
        1
    );
}

#[test]
fn kathmandu_quarter_hour_offset() {
    let z = "Asia/Kathmandu";
    let rs = plan_reminders(
        &daily_only("07:00"),
        &History::default(),
        at(z, "2026-05-01 08:00"),
        z,
    )
    .unwrap();
    assert_eq!(
        find(&rs, "daily:2026-05-02").fire_at,
        utc("2026-05-02T01:15:00Z")
    );
    // Long run ending 22:10 local: check-in at 07:00 next morning (8 h 50 min later).
    let h = History {
        runs: vec![run(1, z, "2026-05-01 20:30", 100, &[])],
        ..History::default()
    };
    let rs = plan_reminders(&checkins_only(), &h, at(z, "2026-05-01 22:30"), z).unwrap();
    let c = find(&rs, &format!("checkin:{}", Uuid::from_u128(1)));
    assert_eq!(c.fire_at, utc("2026-05-02T01:15:00Z"));
}

#[test]
fn apia_skipped_day_has_no_reminder_and_the_next_is_right() {
    let z = "Pacific/Apia";
    // Apia went from 2011-12-29 23:59:59 (-10) straight to 2011-12-31 00:00 (+14).
    for quiet in [window("00:00", "00:00"), Settings::default().quiet_hours] {
        let mut s = daily_only("18:00");
        s.quiet_hours = quiet;
        let rs = plan_reminders(&s, &History::default(), at(z, "2011-12-29 12:00"), z).unwrap();
        let days: Vec<&str> = ids(&rs);
        assert!(!days.contains(&"daily:2011-12-30"), "{days:?}");
        assert_eq!(
            find(&rs, "daily:2011-12-29").fire_at,
            utc("2011-12-30T04:00:00Z")
        );
        let next = find(&rs, "daily:2011-12-31");
        assert_eq!(next.fire_at, utc("2011-12-31T04:00:00Z"));
        assert_eq!(next.local_time, naive("2011-12-31 18:00"));
        assert!(rs.iter().all(|r| r.local_time.date() != date("2011-12-30")));
    }
}

#[test]
fn the_zone_passed_with_now_wins_when_travelling() {
    let mut s = daily_only("18:00");
    s.home_zone = "Europe/Berlin".into();
    s.reminders.long_run_checkin = true;
    s.quiet_hours = Settings::default().quiet_hours;
    // Long run in Berlin, ending 12:00 Berlin (06:00 New York); the runner then flies west.
    let h = History {
        runs: vec![run(7, "Europe/Berlin", "2026-06-10 10:00", 120, &[])],
        ..History::default()
    };
    let now = at("America/New_York", "2026-06-10 09:00");
    let rs = plan_reminders(&s, &h, now, "America/New_York").unwrap();
    for r in &rs {
        assert_eq!(r.zone, "America/New_York");
    }
    assert_eq!(
        find(&rs, "daily:2026-06-10").fire_at,
        at("America/New_York", "2026-06-10 18:00")
    );
    // ≥ 8 h after 06:00 New York is 14:00, past the 07–10 wake window: next New York morning.
    let c = find(&rs, &format!("checkin:{}", Uuid::from_u128(7)));
    assert_eq!(c.local_time, naive("2026-06-11 07:00"));
    // The same history planned in Berlin fires on Berlin's clock.
    let berlin = plan_reminders(&s, &h, now, "Europe/Berlin").unwrap();
    assert_eq!(
        find(&berlin, "daily:2026-06-10").fire_at,
        at("Europe/Berlin", "2026-06-10 18:00")
    );
}

#[test]
fn unknown_zone_is_a_typed_error() {
    let e = plan_reminders(
        &Settings::default(),
        &History::default(),
        utc("2026-06-01T00:00:00Z"),
        "Mars/Olympus",
    );
    assert!(matches!(e, Err(ScheduleError::Zone(_))));
}

// ---------------------------------------------------------------------------------------
// Long-run check-in and re-ask

const LDN: &str = "Europe/London";

fn late_long_run() -> Run {
    // 21:30–23:00: 90 minutes, long by duration.
    run(42, LDN, "2026-06-10 21:30", 90, &[])
}

#[test]
fn long_run_ending_at_23_gets_a_checkin_next_morning_at_least_8_h_later() {
    let r = late_long_run();
    let h = History {
        runs: vec![r.clone()],
        ..History::default()
    };
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-10 23:05"), LDN).unwrap();
    assert_eq!(rs.len(), 1);
    let c = &rs[0];
    assert_eq!(c.kind, ReminderKind::LongRunCheckIn);
    assert_eq!(c.id, format!("checkin:{}", r.id));
    assert_eq!(c.deep_link, format!("talus://checkin/{}", r.id));
    assert_eq!(c.local_time, naive("2026-06-11 07:00"));
    assert!(c.fire_at - r.record.end >= Duration::hours(8));
    assert_eq!(c.reason.code, "long_run_checkin");
    assert!(c.body.contains("90"));

    // Ending at 23:30: the wake window opens less than 8 h later, so end + 8 h = 07:30.
    let later = run(43, LDN, "2026-06-10 22:00", 90, &[]);
    let h = History {
        runs: vec![later],
        ..History::default()
    };
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-10 23:45"), LDN).unwrap();
    assert_eq!(rs[0].local_time, naive("2026-06-11 07:30"));

    // Ending at 02:30: end + 8 h is 10:30, after the window closes: next day's 07:00.
    let night = run(44, LDN, "2026-06-11 01:00", 90, &[]);
    let h = History {
        runs: vec![night],
        ..History::default()
    };
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-11 03:00"), LDN).unwrap();
    assert_eq!(rs[0].local_time, naive("2026-06-12 07:00"));
}

#[test]
fn checkin_inside_quiet_hours_moves_to_their_end() {
    let mut s = checkins_only();
    s.wake_window = window("05:00", "10:00");
    // Ends 20:00; end + 8 h = 04:00, window opens 05:00 inside quiet hours (22–07): 07:00.
    let h = History {
        runs: vec![run(5, LDN, "2026-06-10 18:00", 120, &[])],
        ..History::default()
    };
    let rs = plan_reminders(&s, &h, at(LDN, "2026-06-10 21:00"), LDN).unwrap();
    assert_eq!(rs[0].local_time, naive("2026-06-11 07:00"));
    assert_eq!(rs[0].reason.numbers["moved_out_of_quiet_hours"], 1.0);
}

#[test]
fn short_runs_get_no_checkin_and_answered_runs_get_none_either() {
    let short = run(1, LDN, "2026-06-10 18:00", 40, &[]);
    let h = History {
        runs: vec![short],
        ..History::default()
    };
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-10 21:00"), LDN).unwrap();
    assert!(rs.is_empty(), "{:?}", ids(&rs));

    let r = late_long_run();
    let h = History {
        runs: vec![r.clone()],
        checkins: vec![checkin(at(LDN, "2026-06-11 06:30"), 0, Some(r.id))],
        ..History::default()
    };
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-11 06:35"), LDN).unwrap();
    assert!(rs.is_empty(), "{:?}", ids(&rs));
}

fn answered(pain: i64) -> (Run, History) {
    let r = late_long_run();
    let h = History {
        runs: vec![r.clone()],
        checkins: vec![checkin(at(LDN, "2026-06-11 07:10"), pain, Some(r.id))],
        ..History::default()
    };
    (r, h)
}

#[test]
fn green_answer_gets_no_reask() {
    let (_, h) = answered(1);
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-11 07:15"), LDN).unwrap();
    assert!(rs.is_empty(), "{:?}", ids(&rs));
}

#[test]
fn amber_answer_gets_one_reask_48_h_after_the_run_in_the_wake_window() {
    // 4/10 with no baseline is amber.
    let (r, h) = answered(4);
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-11 07:15"), LDN).unwrap();
    assert_eq!(rs.len(), 1);
    let re = &rs[0];
    assert_eq!(re.kind, ReminderKind::LongRunReask);
    assert_eq!(re.id, format!("reask:{}", r.id));
    assert_eq!(re.deep_link, format!("talus://checkin/{}?reask=1", r.id));
    assert_eq!(re.reason.code, "reask_after_amber");
    // Run ended 2026-06-10 23:00; 48 h later is 23:00 on the 12th: next window 07:00 on the 13th.
    assert_eq!(re.local_time, naive("2026-06-13 07:00"));
    assert!(re.fire_at - r.record.end >= Duration::hours(48));

    // Red also gets the re-ask; a second answer closes it.
    let (_, red) = answered(8);
    let rs = plan_reminders(&checkins_only(), &red, at(LDN, "2026-06-11 07:15"), LDN).unwrap();
    assert_eq!(rs[0].reason.code, "reask_after_red");
    let (_, mut twice) = answered(4);
    twice
        .checkins
        .push(checkin(at(LDN, "2026-06-12 20:00"), 2, Some(r.id)));
    let rs = plan_reminders(&checkins_only(), &twice, at(LDN, "2026-06-12 20:05"), LDN).unwrap();
    assert!(rs.is_empty(), "{:?}", ids(&rs));
}

#[test]
fn a_run_imported_twice_gets_one_checkin_and_either_copy_answers_it() {
    let hk = late_long_run();
    let mut manual = run(7, LDN, "2026-06-10 21:32", 85, &[]);
    manual.record.source = "manual".into();
    let h = History {
        runs: vec![hk.clone(), manual.clone()],
        ..History::default()
    };
    let now = at(LDN, "2026-06-10 23:30");
    let rs = plan_reminders(&checkins_only(), &h, now, LDN).unwrap();
    assert_eq!(rs.len(), 1);
    // The smallest id names the merged run; the longest copy's end decides the time.
    assert_eq!(rs[0].id, format!("checkin:{}", manual.id));
    assert!(rs[0].fire_at - hk.record.end >= Duration::hours(8));
    let answered_via_hk = History {
        checkins: vec![checkin(at(LDN, "2026-06-11 07:05"), 0, Some(hk.id))],
        ..h
    };
    let rs = plan_reminders(
        &checkins_only(),
        &answered_via_hk,
        at(LDN, "2026-06-11 07:06"),
        LDN,
    )
    .unwrap();
    assert!(rs.is_empty(), "{:?}", ids(&rs));
}

#[test]
fn a_moved_run_keeps_its_reminder_id() {
    let r = late_long_run();
    let now = at(LDN, "2026-06-10 12:00");
    let before = plan_reminders(
        &checkins_only(),
        &History {
            runs: vec![r.clone()],
            ..History::default()
        },
        now,
        LDN,
    )
    .unwrap();
    let mut moved = r.clone();
    moved.record.start += Duration::hours(2);
    moved.record.end += Duration::hours(2);
    let after = plan_reminders(
        &checkins_only(),
        &History {
            runs: vec![moved],
            ..History::default()
        },
        now,
        LDN,
    )
    .unwrap();
    assert_eq!(ids(&before), ids(&after));
    assert_ne!(before[0].fire_at, after[0].fire_at);
    let plan = reconcile(&before, &after);
    assert_eq!(ids(&plan.replace), ids(&after));
    assert!(plan.add.is_empty() && plan.cancel.is_empty());
}

// ---------------------------------------------------------------------------------------
// Daily drills, knee-to-wall retest, switches, locale, cap

#[test]
fn finished_session_suppresses_that_days_drill_reminder_and_past_ones_are_dropped() {
    let now = at(LDN, "2026-06-10 19:00");
    let h = History {
        sessions: vec![
            session(date("2026-06-11"), SessionStatus::Finished),
            session(date("2026-06-12"), SessionStatus::Abandoned),
        ],
        ..History::default()
    };
    let rs = plan_reminders(&daily_only("18:00"), &h, now, LDN).unwrap();
    // 18:00 today is past, tomorrow is done; the day after still counts (abandoned).
    assert_eq!(
        ids(&rs),
        [
            "daily:2026-06-12",
            "daily:2026-06-13",
            "daily:2026-06-14",
            "daily:2026-06-15",
            "daily:2026-06-16",
            "daily:2026-06-17"
        ]
    );
    assert!(rs.iter().all(|r| r.deep_link == "talus://session/today"));
}

#[test]
fn daily_reminder_in_quiet_hours_moves_to_their_end_or_is_dropped() {
    let mut s = daily_only("06:00");
    s.quiet_hours = window("22:00", "07:00");
    let now = at(LDN, "2026-06-10 12:00");
    let rs = plan_reminders(&s, &History::default(), now, LDN).unwrap();
    let r = find(&rs, "daily:2026-06-11");
    assert_eq!(r.local_time, naive("2026-06-11 07:00"));
    assert_eq!(r.reason.numbers["moved_out_of_quiet_hours"], 1.0);
    // 23:00 would move to tomorrow's 07:00: a reminder for yesterday's drills is dropped.
    s.reminders.daily_drill_at = Some(hm("23:00"));
    assert!(plan_reminders(&s, &History::default(), now, LDN)
        .unwrap()
        .is_empty());
}

#[test]
fn safety_lock_pauses_drill_reminders() {
    let h = History {
        safety: talus_core::safety::SafetyRecord::locked_by(
            "heel_pop",
            at(LDN, "2026-06-01 12:00"),
        ),
        ..History::default()
    };
    let rs = plan_reminders(&daily_only("18:00"), &h, at(LDN, "2026-06-10 12:00"), LDN).unwrap();
    assert!(rs.is_empty());
}

fn rom(at: DateTime<Utc>, side: Side) -> RomMeasurement {
    RomMeasurement {
        id: Uuid::from_u128(at.timestamp() as u128 * 2 + side as u128),
        at,
        zone: LDN.into(),
        side,
        cm: 11.0,
    }
}

fn rom_only() -> Settings {
    let mut s = Settings::default();
    s.reminders.daily_drill_at = None;
    s.reminders.long_run_checkin = false;
    s
}

#[test]
fn knee_to_wall_retest_weekly_at_the_same_time_of_day() {
    let h = History {
        rom: vec![
            rom(at(LDN, "2026-06-01 08:10"), Side::Left),
            rom(at(LDN, "2026-06-01 08:15"), Side::Right),
        ],
        ..History::default()
    };
    let rs = plan_reminders(&rom_only(), &h, at(LDN, "2026-06-05 12:00"), LDN).unwrap();
    assert_eq!(ids(&rs), ["rom:2026-06-08"]);
    assert_eq!(rs[0].local_time, naive("2026-06-08 08:15"));
    assert_eq!(rs[0].deep_link, "talus://rom/retest");
    assert_eq!(rs[0].reason.numbers["days_since_last"], 7.0);
    // Not done: it repeats weekly on the same weekday.
    let rs = plan_reminders(&rom_only(), &h, at(LDN, "2026-06-20 12:00"), LDN).unwrap();
    assert_eq!(ids(&rs), ["rom:2026-06-22"]);
    assert_eq!(rs[0].reason.numbers["days_since_last"], 21.0);
    // No measurement yet: nothing to retest.
    let rs = plan_reminders(
        &rom_only(),
        &History::default(),
        at(LDN, "2026-06-05 12:00"),
        LDN,
    )
    .unwrap();
    assert!(rs.is_empty());
}

#[test]
fn switches_turn_each_kind_off() {
    let r = late_long_run();
    let h = History {
        runs: vec![r],
        rom: vec![rom(at(LDN, "2026-06-04 08:00"), Side::Left)],
        ..History::default()
    };
    let now = at(LDN, "2026-06-10 23:30");
    let all = plan_reminders(&Settings::default(), &h, now, LDN).unwrap();
    for kind in [
        ReminderKind::LongRunCheckIn,
        ReminderKind::DailyDrills,
        ReminderKind::RomRetest,
    ] {
        assert!(!of_kind(&all, kind).is_empty(), "{kind:?}");
    }
    let mut off = Settings::default();
    off.reminders.daily_drill_at = None;
    off.reminders.long_run_checkin = false;
    off.reminders.weekly_rom_retest = false;
    assert!(plan_reminders(&off, &h, now, LDN).unwrap().is_empty());
}

#[test]
fn german_text_and_english_fallback() {
    let mut s = daily_only("18:00");
    s.locale = "de-AT".into();
    let rs = plan_reminders(&s, &History::default(), at(LDN, "2026-06-10 12:00"), LDN).unwrap();
    assert_eq!(rs[0].title, "Knöchelübungen");
    s.locale = "fr".into();
    let rs = plan_reminders(&s, &History::default(), at(LDN, "2026-06-10 12:00"), LDN).unwrap();
    assert_eq!(rs[0].title, "Ankle drills");
}

#[test]
fn at_most_twenty_earliest_first() {
    let s = Settings {
        quiet_hours: window("00:00", "00:00"),
        wake_window: window("00:00", "23:59"),
        ..Settings::default()
    };
    // 30 tagged runs, 20 minutes apart, plus 8 daily reminders: capped at 20, earliest first.
    let runs: Vec<Run> = (0..30)
        .map(|i| {
            let mut r = run(100 + i, LDN, "2026-06-10 06:00", 10, &["long"]);
            r.record.start += Duration::minutes(20 * i as i64);
            r.record.end += Duration::minutes(20 * i as i64);
            r
        })
        .collect();
    let h = History {
        runs,
        ..History::default()
    };
    let rs = plan_reminders(&s, &h, at(LDN, "2026-06-10 16:30"), LDN).unwrap();
    assert_eq!(rs.len(), MAX_REMINDERS);
    assert!(rs.windows(2).all(|w| w[0].fire_at <= w[1].fire_at));
}

// ---------------------------------------------------------------------------------------
// Reconciliation against a fake OS scheduler

/// Stands in for UNUserNotificationCenter / AlarmManager: pending notifications by id, and
/// a log of every call the shell made.
#[derive(Default)]
struct FakeScheduler {
    pending: BTreeMap<String, Reminder>,
    calls: usize,
    touched: BTreeSet<String>,
}

impl FakeScheduler {
    fn schedule(&mut self, r: &Reminder) {
        self.calls += 1;
        self.touched.insert(r.id.clone());
        self.pending.insert(r.id.clone(), r.clone());
    }

    fn cancel(&mut self, id: &str) {
        self.calls += 1;
        self.touched.insert(id.to_string());
        self.pending.remove(id);
    }

    fn apply(&mut self, plan: &ReconcilePlan) {
        self.touched.clear();
        for id in &plan.cancel {
            self.cancel(id);
        }
        // Scheduling under an existing id replaces it, as on both platforms.
        for r in plan.replace.iter().chain(&plan.add) {
            self.schedule(r);
        }
    }

    /// The OS drops what it delivered.
    fn deliver_until(&mut self, t: DateTime<Utc>) {
        self.pending.retain(|_, r| r.fire_at > t);
    }

    fn pending(&self) -> Vec<Reminder> {
        let mut v: Vec<Reminder> = self.pending.values().cloned().collect();
        v.sort_by(|a, b| a.fire_at.cmp(&b.fire_at).then_with(|| a.id.cmp(&b.id)));
        v
    }
}

fn busy_history() -> History {
    History {
        runs: vec![late_long_run()],
        rom: vec![rom(at(LDN, "2026-06-04 08:00"), Side::Left)],
        ..History::default()
    }
}

#[test]
fn applying_the_plan_yields_exactly_the_desired_set_and_touches_nothing_else() {
    let s = Settings::default();
    let mut os = FakeScheduler::default();
    let now = at(LDN, "2026-06-10 23:30");
    let desired = plan_reminders(&s, &busy_history(), now, LDN).unwrap();
    let plan = reconcile(&os.pending(), &desired);
    assert_eq!(plan.add.len(), desired.len());
    os.apply(&plan);
    assert_eq!(os.pending(), desired);
    assert_eq!(os.calls, desired.len());

    // Same inputs again: empty diff, no OS call.
    let again = plan_reminders(&s, &busy_history(), now, LDN).unwrap();
    let plan = reconcile(&os.pending(), &again);
    assert!(plan.is_empty(), "{plan:?}");
    assert_eq!(plan.unchanged.len(), desired.len());
    os.apply(&plan);
    assert_eq!(os.calls, desired.len());

    // Next morning: the check-in was delivered and answered green, and tomorrow's session
    // was done early. Only the affected id is touched.
    let later = at(LDN, "2026-06-11 07:30");
    os.deliver_until(later);
    let mut h = busy_history();
    h.checkins
        .push(checkin(at(LDN, "2026-06-11 07:20"), 0, Some(h.runs[0].id)));
    h.sessions
        .push(session(date("2026-06-12"), SessionStatus::Finished));
    let desired = plan_reminders(&s, &h, later, LDN).unwrap();
    let plan = reconcile(&os.pending(), &desired);
    assert_eq!(plan.cancel, ["daily:2026-06-12"]);
    let calls_before = os.calls;
    os.apply(&plan);
    assert_eq!(os.pending(), desired);
    assert_eq!(
        os.calls - calls_before,
        plan.cancel.len() + plan.add.len() + plan.replace.len()
    );
    for id in &plan.unchanged {
        assert!(!os.touched.contains(id), "{id} was touched");
    }
    // 18:00 on the 18th is still beyond the horizon: nothing new, nothing rewritten.
    assert!(plan.add.is_empty() && plan.replace.is_empty(), "{plan:?}");

    // Travelling to New York: every reminder moves, under the same ids where they exist.
    let ny = plan_reminders(&s, &h, later, "America/New_York").unwrap();
    let plan = reconcile(&os.pending(), &ny);
    os.apply(&plan);
    assert_eq!(os.pending(), ny);
    assert!(reconcile(&os.pending(), &ny).is_empty());
}

#[test]
fn reconcile_from_stored_hashes_matches_reconcile_from_full_reminders() {
    let s = Settings::default();
    let now = at(LDN, "2026-06-10 23:30");
    let old = plan_reminders(&s, &busy_history(), now, LDN).unwrap();
    let mut h = busy_history();
    h.runs[0].record.end += Duration::hours(3);
    let new = plan_reminders(&s, &h, now + Duration::hours(20), LDN).unwrap();
    let kept: Vec<ScheduledReminder> = old.iter().map(ScheduledReminder::from).collect();
    assert_eq!(reconcile_scheduled(&kept, &new), reconcile(&old, &new));
    // A change of wording alone (locale) is a replace, not unchanged.
    let mut de = s.clone();
    de.locale = "de".into();
    let german = plan_reminders(&de, &busy_history(), now, LDN).unwrap();
    let plan = reconcile(&old, &german);
    assert_eq!(plan.replace.len(), old.len());
}

// ---------------------------------------------------------------------------------------
// Properties over random histories, zones and settings

const ZONES: &[&str] = &[
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "America/Santiago",
    "UTC",
];

/// Anchors next to DST transitions (and Apia's skipped day), so windows cross them often.
const ANCHORS: &[&str] = &[
    "2026-03-06T12:00:00Z",
    "2026-03-27T12:00:00Z",
    "2026-04-03T12:00:00Z",
    "2026-10-02T12:00:00Z",
    "2026-10-23T12:00:00Z",
    "2026-10-30T12:00:00Z",
    "2011-12-27T12:00:00Z",
    "2026-06-15T12:00:00Z",
];

fn time_of_day() -> impl Strategy<Value = NaiveTime> {
    (
        0u32..24,
        prop::sample::select(vec![0u32, 10, 15, 30, 45, 59]),
    )
        .prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        prop::option::of(time_of_day()),
        any::<bool>(),
        any::<bool>(),
        (time_of_day(), time_of_day()),
        (time_of_day(), time_of_day()),
        prop::sample::select(vec!["en", "de"]),
    )
        .prop_map(|(daily, checkin, retest, wake, quiet, locale)| {
            let mut s = Settings::default();
            s.reminders.daily_drill_at = daily;
            s.reminders.long_run_checkin = checkin;
            s.reminders.weekly_rom_retest = retest;
            s.wake_window = LocalWindow {
                start: wake.0,
                end: wake.1,
            };
            s.quiet_hours = LocalWindow {
                start: quiet.0,
                end: quiet.1,
            };
            s.locale = locale.into();
            s
        })
}

#[derive(Debug, Clone)]
struct Case {
    now: DateTime<Utc>,
    zone: &'static str,
    settings: Settings,
    history: History,
}

fn case() -> impl Strategy<Value = Case> {
    let runs = prop::collection::vec(
        (
            -14 * 24 * 60i64..24 * 60,
            1i64..200,
            any::<bool>(),
            prop::sample::select(ZONES.to_vec()),
        ),
        0..8,
    );
    let checkins = prop::collection::vec(
        (-10 * 24 * 60i64..0, 0i64..=10, prop::option::of(0usize..8)),
        0..6,
    );
    let sessions = prop::collection::vec((-2i64..9, any::<bool>()), 0..5);
    let roms = prop::collection::vec(0i64..40 * 24 * 60, 0..3);
    (
        prop::sample::select(ANCHORS.to_vec()),
        -10 * 24 * 60i64..10 * 24 * 60,
        prop::sample::select(ZONES.to_vec()),
        settings(),
        runs,
        checkins,
        sessions,
        roms,
    )
        .prop_map(
            |(anchor, offset, zone, settings, runs, checkins, sessions, roms)| {
                let now = utc(anchor) + Duration::minutes(offset);
                let runs: Vec<Run> = runs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (start, mins, long, rz))| {
                        let start = now + Duration::minutes(start);
                        Run {
                            id: Uuid::from_u128(i as u128 + 1),
                            record: RunRecord {
                                source: if i % 2 == 0 { "healthkit" } else { "manual" }.into(),
                                external_id: i.to_string(),
                                start,
                                end: start + Duration::minutes(mins),
                                distance_m: mins as f64 * 160.0,
                                tags: if long { vec!["long".into()] } else { vec![] },
                                zone: rz.into(),
                            },
                        }
                    })
                    .collect();
                let checkins = checkins
                    .into_iter()
                    .enumerate()
                    .map(|(i, (ago, pain, run))| {
                        let mut c = checkin(now + Duration::minutes(ago), pain, None);
                        c.id = Uuid::from_u128(1000 + i as u128);
                        c.run_id = run.and_then(|k| runs.get(k)).map(|r| r.id);
                        c
                    })
                    .collect();
                let today = local_date_time(now, parse_zone(zone).unwrap()).date();
                let sessions = sessions
                    .into_iter()
                    .map(|(d, done)| {
                        let status = if done {
                            SessionStatus::Finished
                        } else {
                            SessionStatus::Planned
                        };
                        session(today + Duration::days(d), status)
                    })
                    .collect();
                let rom = roms
                    .into_iter()
                    .map(|ago| rom(now - Duration::minutes(ago), Side::Left))
                    .collect();
                Case {
                    now,
                    zone,
                    settings,
                    history: History {
                        runs,
                        checkins,
                        sessions,
                        rom,
                        ..History::default()
                    },
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn planned_reminders_keep_every_invariant(c in case()) {
        let tz = parse_zone(c.zone).unwrap();
        let rs = plan_reminders(&c.settings, &c.history, c.now, c.zone).unwrap();
        prop_assert!(rs.len() <= MAX_REMINDERS);
        let unique: BTreeSet<&str> = rs.iter().map(|r| r.id.as_str()).collect();
        prop_assert_eq!(unique.len(), rs.len());
        for w in rs.windows(2) {
            prop_assert!(w[0].fire_at <= w[1].fire_at);
        }
        for r in &rs {
            prop_assert!(r.fire_at > c.now, "{} in the past", r.id);
            prop_assert!(r.fire_at <= c.now + Duration::days(7), "{} beyond 7 days", r.id);
            prop_assert_eq!(&r.zone, c.zone);
            prop_assert_eq!(r.local_time, local_date_time(r.fire_at, tz));
            prop_assert!(
                !c.settings.quiet_hours.contains(r.local_time.time()),
                "{} at {} inside quiet hours {:?}", r.id, r.local_time, c.settings.quiet_hours
            );
            let kind_on = match r.kind {
                ReminderKind::LongRunCheckIn | ReminderKind::LongRunReask => {
                    c.settings.reminders.long_run_checkin
                }
                ReminderKind::DailyDrills => c.settings.reminders.daily_drill_at.is_some(),
                ReminderKind::RomRetest => c.settings.reminders.weekly_rom_retest,
            };
            prop_assert!(kind_on, "{} although switched off", r.id);
            if r.kind == ReminderKind::LongRunCheckIn {
                prop_assert!(c.settings.wake_window.contains(r.local_time.time()));
            }
            if r.kind == ReminderKind::DailyDrills {
                let day = format!("daily:{}", r.local_time.date());
                prop_assert_eq!(&r.id, &day);
            }
        }
        // Recomputation is idempotent and reconciles to an empty diff.
        let again = plan_reminders(&c.settings, &c.history, c.now, c.zone).unwrap();
        prop_assert_eq!(&again, &rs);
        prop_assert!(reconcile(&rs, &again).is_empty());
        // Recomputing an hour later neither moves nor rewrites a reminder still ahead.
        let later_now = c.now + Duration::hours(1);
        let later = plan_reminders(&c.settings, &c.history, later_now, c.zone).unwrap();
        for r in later.iter() {
            if let Some(old) = rs.iter().find(|o| o.id == r.id) {
                prop_assert_eq!(old, r);
            }
        }
        for old in rs.iter().filter(|o| o.fire_at > later_now) {
            prop_assert!(
                later.iter().any(|r| r.id == old.id) || later.len() == MAX_REMINDERS,
                "{} vanished an hour later", old.id
            );
        }
    }
}

#[test]
fn instants_at_the_edge_of_the_calendar_do_not_panic() {
    let mut h = busy_history();
    for (i, edge) in [DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC]
        .into_iter()
        .enumerate()
    {
        let mut r = late_long_run();
        r.id = Uuid::from_u128(9000 + i as u128);
        r.record.start = edge;
        r.record.end = edge;
        h.runs.push(r);
        for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"] {
            let e = plan_reminders(&Settings::default(), &h, edge, zone);
            assert!(matches!(e, Err(ScheduleError::OutOfRange(_))), "{e:?}");
            // Absurd records are ignored; the rest is planned as usual.
            let now = utc("2026-06-10T12:00:00Z");
            let rs = plan_reminders(&Settings::default(), &h, now, zone).unwrap();
            let edge_runs = [Uuid::from_u128(9000), Uuid::from_u128(9001)].map(|u| u.to_string());
            assert!(rs
                .iter()
                .all(|r| !edge_runs.iter().any(|u| r.id.ends_with(u))));
            assert!(!rs.is_empty());
        }
    }
}

// ---------------------------------------------------------------------------------------
// A long run imported after its check-in slot (ADR 0002 principle 6, ADR 0003)

/// The late long run (ended 23:00 on 10 June; its slot is 07:00 on the 11th), known since
/// `known` (London wall time).
fn known_at(known: &str) -> (Run, History) {
    let r = late_long_run();
    let mut h = History {
        runs: vec![r.clone()],
        ..History::default()
    };
    h.run_known_since.insert(r.id, at(LDN, known));
    (r, h)
}

#[test]
fn a_run_imported_after_its_slot_gets_its_checkin_at_once_inside_the_wake_window() {
    let (r, h) = known_at("2026-06-11 08:30");
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-11 08:30"), LDN).unwrap();
    assert_eq!(rs.len(), 1, "{:?}", ids(&rs));
    let c = &rs[0];
    assert_eq!(c.id, format!("checkin:{}", r.id));
    assert_eq!(c.kind, ReminderKind::LongRunCheckIn);
    assert_eq!(c.reason.code, "long_run_checkin_late");
    assert_eq!(c.local_time, naive("2026-06-11 08:35"));
    // The slot is data: recomputing a minute later gives the same reminder, and once it has
    // fired it is not asked again.
    let again = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-11 08:31"), LDN).unwrap();
    assert_eq!(again, rs);
    let later = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-11 08:40"), LDN).unwrap();
    assert!(later.is_empty(), "{:?}", ids(&later));
}

#[test]
fn a_run_imported_outside_the_wake_window_gets_its_checkin_in_the_next_one() {
    let (_, h) = known_at("2026-06-11 12:00");
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-11 12:00"), LDN).unwrap();
    assert_eq!(rs.len(), 1, "{:?}", ids(&rs));
    assert_eq!(rs[0].local_time, naive("2026-06-12 07:00"));
    assert_eq!(rs[0].reason.code, "long_run_checkin_late");
}

#[test]
fn a_run_known_before_its_slot_keeps_the_usual_checkin_and_a_stale_one_gets_none() {
    let (_, h) = known_at("2026-06-10 23:30");
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-10 23:30"), LDN).unwrap();
    assert_eq!(rs[0].local_time, naive("2026-06-11 07:00"));
    assert_eq!(rs[0].reason.code, "long_run_checkin");
    // Known 4 days after the run: beyond 72 h, no question about "the long run" any more.
    let (_, h) = known_at("2026-06-14 08:00");
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-14 08:00"), LDN).unwrap();
    assert!(rs.is_empty(), "{:?}", ids(&rs));
}

#[test]
fn a_late_amber_answer_still_gets_its_reask_half_a_day_on() {
    // Known 57 h after the run; the late check-in at 08:05 is answered amber at 08:10. The
    // usual re-ask slot (48 h after the run: 07:00 on the 13th) has passed; the re-ask comes
    // at least 12 h after the answer, in the next wake window.
    let (r, mut h) = known_at("2026-06-13 08:00");
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-13 08:00"), LDN).unwrap();
    assert_eq!(rs[0].local_time, naive("2026-06-13 08:05"));
    h.checkins
        .push(checkin(at(LDN, "2026-06-13 08:10"), 4, Some(r.id)));
    let rs = plan_reminders(&checkins_only(), &h, at(LDN, "2026-06-13 08:11"), LDN).unwrap();
    assert_eq!(rs.len(), 1, "{:?}", ids(&rs));
    assert_eq!(rs[0].kind, ReminderKind::LongRunReask);
    assert_eq!(rs[0].local_time, naive("2026-06-14 07:00"));
}

#[test]
fn the_store_knows_when_a_run_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = talus_core::catalog::Catalog::embedded().unwrap();
    let first = utc("2026-06-11T07:30:00Z");
    let (store, _) =
        talus_core::store::Store::open(&dir.path().join("p.db"), &catalog, first).unwrap();
    let r = late_long_run();
    let (stored, _) = store.upsert_run(&r.record, first).unwrap();
    // Updating it later does not move the instant it became known.
    let mut edited = r.record.clone();
    edited.distance_m += 100.0;
    store
        .upsert_run(&edited, first + Duration::hours(3))
        .unwrap();
    let h = store
        .history(first - Duration::days(3), first + Duration::days(1))
        .unwrap();
    assert_eq!(h.run_known_since.get(&stored.id), Some(&first));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A late check-in never fires before the run became known, is stable under recomputing
    /// (the same reminder at any `now` before it fires), and exists whenever the run became
    /// known within 72 h of its end, after its usual slot, and the late slot is still ahead.
    #[test]
    fn late_checkins_are_stable_and_never_missed(
        end_min in 0i64..(3 * 24 * 60),
        known_after_min in 0i64..(5 * 24 * 60),
        now_after_known_min in 0i64..5,
        recompute_min in 0i64..600,
    ) {
        let start = at(LDN, "2026-06-08 06:00") + Duration::minutes(end_min);
        let mut r = run(9, LDN, "2026-06-08 06:00", 95, &[]);
        r.record.start = start;
        r.record.end = start + Duration::minutes(95);
        let known = r.record.end + Duration::minutes(known_after_min);
        let mut h = History { runs: vec![r.clone()], ..History::default() };
        h.run_known_since.insert(r.id, known);
        let now = known + Duration::minutes(now_after_known_min);
        let s = checkins_only();
        let rs = plan_reminders(&s, &h, now, LDN).unwrap();
        let checkin = rs.iter().find(|x| x.kind == ReminderKind::LongRunCheckIn);
        if let Some(c) = checkin {
            prop_assert!(c.fire_at > now);
            prop_assert!(c.fire_at - r.record.end >= Duration::hours(8));
            if c.reason.code == "long_run_checkin_late" {
                prop_assert!(c.fire_at >= known);
            }
            let later = now + Duration::minutes(recompute_min);
            if later < c.fire_at {
                let again = plan_reminders(&s, &h, later, LDN).unwrap();
                let same = again.iter().find(|x| x.id == c.id);
                prop_assert_eq!(same.map(|x| x.fire_at), Some(c.fire_at));
            }
        }
        // Within 72 h and after the usual slot: the late slot is the first wake instant from
        // five minutes after it became known, so it is ahead of a `now` within those five
        // minutes (the shell recomputes right after an import) and must be planned.
        let usual = plan_reminders(&s, &History { runs: vec![r.clone()], ..History::default() },
            r.record.end, LDN).unwrap();
        let usual_slot = usual.iter().find(|x| x.kind == ReminderKind::LongRunCheckIn).map(|x| x.fire_at);
        let late = usual_slot.is_some_and(|slot| slot <= known);
        if late && known - r.record.end <= Duration::hours(72) {
            prop_assert!(checkin.is_some(), "no late check-in: ended {}, known {}, now {}", r.record.end, known, now);
        }
    }
}
