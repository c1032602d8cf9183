//! Reading a put op's record straight into a row type (`deserialize_put_fields`, what the
//! import does for entities new to a profile) gives exactly what `serde_json::from_value` of
//! the put's fields gives (the general merge's path): the same value, or an error with the
//! same message, for valid and invalid fields alike.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use talus_core::domain::{CheckIn, DrillProgress, RomMeasurement, RunRecord, SetLog};
use talus_core::sync::{
    deserialize_put_fields, encode_op_record, EntityKind, Hlc, Op, OpAction, Stamp,
};
use uuid::Uuid;

fn put_record(fields: &Map<String, Value>) -> Vec<u8> {
    encode_op_record(&Op {
        stamp: Stamp {
            hlc: Hlc {
                wall_ms: 1,
                counter: 0,
            },
            device: Uuid::from_u128(1),
        },
        entity: EntityKind::SetLog,
        id: Uuid::from_u128(2),
        action: OpAction::Put {
            fields: fields.clone(),
        },
    })
}

/// Both readers' results, as text (value or error message).
fn both<T>(fields: &Map<String, Value>) -> (String, String)
where
    T: serde::de::DeserializeOwned + std::fmt::Debug,
{
    let direct = deserialize_put_fields::<T>(&put_record(fields)).map_err(|e| e.to_string());
    let general =
        serde_json::from_value::<T>(Value::Object(fields.clone())).map_err(|e| e.to_string());
    (format!("{direct:?}"), format!("{general:?}"))
}

fn check_all(fields: &Map<String, Value>) -> Result<(), TestCaseError> {
    for (direct, general) in [
        both::<SetLog>(fields),
        both::<CheckIn>(fields),
        both::<RunRecord>(fields),
        both::<RomMeasurement>(fields),
        both::<DrillProgress>(fields),
        both::<Value>(fields),
    ] {
        prop_assert_eq!(direct, general);
    }
    Ok(())
}

/// A value of a field: mostly the right kind for some row type, sometimes not.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..12).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
        Just(json!(2.0)),
        Just(json!("left")),
        Just(json!("right")),
        Just(json!("both")),
        Just(json!("sideways")),
        Just(json!("2026-03-02T08:00:00Z")),
        Just(json!("2026-03-02")),
        Just(json!("Europe/Berlin")),
        Just(json!("019b7db8-7800-703c-afdf-b48ede8bccd6")),
        Just(json!("ankle_pumps_seated")),
        Just(json!("")),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![Just("calf"), Just("achilles"), Just("ankle"), Just("x")],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.into(), v)).collect())),
        ]
    })
}

const NAMES: &[&str] = &[
    "drill_id",
    "side",
    "set_index",
    "level",
    "target_reps",
    "reps_done",
    "target_hold_s",
    "hold_s_done",
    "pain",
    "stretch",
    "stopped",
    "skipped",
    "reason_code",
    "note",
    "at",
    "id",
    "zone",
    "stiffness",
    "red_flags_yes",
    "run_id",
    "source",
    "external_id",
    "start",
    "end",
    "distance_m",
    "tags",
    "cm",
    "changed_at",
    "session_id",
    "unknown",
];

