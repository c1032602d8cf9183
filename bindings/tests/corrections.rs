//! Correcting history and the history read models through the public API: corrections are
//! validated like new entries and sync; an edit on one device beats a concurrent delete on
//! the other; check-ins list newest first; runs say why they counted as long; the
//! knee-to-wall report judges change against the MDC and flags asymmetry.

use talus_ffi::{CheckInInput, Engine, ErrorKind, RunInput, Side};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn open(dir: &tempfile::TempDir, name: &str) -> std::sync::Arc<Engine> {
    Engine::open(dir.path().join(name).to_string_lossy().into(), NOW).unwrap()
}

fn exchange(from: &Engine, to: &Engine, now: i64) -> talus_ffi::SyncReport {
    to.import_segment(from.export_for_device(to.device_id()).unwrap(), now)
        .unwrap()
}

fn checkin(at_ms: i64, ankle: i32) -> CheckInInput {
    CheckInInput {
        at_ms,
        zone: "UTC".into(),
        pain_calf: 0,
        pain_achilles: 0,
        pain_ankle: ankle,
        stiffness_calf: 1,
        stiffness_achilles: 0,
        stiffness_ankle: 1,
        red_flags_yes: vec![],
        run_id: None,
    }
}

#[test]
fn an_edit_beats_a_concurrent_delete_on_the_other_device() {
    let dir = tempfile::tempdir().unwrap();
    let phone = open(&dir, "phone");
    let tablet = open(&dir, "tablet");
    let rom = phone
        .record_knee_to_wall(Side::Left, 9.0, NOW - DAY, "UTC".into(), NOW)
        .unwrap();
    let c = phone.record_checkin(checkin(NOW - DAY, 2), NOW).unwrap();
    exchange(&phone, &tablet, NOW);
    // Offline on both: the tablet deletes, the phone corrects, a little later.
    tablet.delete_knee_to_wall(rom.id.clone(), NOW + 1).unwrap();
    tablet.delete_checkin(c.clone(), NOW + 1).unwrap();
    phone
        .correct_knee_to_wall(
            rom.id.clone(),
            Side::Left,
            9.5,
            NOW - DAY,
            "UTC".into(),
            NOW + 2,
        )
        .unwrap();
    phone
        .correct_checkin(c.clone(), checkin(NOW - DAY, 1), NOW + 2)
        .unwrap();
    let to_phone = exchange(&tablet, &phone, NOW + 3);
    let to_tablet = exchange(&phone, &tablet, NOW + 3);
    assert!(!(to_phone.kept_after_delete.is_empty() && to_tablet.kept_after_delete.is_empty()));
    for e in [&phone, &tablet] {
        let series = e.knee_to_wall_series(Side::Left).unwrap();
        assert_eq!(series.len(), 1, "the edit survived the delete");
        assert_eq!(series[0].cm, 9.5);
        let list = e.checkins(0, NOW + DAY).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].pain_ankle, 1);
    }
}

#[test]
fn deletes_of_checkins_sync_and_corrections_are_validated() {
    let dir = tempfile::tempdir().unwrap();
    let phone = open(&dir, "phone");
    let tablet = open(&dir, "tablet");
    let older = phone
        .record_checkin(checkin(NOW - 2 * DAY, 1), NOW)
        .unwrap();
    let newer = phone.record_checkin(checkin(NOW - DAY, 3), NOW).unwrap();
    let listed: Vec<String> = phone
        .checkins(0, NOW)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(listed, vec![newer.clone(), older.clone()], "newest first");
    exchange(&phone, &tablet, NOW);
    phone.delete_checkin(older.clone(), NOW + 1).unwrap();
    exchange(&phone, &tablet, NOW + 2);
    assert_eq!(tablet.checkins(0, NOW).unwrap().len(), 1);

    let rom = phone
        .record_knee_to_wall(Side::Right, 8.0, NOW - DAY, "UTC".into(), NOW)
        .unwrap();
    fn kind<T>(r: Result<T, talus_ffi::TalusError>) -> ErrorKind {
        r.map(|_| ()).unwrap_err().kind()
    }
    assert_eq!(
        kind(phone.correct_knee_to_wall(rom.id.clone(), Side::Right, -1.0, NOW, "UTC".into(), NOW)),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        kind(phone.correct_knee_to_wall(
            rom.id.clone(),
            Side::Right,
            8.0,
            NOW,
            "Mars/Base".into(),
            NOW
        )),
        ErrorKind::InvalidInput
    );
    let unknown = "0190b5a0-0000-7000-8000-000000000000".to_string();
    assert_eq!(
        kind(phone.correct_knee_to_wall(unknown.clone(), Side::Right, 8.0, NOW, "UTC".into(), NOW)),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(phone.correct_checkin(unknown.clone(), checkin(NOW, 1), NOW)),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(phone.correct_checkin(newer.clone(), checkin(NOW, 11), NOW)),
        ErrorKind::InvalidInput
    );
    let mut flagged = checkin(NOW, 1);
    flagged.red_flags_yes = vec!["heel_pop".into()];
    assert_eq!(
        kind(phone.correct_checkin(newer.clone(), flagged, NOW)),
        ErrorKind::InvalidInput
    );
    // Nothing above changed anything.
    assert_eq!(phone.knee_to_wall_series(Side::Right).unwrap()[0].cm, 8.0);
    assert_eq!(phone.checkins(0, NOW).unwrap()[0].pain_ankle, 3);
}

