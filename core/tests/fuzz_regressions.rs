//! Replays the inputs kept from fuzzing (`fuzz/regressions/<target>/`: seeds, a sample of
//! each corpus and any crasher) through the same property checks the cargo-fuzz targets
//! run (`fuzz/checks.rs`), so `tests/run` keeps them fixed without cargo-fuzz. Cheap: a
//! few hundred small inputs against in-memory stores. (`segment_decode` inputs live in the
//! folder's top level and are replayed by `sync_segment_regressions.rs`.)

use std::path::PathBuf;

#[path = "../../fuzz/checks.rs"]
mod checks;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_file() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read(&path).unwrap()));
        }
    }
    assert!(!out.is_empty(), "no kept inputs for {target}");
    out
}

fn replay(target: &str, check: fn(&[u8])) {
    for (name, data) in inputs(target) {
        let result = std::panic::catch_unwind(|| check(&data));
        assert!(
            result.is_ok(),
            "{target}: kept input {name} fails its check"
        );
    }
}

#[test]
fn segment_import_inputs_hold() {
    replay("segment_import", checks::segment_import);
}

#[test]
fn csv_import_inputs_hold() {
    replay("csv_import", checks::csv_import);
}

#[test]
fn backup_restore_inputs_hold() {
    replay("backup_restore", checks::backup_restore);
}

#[test]
fn session_snapshot_inputs_hold() {
    replay("session_snapshot", checks::session_snapshot);
}

#[test]
fn catalog_load_inputs_hold() {
    replay("catalog_load", checks::catalog_load);
}

#[test]
fn clip_manifest_inputs_hold() {
    replay("clip_manifest", checks::clip_manifest);
}

#[test]
fn segment_decode_check_holds_on_the_seeds() {
    for (_, data) in inputs("segment_import") {
        checks::segment_decode(&data);
    }
}

/// Writes the seed inputs (`cargo test -p talus-core --test fuzz_regressions -- --ignored`).
#[test]
#[ignore = "writes fuzz seeds into fuzz/regressions"]
fn write_fuzz_seeds() {
    use talus_core::catalog::Catalog;
    use talus_core::domain::{PlanVariant, PlannedItem, PlannedSession, Reason, Side};
    use talus_core::session::{RunnerEvent, SessionRunner};

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let write = |target: &str, name: &str, data: &[u8]| {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), data).unwrap();
    };
    for name in [
        "valid-checkins.talseg",
        "valid-set.talseg",
        "valid-empty.talseg",
    ] {
        let data = std::fs::read(root.join(name)).unwrap();
        write("segment_import", &format!("seed-{name}"), &data);
        write("backup_restore", &format!("seed-{name}"), &data);
    }
    write(
        "csv_import",
        "seed-excel.csv",
        "\u{feff}start,minutes,km,tags\r\n2026-07-05T08:00,95,\"21,1\",\"long;race\"\r\n# c\r\n2026-07-06 07:30,30,5.5,\r\n2026-07-07T06:00:00Z,45,9,easy\r\n".as_bytes(),
    );
    write(
        "csv_import",
        "seed-bad.csv",
        b"2026-07-05T08:00,30,5,2\nyesterday,0,1e300\n",
    );
    let catalog = Catalog::embedded().unwrap();
    let item = |id: &str| {
        let d = catalog.drill(id).unwrap();
        PlannedItem {
            drill_id: id.into(),
            level: 0,
            dose: d.dose(0).unwrap().clone(),
            sides: vec![Side::Left, Side::Right],
            extra_set_side: None,
            reason: Reason::default(),
        }
    };
    let plan = PlannedSession {
        date: chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
        zone: "Europe/London".into(),
        locale: "en".into(),
        variant: PlanVariant::Normal,
        items: vec![item("banded_df_mob"), item("calf_stance_pron_sup_swings")],
        reasons: vec![],
    };
    let mut runner = SessionRunner::new(&plan, &catalog).unwrap();
    // Each snapshot in both forms: the compact one `snapshot()` writes (ADR 0022) and the
    // JSON one earlier versions wrote, which builds with `legacy-profiles` still read.
    let snapshots = |runner: &SessionRunner, name: &str| {
        let json = serde_json::to_string(runner).unwrap();
        write("session_snapshot", &format!("{name}.json"), json.as_bytes());
        let compact = runner.snapshot().unwrap();
        write(
            "session_snapshot",
            &format!("{name}.txt"),
            compact.as_bytes(),
        );
    };
    snapshots(&runner, "seed-new");
    runner.handle(RunnerEvent::Start, 1_000_000).unwrap();
    runner.handle(RunnerEvent::VideoEnded, 1_010_000).unwrap();
    snapshots(&runner, "seed-started");
    let catalog_json =
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("catalog/drills.json"))
            .unwrap();
    write("catalog_load", "seed-embedded.json", &catalog_json);
    let catalog: talus_core::catalog::CatalogFile = serde_json::from_slice(&catalog_json).unwrap();
    let mut manifest = talus_core::catalog::clips::ClipManifest::matching_catalog(&catalog);
    write(
        "clip_manifest",
        "seed-matching.json",
        serde_json::to_string_pretty(&manifest).unwrap().as_bytes(),
    );
    manifest.clips.truncate(1);
    write(
        "clip_manifest",
        "seed-one-clip.json",
        serde_json::to_string(&manifest).unwrap().as_bytes(),
    );
}
