//! Sync through the store against raw SQLite on the same rows, alternated round by round
//! (medians and their ratios; timing noise hits both sides alike):
//! - import of one year (a fresh profile takes the whole segment) vs a raw INSERT of the
//!   same `op_log` rows (the same compact records) into a fresh profile, one transaction;
//! - export (`segment_since` an empty vector) vs a raw `SELECT op FROM op_log`;
//! - export to segment bytes (`encoded_segment_since`, what sync and backup write) vs the
//!   same raw `SELECT`;
//! - for reference, `segment_since` with its ops decoded (`ops()`, what tests and tools that
//!   look at the ops pay) vs the same raw `SELECT`;
//! - export to bytes of a profile holding two devices' years (this one's and a second
//!   device's, imported; 26,070 ops whose stamps interleave) vs a raw `SELECT op FROM op_log`
//!   on that profile.
//!
//! `cargo bench -p talus-core --bench exchange`;
//! `-- import|import-floor|export|export-bytes|export-decoded|export-floor|export-two|export-two-floor N`
//! runs one side N times only (for `valgrind --tool=callgrind`).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use rusqlite::params;
use talus_core::catalog::Catalog;
use talus_core::store::{generate_history, open_raw, FixtureSpec, Store};
use talus_core::sync::{encode_op_record, Segment, VersionVector};

/// `op_log` rows: device, clock wall and counter, entity kind and id, op record.
type Row = (String, i64, u32, &'static str, String, Vec<u8>);

struct Rows(Vec<Row>);

fn rows_of(segment: &Segment) -> Rows {
    Rows(
        segment
            .ops()
            .iter()
            .map(|op| {
                (
                    op.stamp.device.to_string(),
                    op.stamp.hlc.wall_ms as i64,
                    op.stamp.hlc.counter,
                    op.entity.as_str(),
                    op.id.to_string(),
                    encode_op_record(op),
                )
            })
            .collect(),
    )
}

fn fresh(dir: &Path, n: &mut u32, catalog: &Catalog) -> Store {
    *n += 1;
    let now = Utc.with_ymd_and_hms(2026, 1, 2, 8, 0, 0).unwrap();
    Store::open(&dir.join(format!("fresh-{n}.db")), catalog, now)
        .unwrap()
        .0
}

fn import(store: &Store, segment: &Segment) {
    let now = Utc.with_ymd_and_hms(2026, 1, 2, 8, 0, 0).unwrap();
    black_box(store.import_segment(segment, now).unwrap());
}

fn import_floor(store: &Store, rows: &Rows) {
    let mut conn = open_raw(store.path()).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO op_log(device, hlc_wall_ms, hlc_counter, entity, entity_id, op) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .unwrap();
        for r in &rows.0 {
            stmt.execute(params![r.0, r.1, r.2, r.3, r.4, r.5]).unwrap();
        }
    }
    tx.commit().unwrap();
}

fn export(store: &Store) {
    black_box(store.segment_since(&VersionVector::new()).unwrap());
}

fn export_decoded(store: &Store) {
    let segment = store.segment_since(&VersionVector::new()).unwrap();
    black_box(segment.ops().len());
    black_box(segment);
}

fn export_bytes(store: &Store) {
    black_box(
        store
            .encoded_segment_since(&VersionVector::new(), 0)
            .unwrap(),
    );
}

