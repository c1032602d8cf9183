//! Sync, backup, export and reminders through the public API: two profiles exchange bytes or share a
//! folder and end with the same history; damaged input is refused with the documented
//! error and changes nothing.

use talus_ffi::{CheckInInput, Engine, ReminderKind, RunInput, Side, TalusError};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28
const HOUR: i64 = 3_600_000;

fn open(dir: &tempfile::TempDir, name: &str) -> std::sync::Arc<Engine> {
    Engine::open(dir.path().join(name).to_string_lossy().into(), NOW).unwrap()
}

fn checkin(at_ms: i64, pain: i32) -> CheckInInput {
    CheckInInput {
        at_ms,
        zone: "Europe/Berlin".into(),
        pain_calf: pain,
        pain_achilles: 0,
        pain_ankle: 1,
        stiffness_calf: 2,
        stiffness_achilles: 0,
        stiffness_ankle: 1,
        red_flags_yes: vec![],
        run_id: None,
    }
}

fn long_run(ext: &str, start_ms: i64) -> RunInput {
    RunInput {
        source: "health_connect".into(),
        external_id: ext.into(),
        start_ms,
        end_ms: start_ms + 100 * 60_000,
        distance_m: 21_100.0,
        tags: vec![],
        zone: "Europe/Berlin".into(),
    }
}

#[test]
fn bytes_exchanged_between_two_profiles_give_the_same_history() {
    let dir = tempfile::tempdir().unwrap();
    let (phone, tablet) = (open(&dir, "phone"), open(&dir, "tablet"));
    phone
        .record_checkin(checkin(NOW - 5 * HOUR, 2), NOW)
        .unwrap();
    phone
        .record_run(long_run("r1", NOW - 30 * HOUR), NOW)
        .unwrap();
    tablet
        .record_knee_to_wall(Side::Left, 9.0, NOW - HOUR, "Europe/Berlin".into(), NOW)
        .unwrap();

    let to_tablet = phone.export_for_device(tablet.device_id()).unwrap();
    let report = tablet.import_segment(to_tablet.clone(), NOW).unwrap();
    assert_eq!(report.segments, 1);
    assert!(report.new_changes >= 2);
    let again = tablet.import_segment(to_tablet, NOW).unwrap();
    assert_eq!(again.new_changes, 0);
    let to_phone = tablet.export_for_device(phone.device_id()).unwrap();
    phone.import_segment(to_phone, NOW).unwrap();

    let window = (NOW - 48 * HOUR, NOW + HOUR);
    assert_eq!(
        phone.runs(window.0, window.1).unwrap(),
        tablet.runs(window.0, window.1).unwrap()
    );
    assert_eq!(phone.knee_to_wall_series(Side::Left).unwrap().len(), 1);
    assert_eq!(
        phone.knee_to_wall_series(Side::Left).unwrap(),
        tablet.knee_to_wall_series(Side::Left).unwrap()
    );
}

#[test]
fn damaged_or_foreign_bytes_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (phone, tablet) = (open(&dir, "phone"), open(&dir, "tablet"));
    phone.record_checkin(checkin(NOW - HOUR, 3), NOW).unwrap();
    let mut bytes = phone.export_for_device(tablet.device_id()).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert!(matches!(
        tablet.import_segment(bytes.clone(), NOW),
        Err(TalusError::Corrupt { .. })
    ));
    bytes.truncate(10);
    assert!(matches!(
        tablet.import_segment(bytes, NOW),
        Err(TalusError::Corrupt { .. })
    ));
    assert!(matches!(
        tablet.import_segment(
            b"hello, not a segment at all, but long enough to parse a header".to_vec(),
            NOW
        ),
        Err(TalusError::Corrupt { .. })
    ));
    assert!(matches!(
        phone.export_for_device("not-a-uuid".into()),
        Err(TalusError::InvalidInput { .. })
    ));
    let export = tablet
        .clinician_export(NOW - 48 * HOUR, NOW + HOUR, "Europe/Berlin".into())
        .unwrap();
    assert_eq!(export.checkins_csv.lines().count(), 1, "header only");
}

