//! Deleting history through the public API: a deleted session, run or knee-to-wall result is
//! gone here and, after a sync, on the other device; a bad or unknown id changes nothing.

use talus_ffi::{Engine, ErrorKind, RunInput, Side};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28
const HOUR: i64 = 3_600_000;

fn open(dir: &tempfile::TempDir, name: &str) -> std::sync::Arc<Engine> {
    Engine::open(dir.path().join(name).to_string_lossy().into(), NOW).unwrap()
}

fn run(ext: &str) -> RunInput {
    RunInput {
        source: "manual".into(),
        external_id: ext.into(),
        start_ms: NOW - 3 * HOUR,
        end_ms: NOW - 2 * HOUR,
        distance_m: 10_000.0,
        tags: vec![],
        zone: "Europe/Berlin".into(),
    }
}

#[test]
fn deletes_remove_the_entry_and_reach_the_other_device() {
    let dir = tempfile::tempdir().unwrap();
    let phone = open(&dir, "phone");
    let tablet = open(&dir, "tablet");
    let kept = phone.record_run(run("kept"), NOW).unwrap().run;
    let gone = phone.record_run(run("gone"), NOW).unwrap().run;
    let rom = phone
        .record_knee_to_wall(Side::Left, 9.0, NOW, "Europe/Berlin".into(), NOW)
        .unwrap();
    tablet
        .import_segment(phone.export_for_device(tablet.device_id()).unwrap(), NOW)
        .unwrap();
    assert_eq!(tablet.runs(0, NOW).unwrap().len(), 2);

    phone.delete_run(gone.id.clone(), NOW + 1).unwrap();
    phone.delete_knee_to_wall(rom.id.clone(), NOW + 1).unwrap();
    let ids: Vec<String> = phone
        .runs(0, NOW)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, vec![kept.id.clone()]);
    assert!(phone.knee_to_wall_series(Side::Left).unwrap().is_empty());

    tablet
        .import_segment(
            phone.export_for_device(tablet.device_id()).unwrap(),
            NOW + 2,
        )
        .unwrap();
    let on_tablet: Vec<String> = tablet
        .runs(0, NOW)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(on_tablet, vec![kept.id]);
    assert!(tablet.knee_to_wall_series(Side::Left).unwrap().is_empty());
}

#[test]
fn bad_or_unknown_ids_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir, "p");
    e.record_run(run("r"), NOW).unwrap();
    let err = e.delete_run("not-a-uuid".into(), NOW).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let unknown = "0190d3a4-0000-7000-8000-000000000000".to_string();
    assert_eq!(
        e.delete_run(unknown.clone(), NOW).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        e.delete_session(unknown.clone(), NOW).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        e.delete_knee_to_wall(unknown, NOW).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(e.runs(0, NOW).unwrap().len(), 1);
}