fn export_floor(conn: &rusqlite::Connection) {
    let mut stmt = conn.prepare_cached("SELECT op FROM op_log").unwrap();
    let ops: Vec<Vec<u8>> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    black_box(ops);
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let catalog = Catalog::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 1, 2, 8, 0, 0).unwrap();
    let (source, _) = Store::open(&dir.path().join("source.db"), &catalog, now).unwrap();
    let spec = FixtureSpec {
        start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        days: 365,
        zone: "Europe/London".into(),
        seed: 7,
    };
    generate_history(&source, &catalog, &spec).unwrap();
    let segment = source.segment_since(&VersionVector::new()).unwrap();
    let rows = rows_of(&segment);
    let raw = open_raw(source.path()).unwrap();
    let mut n = 0;
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(15);
    // One side's runs under callgrind count only that side: the import and its floor
    // build nothing more (the two-device profile's own two imports would be counted too).
    match args.first().map(String::as_str) {
        Some("import") => {
            return (0..rounds).for_each(|_| import(&fresh(dir.path(), &mut n, &catalog), &segment))
        }
        Some("import-floor") => {
            return (0..rounds)
                .for_each(|_| import_floor(&fresh(dir.path(), &mut n, &catalog), &rows))
        }
        _ => {}
    }
    // A second device's year, imported with this one's into a third profile.
    let (second, _) = Store::open(&dir.path().join("second.db"), &catalog, now).unwrap();
    generate_history(
        &second,
        &catalog,
        &FixtureSpec {
            seed: 8,
            ..spec.clone()
        },
    )
    .unwrap();
    let (two, _) = Store::open(&dir.path().join("two.db"), &catalog, now).unwrap();
    import(&two, &segment);
    import(&two, &second.segment_since(&VersionVector::new()).unwrap());
    drop(second);
    let raw_two = open_raw(two.path()).unwrap();
    match args.first().map(String::as_str) {
        Some("export") => return (0..rounds).for_each(|_| export(&source)),
        Some("export-bytes") => return (0..rounds).for_each(|_| export_bytes(&source)),
        Some("export-decoded") => return (0..rounds).for_each(|_| export_decoded(&source)),
        Some("export-floor") => return (0..rounds).for_each(|_| export_floor(&raw)),
        Some("export-two") => return (0..rounds).for_each(|_| export_bytes(&two)),
        Some("export-two-floor") => return (0..rounds).for_each(|_| export_floor(&raw_two)),
        _ => {}
    }
    let (mut imp, mut impf, mut exp, mut expf) = (vec![], vec![], vec![], vec![]);
    let (mut expb, mut expd, mut exp2, mut exp2f) = (vec![], vec![], vec![], vec![]);
    for _ in 0..rounds {
        let a = fresh(dir.path(), &mut n, &catalog);
        let b = fresh(dir.path(), &mut n, &catalog);
        let t = Instant::now();
        import_floor(&b, &rows);
        impf.push(t.elapsed());
        let t = Instant::now();
        import(&a, &segment);
        imp.push(t.elapsed());
        let t = Instant::now();
        export_floor(&raw);
        expf.push(t.elapsed());
        let t = Instant::now();
        export(&source);
        exp.push(t.elapsed());
        let t = Instant::now();
        export_bytes(&source);
        expb.push(t.elapsed());
        let t = Instant::now();
        export_decoded(&source);
        expd.push(t.elapsed());
        let t = Instant::now();
        export_floor(&raw_two);
        exp2f.push(t.elapsed());
        let t = Instant::now();
        export_bytes(&two);
        exp2.push(t.elapsed());
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (imp, impf, exp, expf) = (median(imp), median(impf), median(exp), median(expf));
    let (expb, expd) = (median(expb), median(expd));
    let (exp2, exp2f) = (median(exp2), median(exp2f));
    println!(
        "one year, {} ops ({rounds} rounds, medians):\n  import {:.1} ms vs raw INSERT of the op_log rows {:.1} ms: {:.2}x\n  export {:.1} ms vs raw SELECT op FROM op_log {:.1} ms: {:.2}x\n  export to segment bytes {:.1} ms: {:.2}x\n  (segment_since with its ops decoded {:.1} ms: {:.2}x; segment {} bytes)\n  two devices' years, export to bytes {:.1} ms vs raw SELECT op FROM op_log {:.1} ms: {:.2}x",
        segment.ops().len(),
        ms(imp),
        ms(impf),
        ms(imp) / ms(impf),
        ms(exp),
        ms(expf),
        ms(exp) / ms(expf),
        ms(expb),
        ms(expb) / ms(expf),
        ms(expd),
        ms(expd) / ms(expf),
        talus_core::sync::encode_segment(&segment).len(),
        ms(exp2),
        ms(exp2f),
        ms(exp2) / ms(exp2f)
    );
}
