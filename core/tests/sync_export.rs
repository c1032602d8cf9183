//! Clinician export: documented columns, local times with offset and zone, CSV escaping,
//! JSON mirroring the CSV tables.

use chrono::{DateTime, NaiveDate, Utc};
use talus_core::domain::{
    CheckIn, History, PlanVariant, RegionScores, RomMeasurement, Run, RunRecord, Score,
    SessionRecord, SessionStatus, SetLog, Side,
};
use talus_core::sync::{
    clinician_export, SyncError, CHECKIN_COLUMNS, ROM_COLUMNS, RUN_COLUMNS, SET_PAIN_COLUMNS,
};
use uuid::Uuid;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn history() -> History {
    let pain = RegionScores {
        calf: Score::new(3).unwrap(),
        achilles: Score::new(1).unwrap(),
        ankle: Score::ZERO,
    };
    let set = SetLog {
        drill_id: "banded_df_mob".into(),
        side: Some(Side::Left),
        set_index: 1,
        level: 2,
        target_reps: Some(10),
        reps_done: Some(8),
        target_hold_s: None,
        hold_s_done: None,
        pain: Some(Score::new(4).unwrap()),
        stretch: false,
        stopped: true,
        skipped: false,
        reason_code: Some("pain_free_limit_exceeded".into()),
        note: Some("=HYPERLINK(\"x\"), sore\nafter".into()),
        at: at("2026-03-29T16:30:00Z"),
    };
    History {
        sessions: vec![SessionRecord {
            outcome: None,
            id: Uuid::from_u128(10),
            planned_for: NaiveDate::from_ymd_opt(2026, 3, 29).unwrap(),
            zone: "Europe/Berlin".into(),
            status: SessionStatus::Finished,
            variant: PlanVariant::Normal,
            started_at: None,
            ended_at: None,
            snapshot: None,
            sets: vec![set],
        }],
        checkins: vec![
            CheckIn {
                id: Uuid::from_u128(2),
                // After the spring-forward change: Berlin is +02:00.
                at: at("2026-03-29T05:15:00Z"),
                zone: "Europe/Berlin".into(),
                pain,
                stiffness: RegionScores::default(),
                red_flags_yes: vec![],
                run_id: None,
            },
            CheckIn {
                id: Uuid::from_u128(1),
                at: at("2026-03-28T06:15:00Z"),
                zone: "Not/AZone".into(),
                pain: RegionScores::default(),
                stiffness: pain,
                red_flags_yes: vec!["calf_hot_swollen".into()],
                run_id: Some(Uuid::from_u128(5)),
            },
        ],
        runs: vec![Run {
            id: Uuid::from_u128(5),
            record: RunRecord {
                source: "healthkit".into(),
                external_id: "hk-1".into(),
                start: at("2026-03-27T17:00:00Z"),
                end: at("2026-03-27T18:35:00Z"),
                distance_m: 18_250.0,
                tags: vec!["long".into(), "trail".into()],
                zone: "America/New_York".into(),
            },
        }],
        rom: vec![RomMeasurement {
            id: Uuid::from_u128(3),
            at: at("2026-03-29T05:20:00Z"),
            zone: "Europe/Berlin".into(),
            side: Side::Right,
            cm: 11.5,
        }],
        ..History::default()
    }
}

#[test]
fn csv_has_documented_columns_local_times_and_escaping() {
    let files = clinician_export(&history(), None, "Europe/London").unwrap();
    let lines: Vec<&str> = files.checkins_csv.split("\r\n").collect();
    assert_eq!(lines[0], CHECKIN_COLUMNS.join(","));
    // Sorted by time; the bad record zone falls back to the export zone (GMT in March 28).
    assert!(lines[1].starts_with(&format!(
        "{},2026-03-28T06:15:00+00:00,Europe/London,2026-03-28T06:15:00Z,0,0,0,0,3,1,0,calf_hot_swollen,{}",
        Uuid::from_u128(1),
        Uuid::from_u128(5)
    )), "{}", lines[1]);
    assert!(
        lines[2].contains(",2026-03-29T07:15:00+02:00,Europe/Berlin,"),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains(",3,1,0,3,0,0,0,,"), "{}", lines[2]);

    let set_lines: Vec<&str> = files.set_pain_csv.splitn(2, "\r\n").collect();
    assert_eq!(set_lines[0], SET_PAIN_COLUMNS.join(","));
    assert!(set_lines[1].ends_with(
        ",banded_df_mob,,left,1,2,4,10,8,,,true,false,pain_free_limit_exceeded,\"'=HYPERLINK(\"\"x\"\"), sore\nafter\",false\r\n"
    ), "{}", set_lines[1]);

    assert!(files.rom_csv.starts_with(&ROM_COLUMNS.join(",")));
    assert!(files
        .rom_csv
        .contains(",2026-03-29T07:20:00+02:00,Europe/Berlin,2026-03-29T05:20:00Z,right,11.5\r\n"));
    assert!(files.runs_csv.starts_with(&RUN_COLUMNS.join(",")));
    assert!(files.runs_csv.contains(
        ",healthkit,2026-03-27T13:00:00-04:00,2026-03-27T14:35:00-04:00,America/New_York,95.0,18.25,long;trail,2026-03-27T17:00:00Z\r\n"
    ), "{}", files.runs_csv);
}

#[test]
fn json_mirrors_the_csv_tables() {
    let files = clinician_export(&history(), None, "Europe/London").unwrap();
    let doc: serde_json::Value = serde_json::from_str(&files.json).unwrap();
    assert_eq!(doc["format"], "talus-clinician-export");
    for (table, columns, rows) in [
        ("checkins", CHECKIN_COLUMNS, 2),
        ("set_pain", SET_PAIN_COLUMNS, 1),
        ("knee_to_wall", ROM_COLUMNS, 1),
        ("runs", RUN_COLUMNS, 1),
    ] {
        let items = doc[table].as_array().unwrap();
        assert_eq!(items.len(), rows, "{table}");
        let keys: Vec<&str> = items[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = columns.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected, "{table}");
    }
    assert_eq!(doc["set_pain"][0]["pain"], 4);
    assert_eq!(doc["set_pain"][0]["note"], "=HYPERLINK(\"x\"), sore\nafter");
}

#[test]
fn unknown_export_zone_is_a_typed_error() {
    assert!(matches!(
        clinician_export(&history(), None, "Mars/Base"),
        Err(SyncError::Time(_))
    ));
}
