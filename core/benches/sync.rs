//! Sync benchmarks: export/import of one year of one runner's history (binary segment vs
//! JSON lines), a merge of two devices with ten years each, and a floor measured in the same
//! run: raw SQLite inserts of the same op rows into a temp table.
//!
//! Run briefly on shared machines:
//! `cargo bench -p talus-core --bench sync -- --warm-up-time 1 --measurement-time 3`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use serde_json::{json, Map, Value};
use std::hint::black_box;
use talus_core::sync::{
    decode_segment, encode_segment, EntityKind, Op, ReplicaState, Segment, VersionVector,
};
use uuid::Uuid;

const DAY_MS: u64 = 24 * 60 * 60 * 1000;
const START_MS: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn uuid(replica: u128, n: u64) -> Uuid {
    Uuid::from_u128((replica << 64) | u128::from(n))
}

/// About 60 ops a day: a check-in, a session with its life-cycle, ~12 sets with a pain edit
/// each, a run every other day, weekly knee-to-wall and drill-progress changes.
fn simulate(replica: &mut ReplicaState, days: u64, tag: u128) {
    let drills = [
        "swing_subtalar",
        "banded_df_mob",
        "calf_raise_eccentric",
        "soleus_wall_stretch",
    ];
    let mut n = 0u64;
    let mut next = || {
        n += 1;
        n
    };
    for day in 0..days {
        let t = START_MS + day * DAY_MS + 7 * 3_600_000;
        let checkin = uuid(tag, next());
        replica.local_put(
            EntityKind::CheckIn,
            checkin,
            obj(
                json!({"at": "2026-01-01T07:05:00Z", "zone": "Europe/Berlin",
                "pain": {"calf": day % 3, "achilles": 1, "ankle": 0},
                "stiffness": {"calf": 2, "achilles": 1, "ankle": 1},
                "red_flags_yes": [], "run_id": null}),
            ),
            t,
        );
        let session = uuid(tag, next());
        replica.local_put(
            EntityKind::Session,
            session,
            obj(json!({"planned_for": "2026-01-01", "zone": "Europe/Berlin",
                "status": "planned", "variant": "normal"})),
            t + 1,
        );
        replica.local_set(
            EntityKind::Session,
            session,
            "status",
            json!("started"),
            t + 2,
        );
        for i in 0..12u64 {
            let set = uuid(tag, next());
            let at = t + 10 + i * 60_000;
            replica.local_put(
                EntityKind::SetLog,
                set,
                obj(
                    json!({"session_id": session.to_string(), "drill_id": drills[(i % 4) as usize],
                    "side": if i % 2 == 0 { "left" } else { "right" }, "set_index": i / 4,
                    "level": 2, "target_reps": 10, "reps_done": 10, "target_hold_s": null,
                    "hold_s_done": null, "pain": null, "stopped": false, "skipped": false,
                    "reason_code": null, "note": null, "at": "2026-01-01T18:00:00Z"}),
                ),
                at,
            );
            replica.local_set(
                EntityKind::SetLog,
                set,
                "pain",
                json!((i + day) % 4),
                at + 1,
            );
            replica.local_set(
                EntityKind::SetLog,
                set,
                "reps_done",
                json!(10 - (i % 2)),
                at + 2,
            );
            replica.local_set(EntityKind::SetLog, set, "hold_s_done", json!(3), at + 3);
        }
        replica.local_set(
            EntityKind::Session,
            session,
            "status",
            json!("finished"),
            t + 800_000,
        );
        replica.local_set(
            EntityKind::Session,
            session,
            "ended_at",
            json!("2026-01-01T18:20:00Z"),
            t + 800_001,
        );
        if day % 2 == 0 {
            replica.local_put(
                EntityKind::Run,
                uuid(tag, next()),
                obj(
                    json!({"source": "healthkit", "external_id": format!("hk-{tag}-{day}"),
                    "start": "2026-01-01T06:00:00Z", "end": "2026-01-01T06:45:00Z",
                    "distance_m": 8500.0, "tags": [], "zone": "Europe/Berlin"}),
                ),
                t + 900_000,
            );
        }
        if day % 7 == 0 {
            for side in ["left", "right"] {
                replica.local_put(
                    EntityKind::RomMeasurement,
                    uuid(tag, next()),
                    obj(
                        json!({"at": "2026-01-01T07:30:00Z", "zone": "Europe/Berlin",
                        "side": side, "cm": 11.4}),
                    ),
                    t + 1_000_000,
                );
                replica.local_put(
                    EntityKind::DrillProgress,
                    uuid(tag, next()),
                    obj(
                        json!({"drill_id": "banded_df_mob", "side": side, "level": 3,
                        "changed_at": "2026-01-01T07:30:00Z"}),
                    ),
                    t + 1_000_001,
                );
            }
        }
    }
}

fn year() -> (ReplicaState, Segment) {
    let mut replica = ReplicaState::new(Uuid::from_u128(1 << 64));
    simulate(&mut replica, 365, 1);
    let segment = replica.segment_since(&VersionVector::new());
    (replica, segment)
}

fn json_lines(ops: &[Op]) -> Vec<u8> {
    let mut out = Vec::new();
    for op in ops {
        serde_json::to_writer(&mut out, op).unwrap_or_default();
        out.push(b'\n');
    }
    out
}

fn from_json_lines(bytes: &[u8]) -> Vec<Op> {
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| serde_json::from_slice(l).ok())
        .collect()
}