#[test]
fn shared_folder_sync_backup_and_clinician_export() {
    let dir = tempfile::tempdir().unwrap();
    let shared: String = dir.path().join("cloud").to_string_lossy().into();
    let (phone, tablet) = (open(&dir, "phone"), open(&dir, "tablet"));
    phone
        .record_checkin(checkin(NOW - 2 * HOUR, 4), NOW)
        .unwrap();
    tablet.record_checkin(checkin(NOW - HOUR, 1), NOW).unwrap();
    let first = phone.sync_folder(shared.clone(), NOW).unwrap();
    assert!(first.written_path.is_some());
    let second = tablet.sync_folder(shared.clone(), NOW).unwrap();
    assert_eq!(second.new_changes, 1);
    phone.sync_folder(shared.clone(), NOW).unwrap();

    let export = phone
        .clinician_export(NOW - 48 * HOUR, NOW + HOUR, "Europe/Berlin".into())
        .unwrap();
    assert_eq!(
        export.checkins_csv.lines().count(),
        3,
        "{}",
        export.checkins_csv
    );
    assert!(
        export.checkins_csv.contains("+02:00"),
        "local times carry the offset"
    );
    assert!(export.json.contains("Europe/Berlin"));
    assert!(matches!(
        phone.clinician_export(NOW, NOW - 1, "UTC".into()),
        Err(TalusError::InvalidInput { .. })
    ));

    let backup: String = dir.path().join("backup").to_string_lossy().into();
    phone.write_backup(backup.clone()).unwrap();
    let fresh = open(&dir, "new-phone");
    let restored = fresh.restore_backup(backup, NOW).unwrap();
    assert!(restored.new_changes >= 2, "{restored:?}");
    let restored_export = fresh
        .clinician_export(NOW - 48 * HOUR, NOW + HOUR, "Europe/Berlin".into())
        .unwrap();
    assert_eq!(restored_export.checkins_csv, export.checkins_csv);
}

#[test]
fn a_long_run_brings_a_checkin_reminder_and_reconciliation_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir, "p");
    let mut settings = e.settings().unwrap();
    settings.home_zone = "Europe/Berlin".into();
    e.set_settings(settings, NOW).unwrap();
    // A 100-minute run that ended an hour ago.
    let ingest = e
        .record_run(long_run("lr", NOW - 100 * 60_000 - HOUR), NOW)
        .unwrap();
    let wanted = e.reminders(NOW, "Europe/Berlin".into()).unwrap();
    let checkin = wanted
        .iter()
        .find(|r| r.kind == ReminderKind::LongRunCheckIn)
        .expect("a check-in after the long run");
    assert_eq!(
        checkin.deep_link,
        format!("talus://checkin/{}", ingest.run.id)
    );
    assert!(checkin.fire_at_ms >= NOW - HOUR + 8 * HOUR);
    assert!(wanted.iter().any(|r| r.kind == ReminderKind::DailyDrills));
    assert!(wanted.len() <= 20);

    // Nothing pending yet: everything is added.
    let plan = e
        .reconcile_reminders(vec![], NOW, "Europe/Berlin".into())
        .unwrap();
    assert_eq!(plan.add.len(), wanted.len());
    // Pending exactly as desired, plus one stale id: only the stale one is cancelled.
    let mut pending: Vec<talus_ffi::PendingReminder> = wanted
        .iter()
        .map(|r| talus_ffi::PendingReminder {
            id: r.id.clone(),
            fire_at_ms: r.fire_at_ms,
            content_hash: r.content_hash.clone(),
        })
        .collect();
    pending.push(talus_ffi::PendingReminder {
        id: "daily:2001-01-01".into(),
        fire_at_ms: NOW - 1000,
        content_hash: "x".into(),
    });
    let plan = e
        .reconcile_reminders(pending, NOW, "Europe/Berlin".into())
        .unwrap();
    assert_eq!(plan.cancel, vec!["daily:2001-01-01".to_string()]);
    assert!(plan.add.is_empty() && plan.replace.is_empty());
    assert_eq!(plan.unchanged.len(), wanted.len());
    assert!(matches!(
        e.reminders(NOW, "Mars/Olympus".into()),
        Err(TalusError::InvalidInput { .. })
    ));
}