#[test]
fn runs_are_corrected_by_their_source_id_and_say_why_they_were_long() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir, "p");
    let run = |ext: &str, start: i64, minutes: i64, km: f64| RunInput {
        source: "manual".into(),
        external_id: ext.into(),
        start_ms: start,
        end_ms: start + minutes * 60_000,
        distance_m: km * 1000.0,
        tags: vec![],
        zone: "UTC".into(),
    };
    let jog = e
        .record_run(run("jog", NOW - 2 * DAY, 25, 4.0), NOW)
        .unwrap()
        .run;
    let long = e
        .record_run(run("long", NOW - DAY, 130, 24.0), NOW)
        .unwrap()
        .run;
    let history = e.run_history(NOW - 7 * DAY, NOW).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].run.id, long.id, "newest first");
    assert!(history[0].long);
    assert!(!history[0].reasons.is_empty());
    assert!(history[0].reasons.iter().all(|r| !r.message.is_empty()));
    assert!(!history[1].long);

    let fixed = e
        .correct_run(jog.id.clone(), run("jog", NOW - 2 * DAY, 30, 5.0), NOW)
        .unwrap();
    assert_eq!(fixed.id, jog.id);
    assert_eq!(fixed.distance_m, 5000.0);
    let err = e
        .correct_run(jog.id.clone(), run("other", NOW - 2 * DAY, 30, 5.0), NOW)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(e.runs(0, NOW).unwrap().len(), 2, "no run was added");
}

#[test]
fn the_knee_to_wall_report_judges_change_against_the_mdc_and_flags_asymmetry() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir, "p");
    let mdc = e.settings().unwrap().rom_mdc_cm;
    let limit = e.settings().unwrap().rom_asymmetry_cm;
    for (i, (l, r)) in [(6.0, 10.0), (6.0 + mdc + 0.5, 10.0 + mdc / 2.0)]
        .iter()
        .enumerate()
    {
        let at = NOW - (14 - 7 * i as i64) * DAY;
        e.record_knee_to_wall(Side::Left, *l, at, "UTC".into(), NOW)
            .unwrap();
        e.record_knee_to_wall(Side::Right, *r, at, "UTC".into(), NOW)
            .unwrap();
    }
    let report = e.knee_to_wall_report(NOW).unwrap();
    assert!(report.left.real_change, "{report:?}");
    assert!(!report.right.real_change, "{report:?}");
    assert_eq!(report.left.points.len(), 2);
    assert_eq!(report.stiffer_side, Some(Side::Left));
    let gap = report.asymmetry_cm.unwrap();
    assert_eq!(report.asymmetry_flag, gap > limit);
    assert!(report.retest_due, "last result a week ago");
    assert!(!report.reasons.is_empty());
}

#[test]
fn sync_status_lists_this_device_first_then_the_devices_heard_from() {
    let dir = tempfile::tempdir().unwrap();
    let phone = open(&dir, "phone");
    let tablet = open(&dir, "tablet");
    let fresh = phone.sync_status().unwrap();
    assert!(fresh.devices.iter().all(|d| d.this_device));
    tablet
        .record_knee_to_wall(Side::Left, 9.0, NOW - DAY, "UTC".into(), NOW)
        .unwrap();
    exchange(&tablet, &phone, NOW + 1);
    let status = phone.sync_status().unwrap();
    assert_eq!(status.device_id, phone.device_id());
    let tablet_seen = status
        .devices
        .iter()
        .find(|d| d.device_id == tablet.device_id())
        .expect("the tablet is listed after an exchange");
    assert!(!tablet_seen.this_device);
    assert!((NOW - DAY..=NOW + 1).contains(&tablet_seen.latest_change_ms));
    assert_eq!(tablet_seen.last_exchange_ms, Some(NOW + 1));
    assert!(status.devices.first().is_none_or(|d| d.this_device));
    assert!(status.devices[0].last_exchange_ms.is_none());
    assert!(status.last_folder_sync_ms.is_none() && status.skipped.is_empty());
    // A folder exchange with a damaged file: the status remembers what was skipped and why.
    let folder = dir.path().join("shared");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("broken.talseg"), b"not a segment").unwrap();
    phone
        .record_knee_to_wall(Side::Right, 10.0, NOW - DAY, "UTC".into(), NOW + 2)
        .unwrap();
    let report = phone
        .sync_folder(folder.to_string_lossy().into(), NOW + 2)
        .unwrap();
    assert_eq!(report.rejected.len(), 1);
    let status = phone.sync_status().unwrap();
    assert_eq!(status.last_folder_sync_ms, Some(NOW + 2));
    assert_eq!(
        status.last_folder.as_deref(),
        Some(&*folder.to_string_lossy())
    );
    assert_eq!(status.skipped, report.rejected);
    assert!(status.skipped[0].path.ends_with("broken.talseg"));
    // The tablet reads the phone's file from the folder: its status names the phone.
    tablet
        .sync_folder(folder.to_string_lossy().into(), NOW + 3)
        .unwrap();
    let on_tablet = tablet.sync_status().unwrap();
    let phone_seen = on_tablet
        .devices
        .iter()
        .find(|d| d.device_id == phone.device_id())
        .expect("the phone is listed on the tablet");
    assert_eq!(phone_seen.last_exchange_ms, Some(NOW + 3));
}
