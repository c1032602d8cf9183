//! Contract tests of the public API: conversions, validation at the boundary and the error
//! mapping. The rules themselves are tested in core.

use talus_ffi::{
    CheckInInput, Engine, Equipment, PainPolicy, RunInput, RunOutcome, Side, TalusError,
};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28

fn engine() -> (tempfile::TempDir, std::sync::Arc<Engine>) {
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path().join("profile").to_string_lossy().into(), NOW).unwrap();
    (dir, e)
}

fn checkin(pain_ankle: i32) -> CheckInInput {
    CheckInInput {
        at_ms: NOW - 3_600_000,
        zone: "Europe/Berlin".into(),
        pain_calf: 1,
        pain_achilles: 0,
        pain_ankle,
        stiffness_calf: 2,
        stiffness_achilles: 0,
        stiffness_ankle: 1,
        red_flags_yes: vec![],
        run_id: None,
    }
}

#[test]
fn open_creates_then_reopens_same_device() {
    let dir = tempfile::tempdir().unwrap();
    let path: String = dir.path().join("p").to_string_lossy().into();
    let first = Engine::open(path.clone(), NOW).unwrap().open_info();
    assert!(first.created);
    let again = Engine::open(path, NOW).unwrap().open_info();
    assert!(!again.created);
    assert_eq!(first.device_id, again.device_id);
}

#[test]
fn drills_are_localized_and_unknown_is_not_found() {
    let (_d, e) = engine();
    let drills = e.drills("de".into());
    assert_eq!(drills.len(), 23);
    let banded = e.drill("banded_df_mob".into(), "de".into()).unwrap();
    assert_eq!(banded.name, "Sprunggelenk-Mobilisation mit Band");
    assert_eq!(banded.pain_policy, PainPolicy::PainFree);
    assert!(banded.each_side);
    assert!(matches!(
        e.drill("nope".into(), "en".into()),
        Err(TalusError::NotFound { .. })
    ));
}

#[test]
fn settings_round_trip_and_bad_values_change_nothing() {
    let (_d, e) = engine();
    let mut s = e.settings().unwrap();
    s.home_zone = "Asia/Kathmandu".into();
    s.equipment = vec![Equipment::Band, Equipment::Wall];
    s.daily_reminder_min = Some(19 * 60 + 30);
    e.set_settings(s.clone(), NOW).unwrap();
    assert_eq!(e.settings().unwrap(), s);
    for bad in [
        SettingsMut::Zone("Mars/Base"),
        SettingsMut::Minutes(-1),
        SettingsMut::LongRun(-60_000),
        SettingsMut::Minutes(24 * 60),
        SettingsMut::Mdc(-1.0),
    ] {
        let mut b = s.clone();
        match bad {
            SettingsMut::Zone(z) => b.home_zone = z.into(),
            SettingsMut::LongRun(ms) => b.long_run_min_ms = ms,
            SettingsMut::Minutes(m) => b.wake_start_min = m,
            SettingsMut::Mdc(v) => b.rom_mdc_cm = v,
        }
        let err = e.set_settings(b, NOW).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{err}");
    }
    assert_eq!(e.settings().unwrap(), s);
}

enum SettingsMut {
    Zone(&'static str),
    LongRun(i64),
    Minutes(i32),
    Mdc(f64),
}

#[test]
fn runs_are_idempotent_and_validated() {
    let (_d, e) = engine();
    let run = RunInput {
        source: "healthkit".into(),
        external_id: "HK-1".into(),
        start_ms: NOW - 7_200_000,
        end_ms: NOW - 1_800_000,
        distance_m: 16_000.0,
        tags: vec!["long".into()],
        zone: "Europe/London".into(),
    };
    assert_eq!(
        e.record_run(run.clone(), NOW).unwrap().outcome,
        RunOutcome::Inserted
    );
    assert_eq!(
        e.record_run(run.clone(), NOW).unwrap().outcome,
        RunOutcome::Unchanged
    );
    let mut bad = run.clone();
    bad.end_ms = bad.start_ms - 1;
    assert_eq!(e.record_run(bad, NOW).unwrap_err().code(), "invalid_input");
    let mut bad = run.clone();
    bad.start_ms = i64::MAX;
    assert_eq!(e.record_run(bad, NOW).unwrap_err().code(), "invalid_input");
    assert_eq!(e.runs(NOW - 86_400_000, NOW).unwrap().len(), 1);
}

#[test]
fn checkins_and_knee_to_wall_validate_at_the_boundary() {
    let (_d, e) = engine();
    assert_eq!(
        e.record_checkin(checkin(11), NOW).unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(
        e.record_checkin(checkin(-1), NOW).unwrap_err().code(),
        "invalid_input"
    );
    let mut future = checkin(2);
    future.at_ms = NOW + 86_400_000;
    assert_eq!(
        e.record_checkin(future, NOW).unwrap_err().code(),
        "conflict"
    );
    e.record_checkin(checkin(5), NOW).unwrap();
    assert_eq!(
        e.record_knee_to_wall(Side::Left, -2.0, NOW, "UTC".into(), NOW)
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    e.record_knee_to_wall(Side::Left, 9.5, NOW, "UTC".into(), NOW)
        .unwrap();
    let series = e.knee_to_wall_series(Side::Left).unwrap();
    assert_eq!(series.len(), 1);
    assert_eq!(series[0].cm, 9.5);
    assert!(e.knee_to_wall_series(Side::Right).unwrap().is_empty());
}
