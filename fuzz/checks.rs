//! The properties each fuzz target checks, shared by the cargo-fuzz targets and by
//! `core/tests/fuzz_regressions.rs`, which replays the kept inputs in every test run.
//! Each function must never panic on any input except when a property is broken.

use chrono::{DateTime, TimeZone, Utc};
use talus_core::catalog::clips::{ClipManifest, ClipsError};
use talus_core::catalog::Catalog;
use talus_core::session::SessionRunner;
use talus_core::store::{parse_runs_csv, Store, UpsertOutcome};
use talus_core::sync::{decode_segment, encode_segment, seal_segment};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap()
}

fn fresh_store(catalog: &Catalog) -> Store {
    Store::open(std::path::Path::new(":memory:"), catalog, now())
        .unwrap()
        .0
}

/// The input raw, and with its last 32 bytes replaced by the correct digest, so mutations
/// reach the body parser instead of stopping at the checksum.
fn raw_and_resealed(data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![data.to_vec()];
    if let Some(end) = data.len().checked_sub(32) {
        out.push(seal_segment(&data[..end]));
    }
    out
}

/// Segment decoder: whatever it accepts round-trips.
pub fn segment_decode(data: &[u8]) {
    for candidate in raw_and_resealed(data) {
        if let Ok(segment) = decode_segment(&candidate) {
            let again = decode_segment(&encode_segment(&segment));
            assert_eq!(
                again.ok(),
                Some(segment),
                "accepted segment does not round-trip"
            );
        }
    }
}

/// Segment import into a store: whatever decodes merges into a fresh profile without a
/// storage error (values this build refuses are reported as unstorable), importing it
/// again adds nothing, and the result can be exported.
pub fn segment_import(data: &[u8]) {
    let catalog = Catalog::embedded().unwrap();
    for candidate in raw_and_resealed(data) {
        let Ok(segment) = decode_segment(&candidate) else {
            continue;
        };
        let store = fresh_store(&catalog);
        let first = store
            .import_segment(&segment, now())
            .expect("import of a decoded segment");
        assert!(first.new_ops <= segment.ops().len());
        let again = store.import_segment(&segment, now()).expect("re-import");
        assert_eq!(again.new_ops, 0, "re-import added ops");
        store
            .segment_since(&Default::default())
            .expect("export after import");
    }
}

/// Run import from CSV: the reader never panics, every file it accepts is stored whole by
/// the shared commit path, and a re-run changes nothing.
pub fn csv_import(data: &[u8]) {
    let Ok(runs) = parse_runs_csv(data, "Europe/Berlin") else {
        return;
    };
    let catalog = Catalog::embedded().unwrap();
    let store = fresh_store(&catalog);
    store
        .upsert_runs(&runs, now())
        .expect("rows the reader accepts must store");
    let again = store.upsert_runs(&runs, now()).expect("re-run");
    assert!(
        again.iter().all(|o| *o == UpsertOutcome::Unchanged),
        "re-run changed runs"
    );
}

/// Backup restore: a backup folder holding the input as its one file is refused whole
/// (changing nothing) or restores; a restored profile's own backup restores to the same
/// op count.
pub fn backup_restore(data: &[u8]) {
    let catalog = Catalog::embedded().unwrap();
    for candidate in raw_and_resealed(data) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("backup.talseg"), &candidate).unwrap();
        let store = fresh_store(&catalog);
        if store.restore_backup(dir.path(), now()).is_err() {
            assert_eq!(
                store.op_count().unwrap(),
                0,
                "a refused restore changed the profile"
            );
            continue;
        }
        let again = tempfile::tempdir().unwrap();
        store
            .write_backup(again.path(), 1)
            .expect("backup of a restored profile");
        let other = fresh_store(&catalog);
        other
            .restore_backup(again.path(), now())
            .expect("restore of our own backup");
        assert_eq!(other.op_count().unwrap(), store.op_count().unwrap());
    }
}

/// Session snapshot restore: no panic on any text; what restores snapshots to a text that
/// restores to the same snapshot.
pub fn session_snapshot(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = Catalog::embedded().unwrap();
    let Ok(runner) = SessionRunner::restore(text, &catalog) else {
        return;
    };
    let snapshot = runner.snapshot().expect("snapshot of a restored runner");
    let again = SessionRunner::restore(&snapshot, &catalog).expect("own snapshot restores");
    assert_eq!(again.snapshot().unwrap(), snapshot);
}

/// Drill-catalog loader: any text is parsed and validated without a panic; an accepted
/// catalog resolves every drill it lists.
pub fn catalog_load(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(catalog) = Catalog::from_json(text) {
        for drill in catalog.drills() {
            assert!(catalog.drill(&drill.id).is_ok());
        }
    }
}

/// `clip_manifest`: the manifest's hand reader (ADR 0026) against serde's derived reader of
/// the same text: the same manifest, or both refuse it (`Parse`).
pub fn clip_manifest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = ClipManifest::from_json(text);
    match (serde_json::from_str::<ClipManifest>(text), ours) {
        (Ok(theirs), Ok(ours)) => assert_eq!(theirs, ours, "{text}"),
        (Err(_), Err(ClipsError::Parse(_))) => {}
        (theirs, ours) => panic!("{text}: serde {theirs:?}, ours {ours:?}"),
    }
}
