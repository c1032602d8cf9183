//! Coaching rules: screening lock, morning traffic light at its thresholds, today's plan per
//! variant, knee-to-wall trends.

use chrono::{DateTime, Duration, TimeZone, Utc};
use talus_core::catalog::{Catalog, Equipment, PainPolicy};
use talus_core::domain::{
    CheckIn, History, PlanVariant, RegionScores, RomMeasurement, Score, Settings, Side,
};
use talus_core::progression::{
    classify_morning, plan_today, rom_report, screening_questions, MorningStatus,
};
use talus_core::safety::{
    clearance_event, red_flag_events, Answer, FlagSource, SafetyError, SafetyRecord,
};
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 10, 8, 0, 0).unwrap()
}

fn checkin(at: DateTime<Utc>, pain: i64) -> CheckIn {
    let s = Score::new(pain).unwrap();
    CheckIn {
        id: Uuid::now_v7(),
        at,
        zone: "UTC".into(),
        pain: RegionScores {
            calf: Score::ZERO,
            achilles: Score::ZERO,
            ankle: s,
        },
        stiffness: RegionScores::default(),
        red_flags_yes: vec![],
        run_id: None,
    }
}

fn with_baseline(score: i64) -> History {
    History {
        checkins: (1..=10)
            .map(|d| checkin(now() - Duration::days(d), score))
            .collect(),
        ..History::default()
    }
}

fn all_equipment() -> Settings {
    Settings {
        equipment: Equipment::ALL.to_vec(),
        ..Settings::default()
    }
}

#[test]
fn screening_locks_on_any_yes_or_not_sure_and_clears_only_with_clinician() {
    let qs = screening_questions("en");
    assert_eq!(qs.len(), 20);
    assert_ne!(screening_questions("de")[0].text, qs[0].text);
    let ids = || {
        let mut n = 0u128;
        move || {
            n += 1;
            uuid::Uuid::from_u128(n)
        }
    };
    let all_no: Vec<(String, Answer)> = qs.iter().map(|q| (q.id.clone(), Answer::No)).collect();
    assert!(
        red_flag_events(&all_no, FlagSource::Screening, now(), ids())
            .unwrap()
            .is_empty()
    );
    let mut one_yes = all_no.clone();
    one_yes[8].1 = Answer::Yes; // calf swollen and hot
    let mut record = SafetyRecord::default();
    record.absorb(red_flag_events(&one_yes, FlagSource::Screening, now(), ids()).unwrap());
    let state = record.state();
    assert!(state.is_locked());
    assert_eq!(state.reason("en").code, "red_flag_urgent");
    let today = now().date_naive();
    let clear = clearance_event(
        &record,
        "Dr A",
        today,
        today,
        |t| t.date_naive(),
        now(),
        || uuid::Uuid::from_u128(99),
    )
    .unwrap();
    record.absorb([clear]);
    assert!(!record.state().blocks_drills());
    let unknown = vec![("made_up".to_string(), Answer::Yes)];
    assert!(matches!(
        red_flag_events(&unknown, FlagSource::Screening, now(), ids()),
        Err(SafetyError::UnknownQuestion(_))
    ));
}

#[test]
fn morning_thresholds() {
    let cases = [
        (with_baseline(1), 6, MorningStatus::Red, "morning_pain_high"),
        (with_baseline(1), 5, MorningStatus::Amber, "above_baseline"),
        (with_baseline(1), 2, MorningStatus::Green, "settled"),
        (with_baseline(3), 5, MorningStatus::Amber, "above_baseline"),
        (with_baseline(4), 5, MorningStatus::Green, "settled"),
        (
            History::default(),
            4,
            MorningStatus::Amber,
            "no_baseline_score_high",
        ),
        (
            History::default(),
            3,
            MorningStatus::Green,
            "baseline_unknown",
        ),
    ];
    for (history, pain, status, code) in cases {
        let a = classify_morning(&checkin(now(), pain), &history, "en", now()).unwrap();
        assert_eq!(a.status, status, "pain {pain}");
        assert_eq!(a.reasons[0].code, code);
    }
    let mut flagged = checkin(now(), 0);
    flagged.red_flags_yes = vec!["heel_pop".into()];
    assert_eq!(
        classify_morning(&flagged, &with_baseline(0), "en", now())
            .unwrap()
            .status,
        MorningStatus::Red
    );
    // A check-in stamped an hour ahead (merged from a peer whose clock runs fast) is judged
    // as made now: classified, never refused.
    let ahead = classify_morning(
        &checkin(now() + Duration::hours(1), 6),
        &History::default(),
        "en",
        now(),
    )
    .unwrap();
    assert_eq!(ahead.status, MorningStatus::Red);
}

