//! Peak-memory check for importing a large segment (ADR 0005): `make <file> [MiB]` writes a
//! segment of realistic check-in ops just under the size limit; `import <file> <db>` imports
//! it streaming (`Store::import_segment_bytes`), `import-decoded <file> <db>` decodes it
//! whole first. Run each under `/usr/bin/time -v` and compare "Maximum resident set size"
//! with the file size (budget: ≤ 4×).

use chrono::{TimeZone, Utc};
use serde_json::json;
use talus_core::catalog::Catalog;
use talus_core::store::Store;
use talus_core::sync::{
    decode_segment, encode_segment, EntityKind, Hlc, Op, OpAction, Segment, Stamp,
};
use uuid::Uuid;

fn checkin_op(writer: Uuid, i: u64) -> Op {
    let at =
        Utc.with_ymd_and_hms(2020, 1, 1, 7, 0, 0).unwrap() + chrono::Duration::minutes(i as i64);
    let id = Uuid::from_u128(0x1000_0000_0000_0000 + u128::from(i));
    let fields = json!({
        "id": id.to_string(),
        "at": at,
        "zone": "Europe/Berlin",
        "pain": {"calf": i % 4, "achilles": i % 3, "ankle": 0},
        "stiffness": {"calf": i % 2, "achilles": 0, "ankle": i % 5},
        "red_flags_yes": [],
        "run_id": null,
    });
    Op {
        stamp: Stamp {
            hlc: Hlc {
                wall_ms: 1_600_000_000_000 + i * 1000,
                counter: 0,
            },
            device: writer,
        },
        entity: EntityKind::CheckIn,
        id,
        action: OpAction::Put {
            fields: fields.as_object().cloned().unwrap_or_default(),
        },
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: import_memory make <file> [MiB] | import <file> <db> | import-decoded <file> <db>";
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
    match args.first().map(String::as_str) {
        Some("make") => {
            let file = args.get(1).ok_or(usage)?;
            let mib: f64 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(63.5);
            let writer = Uuid::from_u128(7);
            let sample: Vec<Op> = (0..2000).map(|i| checkin_op(writer, i)).collect();
            let per_op = encode_segment(&Segment::own_ops(writer, Hlc::default(), sample)?).len()
                as f64
                / 2000.0;
            let n = (mib * 1024.0 * 1024.0 / per_op) as u64;
            let ops: Vec<Op> = (0..n).map(|i| checkin_op(writer, i)).collect();
            let bytes = encode_segment(&Segment::own_ops(writer, Hlc::default(), ops)?);
            std::fs::write(file, &bytes)?;
            println!(
                "{n} ops, {} bytes ({:.1} B/op)",
                bytes.len(),
                bytes.len() as f64 / n as f64
            );
        }
        Some(mode @ ("import" | "import-decoded")) => {
            let file = args.get(1).ok_or(usage)?;
            let db = args.get(2).ok_or(usage)?;
            let catalog = Catalog::embedded()?;
            let (store, _) = Store::open(std::path::Path::new(db), &catalog, now)?;
            let bytes = std::fs::read(file)?;
            let t = std::time::Instant::now();
            let report = if mode == "import" {
                store.import_segment_bytes(&bytes, now)?
            } else {
                let segment = decode_segment(&bytes)?;
                store.import_segment(&segment, now)?
            };
            println!(
                "{mode}: {} bytes, {} ops, {} new, {} entities written in {:.1} s",
                bytes.len(),
                report.ops,
                report.new_ops,
                report.entities_written,
                t.elapsed().as_secs_f64()
            );
        }
        _ => return Err(usage.into()),
    }
    Ok(())
}
