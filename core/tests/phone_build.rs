//! The phone build of the core (`--no-default-features`: no `legacy-profiles`, ADR 0019):
//! a profile from before schema v4 (an op-log of JSON text, which no phone ever wrote) is
//! refused with a typed error and left byte for byte as it was, never quarantined; a new
//! profile is created and used as in any build. `tests/run` runs this file without default
//! features; with them (the default) the same old profile migrates (`store.rs`).
#![cfg(not(feature = "legacy-profiles"))]

use chrono::{DateTime, TimeZone, Utc};
use talus_core::catalog::Catalog;
use talus_core::domain::PlanVariant;
use talus_core::store::{open_raw, Store, StoreError, LATEST_VERSION};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap()
}

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_profile_before_schema_v4_is_refused_and_left_untouched() {
    let catalog = Catalog::embedded().unwrap();
    for version in 1..4 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("talus.db");
        {
            let (store, _) = Store::open(&path, &catalog, now()).unwrap();
            store
                .create_session(now().date_naive(), "UTC", PlanVariant::Normal, now())
                .unwrap();
        }
        {
            let conn = open_raw(&path).unwrap();
            conn.execute_batch(&format!(
                "PRAGMA journal_mode = DELETE; PRAGMA user_version = {version};"
            ))
            .unwrap();
        }
        let before = files(dir.path());
        for _ in 0..2 {
            match Store::open(&path, &catalog, now()) {
                Err(StoreError::Outdated { found, oldest }) => {
                    assert_eq!((found, oldest), (version, 4));
                }
                other => panic!("v{version}: expected Outdated, got {other:?}"),
            }
            assert_eq!(files(dir.path()), before, "v{version}: the file changed");
        }
    }
}

#[test]
fn a_new_profile_is_created_and_used() {
    let catalog = Catalog::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talus.db");
    let (store, report) = Store::open(&path, &catalog, now()).unwrap();
    assert!(report.created && report.quarantined.is_none());
    let session = store
        .create_session(now().date_naive(), "UTC", PlanVariant::Normal, now())
        .unwrap();
    drop(store);
    let (store, report) = Store::open(&path, &catalog, now()).unwrap();
    assert!(!report.created && report.migrated_from.is_none());
    assert_eq!(store.ops().unwrap().len(), 1);
    assert_eq!(store.session(session.id).unwrap().id, session.id);
    let version: u32 = open_raw(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, LATEST_VERSION);
}