/// ADR 0002, principle 3: a slow drift pauses progression (the level rules hold); it does not
/// turn the morning amber, which would regress every drill after two days.
#[test]
fn rising_weekly_trend_is_reported_and_stays_green() {
    let mut h = History::default();
    for d in 1..=21 {
        let score = if d <= 7 {
            3
        } else if d <= 14 {
            2
        } else {
            1
        };
        h.checkins.push(checkin(now() - Duration::days(d), score));
    }
    let a = classify_morning(&checkin(now(), 3), &h, "en", now()).unwrap();
    assert_eq!(a.status, MorningStatus::Green);
    assert!(a.reasons.iter().any(|r| r.code == "weekly_trend_rising"));
}

#[test]
fn plan_follows_the_morning_lock_and_long_run() {
    let c = Catalog::embedded().unwrap();
    let s = all_equipment();
    let mut green = with_baseline(1);
    green.checkins.push(checkin(now() - Duration::hours(1), 1));
    let p = plan_today(&c, &s, &green, false, now(), "UTC").unwrap();
    assert_eq!(p.variant, PlanVariant::Normal);
    assert_eq!(p.items.len(), 6);
    assert!(
        p.items.iter().any(|i| i.drill_id == "ankle_pumps_seated"),
        "entry level of the DF chain"
    );

    let mut red = with_baseline(1);
    red.checkins.push(checkin(now() - Duration::hours(1), 7));
    let p = plan_today(&c, &s, &red, false, now(), "UTC").unwrap();
    assert_eq!(p.variant, PlanVariant::MobilityOnly);
    assert!(p
        .items
        .iter()
        .all(|i| c.drill(&i.drill_id).unwrap().pain_policy == PainPolicy::PainFree));

    let p = plan_today(&c, &s, &green, true, now(), "UTC").unwrap();
    assert_eq!(p.variant, PlanVariant::Recovery);
    assert!(p
        .items
        .iter()
        .all(|i| c.drill(&i.drill_id).unwrap().pain_policy == PainPolicy::PainFree));

    let mut locked = green.clone();
    locked.safety = SafetyRecord::locked_by("heel_pop", now());
    let p = plan_today(&c, &s, &locked, false, now(), "UTC").unwrap();
    assert_eq!(p.variant, PlanVariant::Locked);
    assert!(p.items.is_empty());
    let locked_no_checkin = History {
        safety: SafetyRecord::locked_by("heel_pop", now()),
        ..History::default()
    };
    let p = plan_today(&c, &s, &locked_no_checkin, false, now(), "UTC").unwrap();
    assert!(
        p.reasons.iter().all(|r| r.code != "no_checkin_today"),
        "a locked day does not claim to be planned as a normal day: {:?}",
        p.reasons
    );

    let p = plan_today(&c, &s, &History::default(), false, now(), "UTC").unwrap();
    assert!(p.reasons.iter().any(|r| r.code == "no_checkin_today"));
    // The nudge sits under whatever heading the day gets, a recovery day included, so it
    // must not name a variant itself.
    for locale in ["en", "de"] {
        let s = Settings {
            locale: locale.into(),
            ..s.clone()
        };
        let p = plan_today(&c, &s, &History::default(), true, now(), "UTC").unwrap();
        assert_eq!(p.variant, PlanVariant::Recovery);
        let nudge = p
            .reasons
            .iter()
            .find(|r| r.code == "no_checkin_today")
            .expect("the nudge to check in");
        let lower = nudge.message.to_lowercase();
        assert!(
            !lower.contains("normal"),
            "a recovery day is not planned as a normal one: {}",
            nudge.message
        );
    }
    assert!(plan_today(&c, &s, &green, false, now(), "Mars/Base").is_err());
}