#[test]
fn real_rows_read_the_same() {
    let set = json!({"session_id": "019b7db8-7800-703c-afdf-b48ede8bccd6",
        "drill_id": "ankle_pumps_seated", "side": "left", "set_index": 1, "level": 2,
        "target_reps": 10, "reps_done": 9, "target_hold_s": null, "hold_s_done": null,
        "pain": 2, "stretch": false, "stopped": false, "skipped": false,
        "reason_code": null, "note": "ok", "at": "2026-03-02T08:00:00Z"});
    let checkin = json!({"id": "019b7db8-7800-703c-afdf-b48ede8bccd6",
        "at": "2026-03-02T08:00:00Z", "zone": "Europe/Berlin",
        "pain": {"calf": 1, "achilles": 0, "ankle": 2},
        "stiffness": {"calf": 1, "achilles": 0, "ankle": 2},
        "red_flags_yes": [], "run_id": null});
    let run = json!({"source": "health", "external_id": "x1",
        "start": "2026-03-02T06:00:00Z", "end": "2026-03-02T07:00:00Z",
        "distance_m": 10000.5, "tags": ["long"], "zone": "UTC"});
    for fields in [set, checkin, run] {
        let fields = fields.as_object().cloned().unwrap();
        check_all(&fields).unwrap();
    }
    let set: SetLog = deserialize_put_fields(&put_record(
        json!({"drill_id": "d", "side": null, "set_index": 0, "level": 0,
            "target_reps": null, "reps_done": null, "target_hold_s": 30, "hold_s_done": 30,
            "pain": null, "stopped": true, "skipped": false, "reason_code": "pain",
            "note": null, "at": "2026-03-02T08:00:00Z"})
        .as_object()
        .unwrap(),
    ))
    .unwrap();
    assert_eq!(set.hold_s_done, Some(30));
    assert!(set.stopped);
    // A set or a delete is not a put.
    let delete = encode_op_record(&Op {
        stamp: Stamp {
            hlc: Hlc::default(),
            device: Uuid::nil(),
        },
        entity: EntityKind::Run,
        id: Uuid::nil(),
        action: OpAction::Delete,
    });
    assert!(deserialize_put_fields::<Value>(&delete).is_err());
    // Damaged bytes fail cleanly.
    let record = put_record(&Map::new());
    for end in 0..record.len() {
        assert!(deserialize_put_fields::<Value>(&record[..end]).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_fields_read_the_same(
        fields in proptest::collection::btree_map(proptest::sample::select(NAMES), value(), 0..18)
    ) {
        let fields: Map<String, Value> =
            fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        check_all(&fields)?;
    }
}

/// The import walks a segment as checked records (`visit_records`) instead of decoding it;
/// on every damaged or tampered form of a segment (each byte changed, digest recomputed so
/// the body parser is reached) it must accept exactly what the decoder accepts, with the
/// same ops.
#[test]
fn the_record_walk_accepts_exactly_what_the_decoder_accepts() {
    use talus_core::sync::{decode_segment, encode_segment, seal_segment, visit_records};
    let mut ops = Vec::new();
    for i in 0..5u64 {
        let fields = json!({"at": format!("2026-03-0{}T07:00:00Z", i + 1), "zone": "Europe/Berlin",
            "pain": {"calf": i % 3, "achilles": 1, "ankle": 0}, "cm": 10.5 + i as f64,
            "tags": ["long", null, true], "big": u64::MAX, "neg": -3})
        .as_object()
        .cloned()
        .unwrap();
        ops.push(Op {
            stamp: Stamp {
                hlc: Hlc {
                    wall_ms: 1_000 + i,
                    counter: 0,
                },
                device: Uuid::from_u128(9),
            },
            entity: EntityKind::CheckIn,
            id: Uuid::from_u128(u128::from(i)),
            action: OpAction::Put { fields },
        });
    }
    ops.push(Op {
        stamp: Stamp {
            hlc: Hlc {
                wall_ms: 2_000,
                counter: 1,
            },
            device: Uuid::from_u128(9),
        },
        entity: EntityKind::CheckIn,
        id: Uuid::from_u128(2),
        action: OpAction::Set {
            field: "zone".into(),
            value: json!("UTC"),
        },
    });
    let segment =
        talus_core::sync::Segment::own_ops(Uuid::from_u128(9), Hlc::default(), ops).unwrap();
    let bytes = encode_segment(&segment);
    let walk = |b: &[u8]| {
        let mut records = Vec::new();
        visit_records(b, |r| {
            records.push((r.stamp, r.entity, r.id, r.record.into_owned()));
            Ok::<(), talus_core::sync::SyncError>(())
        })
        .map(|_| records)
    };
    let same = |b: &[u8]| {
        let decoded = decode_segment(b);
        let walked = walk(b);
        match (decoded, walked) {
            (Ok(seg), Ok(records)) => {
                let expected: Vec<_> = seg
                    .ops()
                    .iter()
                    .map(|o| (o.stamp, o.entity, o.id, encode_op_record(o)))
                    .collect();
                assert_eq!(records, expected);
                true
            }
            (Err(_), Err(_)) => false,
            (d, w) => panic!("decoder {:?} but record walk {:?}", d.is_ok(), w.is_ok()),
        }
    };
    assert!(same(&bytes));
    let content = &bytes[..bytes.len() - 32];
    let mut accepted = 0;
    for i in 0..content.len() {
        for change in [0x41u8, 0x80, 0x01, 0xff] {
            let mut bad = content.to_vec();
            bad[i] = bad[i].wrapping_add(change);
            accepted += usize::from(same(&seal_segment(&bad)));
        }
        for end in [i, i + 1] {
            same(&seal_segment(&content[..end.min(content.len())]));
        }
    }
    // Some changes (a value's digit, a string's letter) still make a valid segment.
    assert!(accepted > 0);
}