fn sqlite_floor(ops: &[Op]) -> usize {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TEMP TABLE op_rows (device BLOB, wall INTEGER, counter INTEGER, kind TEXT,
         id BLOB, body TEXT)",
    )
    .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    {
        let mut stmt = tx
            .prepare("INSERT INTO op_rows VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .unwrap();
        for op in ops {
            let body = serde_json::to_string(&op.action).unwrap_or_default();
            stmt.execute(rusqlite::params![
                op.stamp.device.as_bytes().as_slice(),
                op.stamp.hlc.wall_ms as i64,
                op.stamp.hlc.counter,
                op.entity.as_str(),
                op.id.as_bytes().as_slice(),
                body,
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    ops.len()
}

fn bench_year(c: &mut Criterion) {
    let (_, segment) = year();
    let ops = segment.ops().to_vec();
    let binary = encode_segment(&segment);
    let lines = json_lines(&ops);
    eprintln!(
        "one year: {} ops; binary segment {} bytes ({:.1} B/op); JSON lines {} bytes ({:.1} B/op)",
        ops.len(),
        binary.len(),
        binary.len() as f64 / ops.len() as f64,
        lines.len(),
        lines.len() as f64 / ops.len() as f64
    );
    let mut g = c.benchmark_group("year");
    g.throughput(Throughput::Elements(ops.len() as u64));
    g.sample_size(10);
    g.bench_function("encode_binary", |b| {
        b.iter(|| encode_segment(black_box(&segment)))
    });
    g.bench_function("decode_binary", |b| {
        b.iter(|| decode_segment(black_box(&binary)))
    });
    g.bench_function("encode_json_lines", |b| {
        b.iter(|| json_lines(black_box(&ops)))
    });
    g.bench_function("decode_json_lines", |b| {
        b.iter(|| from_json_lines(black_box(&lines)))
    });
    g.bench_function("import_into_fresh_replica", |b| {
        b.iter(|| {
            let mut fresh = ReplicaState::new(Uuid::from_u128(9));
            fresh.import(black_box(&segment), START_MS + 400 * DAY_MS)
        })
    });
    g.bench_function("export_decode_import", |b| {
        b.iter(|| {
            let bytes = encode_segment(&segment);
            let decoded = decode_segment(&bytes).unwrap_or_else(|_| segment.clone());
            let mut fresh = ReplicaState::new(Uuid::from_u128(9));
            fresh.import(&decoded, START_MS + 400 * DAY_MS)
        })
    });
    g.bench_function("floor_sqlite_insert", |b| {
        b.iter(|| sqlite_floor(black_box(&ops)))
    });
    g.finish();
}

fn bench_merge(c: &mut Criterion) {
    let mut a = ReplicaState::new(Uuid::from_u128(1 << 64));
    let mut b = ReplicaState::new(Uuid::from_u128(2 << 64));
    simulate(&mut a, 3_650, 1);
    simulate(&mut b, 3_650, 2);
    let from_b = b.segment_for(&a.device());
    let bytes = encode_segment(&from_b);
    eprintln!(
        "ten years: {} ops per device; segment {} bytes ({:.1} B/op)",
        from_b.ops().len(),
        bytes.len(),
        bytes.len() as f64 / from_b.ops().len() as f64
    );
    let mut g = c.benchmark_group("merge_10y");
    g.throughput(Throughput::Elements(from_b.ops().len() as u64));
    g.sample_size(10);
    g.bench_function("decode_and_import_b_into_a", |bench| {
        bench.iter_batched(
            || a.clone(),
            |mut replica| {
                let seg = decode_segment(&bytes).unwrap_or_else(|_| from_b.clone());
                replica.import(&seg, START_MS + 4_000 * DAY_MS)
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// The real path: one year of a runner's history exported from one SQLite profile and
/// imported into a fresh one (re-merge per entity, rows written, one transaction).
fn bench_store_year(c: &mut Criterion) {
    use talus_core::catalog::Catalog;
    use talus_core::store::{generate_history, FixtureSpec, Store};
    let catalog = Catalog::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now();
    let (source, _) = Store::open(&dir.path().join("source.db"), &catalog, now).unwrap();
    let spec = FixtureSpec {
        start: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        days: 365,
        zone: "Europe/London".into(),
        seed: 7,
    };
    generate_history(&source, &catalog, &spec).unwrap();
    let segment = source.segment_since(&VersionVector::new()).unwrap();
    let ops = segment.ops().to_vec();
    eprintln!(
        "store year: {} ops, segment {} bytes",
        ops.len(),
        encode_segment(&segment).len()
    );
    let mut g = c.benchmark_group("store_year");
    g.throughput(Throughput::Elements(ops.len() as u64));
    g.sample_size(10);
    g.bench_function("export_from_sqlite", |b| {
        b.iter(|| {
            source
                .segment_since(black_box(&VersionVector::new()))
                .unwrap()
        })
    });
    let mut n = 0u32;
    g.bench_function("import_into_fresh_sqlite_profile", |b| {
        b.iter_batched(
            || {
                n += 1;
                Store::open(&dir.path().join(format!("fresh-{n}.db")), &catalog, now)
                    .unwrap()
                    .0
            },
            |fresh| fresh.import_segment(black_box(&segment), now).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("floor_sqlite_insert", |b| {
        b.iter(|| sqlite_floor(black_box(&ops)))
    });
    g.finish();
}

criterion_group!(benches, bench_year, bench_merge, bench_store_year);
criterion_main!(benches);