#[test]
fn plan_respects_equipment_and_the_stiffer_side() {
    let c = Catalog::embedded().unwrap();
    let mut h = History::default();
    h.progress.push(talus_core::domain::DrillProgress {
        drill_id: "banded_df_mob".into(),
        side: None,
        level: 1,
        changed_at: now(),
    });
    for (side, cm) in [(Side::Left, 8.0), (Side::Right, 11.0)] {
        h.rom.push(RomMeasurement {
            id: Uuid::now_v7(),
            at: now() - Duration::days(1),
            zone: "UTC".into(),
            side,
            cm,
        });
    }
    let p = plan_today(&c, &all_equipment(), &h, false, now(), "UTC").unwrap();
    let df = p
        .items
        .iter()
        .find(|i| i.drill_id == "banded_df_mob")
        .expect("reached level is planned");
    assert_eq!(df.level, 1);
    assert_eq!(
        df.sides,
        vec![Side::Left, Side::Right],
        "stiffer side first"
    );
    assert_eq!(df.extra_set_side, Some(Side::Left));
    let bare = plan_today(&c, &Settings::default(), &h, false, now(), "UTC").unwrap();
    assert!(bare
        .items
        .iter()
        .all(|i| c.drill(&i.drill_id).unwrap().equipment.is_empty()));
    assert!(
        bare.items
            .iter()
            .any(|i| i.drill_id == "ankle_pumps_seated"),
        "band drill steps down its chain"
    );
}

#[test]
fn an_equipment_stand_in_is_the_top_of_the_easier_drill() {
    // Both legs progressed past the single-leg calf raise onto the heel drops, which need a
    // step the runner does not have: the stand-in is the calf raise at its top dosage (one
    // step down the ladder), never its first, so a leg that regressed onto the calf raise
    // (a worse history) is not planned above this one.
    let c = Catalog::embedded().unwrap();
    let raise = c.drill("single_leg_calf_raise").unwrap();
    let heel_drops = c.drill("eccentric_heel_drop_step").unwrap();
    assert!(heel_drops.equipment.contains(&Equipment::Step));
    assert_eq!(
        heel_drops.regression.as_deref(),
        Some("single_leg_calf_raise")
    );
    let mut h = History::default();
    for side in [Side::Left, Side::Right] {
        h.progress.push(talus_core::domain::DrillProgress {
            drill_id: "eccentric_heel_drop_step".into(),
            side: Some(side),
            level: 0,
            changed_at: now() - Duration::days(2),
        });
    }
    let mut no_step = all_equipment();
    no_step.equipment.retain(|e| *e != Equipment::Step);
    let planned_level = |h: &History| {
        plan_today(&c, &no_step, h, false, now(), "UTC")
            .unwrap()
            .items
            .iter()
            .find(|i| i.drill_id == "single_leg_calf_raise")
            .map(|i| i.level)
    };
    let top = u32::try_from(raise.dosage.len() - 1).unwrap();
    assert!(top > 0, "the calf raise has more than one dosage");
    assert_eq!(planned_level(&h), Some(top));
    // A leg that regressed onto the calf raise stands lower and plans lower.
    let mut regressed = h.clone();
    regressed.progress[1] = talus_core::domain::DrillProgress {
        drill_id: "single_leg_calf_raise".into(),
        side: Some(Side::Right),
        level: top - 1,
        changed_at: now() - Duration::days(1),
    };
    assert_eq!(planned_level(&regressed), Some(top - 1));
}

#[test]
fn checkin_on_a_fall_back_night_counts_for_that_local_day() {
    let c = Catalog::embedded().unwrap();
    // 2026-11-01 01:30 EDT (first of the two 01:30s) is 05:30 UTC.
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap();
    let mut ci = checkin(at, 6);
    ci.zone = "America/New_York".into();
    let h = History {
        checkins: vec![ci],
        ..History::default()
    };
    let p = plan_today(
        &c,
        &all_equipment(),
        &h,
        false,
        at + Duration::hours(3),
        "America/New_York",
    )
    .unwrap();
    assert_eq!(p.variant, PlanVariant::MobilityOnly);
}

#[test]
fn knee_to_wall_trend_mdc_and_asymmetry() {
    let s = Settings::default();
    let m = |days: i64, side: Side, cm: f64| RomMeasurement {
        id: Uuid::now_v7(),
        at: now() - Duration::days(days),
        zone: "UTC".into(),
        side,
        cm,
    };
    let r = rom_report(
        &[
            m(21, Side::Left, 8.0),
            m(1, Side::Left, 9.4),
            m(21, Side::Right, 10.0),
            m(1, Side::Right, 11.6),
        ],
        &s,
        now(),
    );
    assert!(!r.left.real_change, "1.4 cm is under the 1.5 cm MDC");
    assert!(r.right.real_change);
    assert_eq!(r.stiffer_side, Some(Side::Left));
    assert!(r.asymmetry_flag, "2.2 cm apart");
    assert!(!r.retest_due);
    let r = rom_report(
        &[m(8, Side::Left, 10.0), m(8, Side::Right, 11.0)],
        &s,
        now(),
    );
    assert!(!r.asymmetry_flag && r.retest_due);
}
