//! Reading one stored safety event from its JSON value, without serde's derived reader.
//!
//! `SafetyEvent` is an internally tagged enum (`{"kind": "red_flag", …}`); serde's derived
//! reader of such an enum buffers the whole value into its private `Content` tree first and
//! reads the variant from that, which costs ≈ 15 KB of the phone library for the one call
//! that reads a stored record (BENCHMARKS.md "Size"). [`event`] accepts exactly the values
//! `serde_json::from_value::<SafetyEvent>` accepts and reads the same event from them, which
//! the tests check on valid events and on every kind of damage:
//! - an object with `kind` naming the variant and every field of it (other keys ignored),
//!   or an array of the variant name and exactly its fields in declaration order;
//! - text fields are strings; numbers are non-negative integers in the field's range;
//! - `answer` and `source` are the variant name as a string, or an object with that name as
//!   its one key and `null` or `{}` as its value;
//! - instants and dates as chrono's readers parse them (RFC 3339 with any offset, read as
//!   UTC; `YYYY-MM-DD`); ids as `Uuid`'s reader parses them.
//!
//! Writing stays with serde (`serde_json::to_value`), so stored events keep their form.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Answer, FlagSource, SafetyEvent};
use crate::json::{instant, unit_variant};

/// The event `value` holds, or `None` where serde's reader would fail.
pub(super) fn event(value: &Value) -> Option<SafetyEvent> {
    let (kind, fields) = match value {
        Value::Object(map) => (map.get("kind")?, Fields::Named(map)),
        Value::Array(items) => {
            let (kind, rest) = items.split_first()?;
            (kind, Fields::InOrder(rest))
        }
        _ => return None,
    };
    let Value::String(kind) = kind else {
        return None;
    };
    Some(match kind.as_str() {
        "red_flag" => {
            let [question, answer, source, at] =
                fields.get(["question", "answer", "source", "at"])?;
            SafetyEvent::RedFlag {
                question: text(question)?,
                answer: match unit_variant(answer)? {
                    "yes" => Answer::Yes,
                    "no" => Answer::No,
                    "not_sure" => Answer::NotSure,
                    _ => return None,
                },
                source: match unit_variant(source)? {
                    "screening" => FlagSource::Screening,
                    "morning_check_in" => FlagSource::MorningCheckIn,
                    "post_run_check_in" => FlagSource::PostRunCheckIn,
                    "session" => FlagSource::Session,
                    "follow_up" => FlagSource::FollowUp,
                    _ => return None,
                },
                at: instant(at)?,
            }
        }
        "severe_pain" => {
            let [drill_id, pain, at] = fields.get(["drill_id", "pain", "at"])?;
            SafetyEvent::SeverePain {
                drill_id: text(drill_id)?,
                pain: u8::try_from(pain.as_u64()?).ok()?,
                at: instant(at)?,
            }
        }
        "follow_up_passed" => {
            let [covers, at] = fields.get(["covers", "at"])?;
            SafetyEvent::FollowUpPassed {
                covers: ids(covers)?,
                at: instant(at)?,
            }
        }
        "clinician_clearance" => {
            let [clinician, seen_on, covers, at] =
                fields.get(["clinician", "seen_on", "covers", "at"])?;
            SafetyEvent::ClinicianClearance {
                clinician: text(clinician)?,
                seen_on: match seen_on {
                    Value::String(s) => crate::formats::parse_iso_date(s).ok()?,
                    _ => return None,
                },
                covers: ids(covers)?,
                at: instant(at)?,
            }
        }
        "screened" => {
            let [questions, at] = fields.get(["questions", "at"])?;
            SafetyEvent::Screened {
                questions: u32::try_from(questions.as_u64()?).ok()?,
                at: instant(at)?,
            }
        }
        _ => return None,
    })
}

/// A variant's fields: by name from the object (the tag and unknown keys ignored), or in
/// declaration order from the array after the tag (exactly as many as the variant has).
enum Fields<'a> {
    Named(&'a Map<String, Value>),
    InOrder(&'a [Value]),
}

impl<'a> Fields<'a> {
    fn get<const N: usize>(&self, names: [&str; N]) -> Option<[&'a Value; N]> {
        match *self {
            Fields::Named(map) => {
                let mut out = [&Value::Null; N];
                for (slot, name) in out.iter_mut().zip(names) {
                    *slot = map.get(name)?;
                }
                Some(out)
            }
            Fields::InOrder(items) => {
                let items: &'a [Value; N] = items.try_into().ok()?;
                Some(items.each_ref())
            }
        }
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn ids(value: &Value) -> Option<Vec<Uuid>> {
    let Value::Array(items) = value else {
        return None;
    };
    items
        .iter()
        .map(|item| match item {
            Value::String(s) => s.parse::<Uuid>().ok(),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, Utc};
    use proptest::prelude::*;
    use serde_json::json;

    /// serde's reader, the reference.
    fn serde_reads(value: &Value) -> Option<SafetyEvent> {
        serde_json::from_value::<SafetyEvent>(value.clone()).ok()
    }

    fn valid_events() -> Vec<SafetyEvent> {
        let at = "2026-05-04T09:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let id = Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
        vec![
            SafetyEvent::RedFlag {
                question: "night_pain".into(),
                answer: Answer::NotSure,
                source: FlagSource::PostRunCheckIn,
                at,
            },
            SafetyEvent::SeverePain {
                drill_id: "banded_df_mob".into(),
                pain: 8,
                at,
            },
            SafetyEvent::FollowUpPassed {
                covers: vec![id, Uuid::nil()],
                at,
            },
            SafetyEvent::ClinicianClearance {
                clinician: "Dr. Ö".into(),
                seen_on: NaiveDate::from_ymd_opt(2026, 5, 3).unwrap(),
                covers: vec![id],
                at,
            },
            SafetyEvent::Screened { questions: 20, at },
        ]
    }

    /// Values a field might hold instead of its own: every JSON type and the near misses.
    fn replacement() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            Just(json!(true)),
            Just(json!(0)),
            Just(json!(255)),
            Just(json!(256)),
            Just(json!(4294967295u64)),
            Just(json!(4294967296u64)),
            Just(json!(-1)),
            Just(json!(3.0)),
            Just(json!("")),
            Just(json!("yes")),
            Just(json!("not_sure")),
            Just(json!("Yes")),
            Just(json!("follow_up")),
            Just(json!("morning_check_in")),
            Just(json!({"yes": null})),
            Just(json!({"session": {}})),
            Just(json!({"no": 1})),
            Just(json!({"no": null, "yes": null})),
            Just(json!({"screening": []})),
            Just(json!({})),
            Just(json!([])),
            Just(json!(["12345678-9abc-def0-1234-56789abcdef0"])),
            Just(json!(["{12345678-9abc-def0-1234-56789abcdef0}", "0"])),
            Just(json!(["123456789abcdef0123456789abcdef0", 1])),
            Just(json!("urn:uuid:12345678-9abc-def0-1234-56789abcdef0")),
            Just(json!("2026-05-04T09:00:00+02:00")),
            Just(json!("2026-05-04T09:00:00.123456789-11:30")),
            Just(json!("2026-05-04 09:00:00Z")),
            Just(json!("2026-05-04T09:00:00")),
            Just(json!("2016-12-31T23:59:60Z")),
            Just(json!("2026-05-04")),
            Just(json!("2026-5-4")),
            Just(json!("+12026-05-04")),
            Just(json!("2026-02-30")),
            Just(json!(" 2026-05-04")),
            Just(json!("red_flag")),
            Just(json!("screened")),
            "\\PC{0,12}".prop_map(Value::String),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
        ]
    }

    fn field_names() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("kind".to_string()),
            Just("question".to_string()),
            Just("answer".to_string()),
            Just("source".to_string()),
            Just("at".to_string()),
            Just("drill_id".to_string()),
            Just("pain".to_string()),
            Just("covers".to_string()),
            Just("clinician".to_string()),
            Just("seen_on".to_string()),
            Just("questions".to_string()),
            Just("other".to_string()),
        ]
    }

    /// A damaged event: fields replaced, removed or added, the tag changed, or the array
    /// form, with parts of it changed.
    fn damaged() -> impl Strategy<Value = Value> {
        let edit = prop_oneof![
            (field_names(), replacement()).prop_map(|(k, v)| (k, Some(v))),
            field_names().prop_map(|k| (k, None)),
        ];
        (
            0..5usize,
            proptest::collection::vec(edit, 0..4),
            any::<bool>(),
            proptest::collection::vec((any::<prop::sample::Index>(), replacement()), 0..3),
            0..3usize,
        )
            .prop_map(|(which, edits, as_array, array_edits, drop_last)| {
                let event = valid_events().swap_remove(which);
                let mut value = serde_json::to_value(&event).unwrap();
                let map = value.as_object_mut().unwrap();
                for (key, edit) in edits {
                    match edit {
                        Some(v) => map.insert(key, v),
                        None => map.remove(&key),
                    };
                }
                if !as_array {
                    return value;
                }
                // The array form: the tag, then the fields in declaration order.
                let kind = value.get("kind").cloned().unwrap_or(Value::Null);
                let order: &[&str] = match which {
                    0 => &["question", "answer", "source", "at"],
                    1 => &["drill_id", "pain", "at"],
                    2 => &["covers", "at"],
                    3 => &["clinician", "seen_on", "covers", "at"],
                    _ => &["questions", "at"],
                };
                let mut items = vec![kind];
                items.extend(order.iter().filter_map(|k| value.get(*k).cloned()));
                for (at, v) in array_edits {
                    let i = at.index(items.len());
                    items[i] = v;
                }
                let keep = items.len().saturating_sub(drop_last % 2);
                items.truncate(keep);
                if drop_last == 2 {
                    items.push(json!(1));
                }
                Value::Array(items)
            })
    }

    #[test]
    fn reads_every_kind_of_event_as_serde_does() {
        for valid in valid_events() {
            let value = serde_json::to_value(&valid).unwrap();
            assert_eq!(event(&value).as_ref(), Some(&valid));
            assert_eq!(serde_reads(&value), Some(valid));
        }
        for value in [
            json!(null),
            json!("red_flag"),
            json!([]),
            json!(["screened"]),
            json!(["screened", 3, "2026-05-04T09:00:00Z"]),
            json!(["screened", 3, "2026-05-04T09:00:00Z", 4]),
            json!(["Screened", 3, "2026-05-04T09:00:00Z"]),
            json!([0, 3, "2026-05-04T09:00:00Z"]),
            json!({"kind": 4, "questions": 3, "at": "2026-05-04T09:00:00Z"}),
            json!({"kind": "screened", "questions": 3, "at": "2026-05-04T09:00:00+01:00", "x": 1}),
            json!({"kind": "screened", "questions": 3.0, "at": "2026-05-04T09:00:00Z"}),
            json!({"kind": "screened", "at": "2026-05-04T09:00:00Z"}),
            json!({"questions": 3, "at": "2026-05-04T09:00:00Z"}),
            json!({"kind": "red_flag", "question": "q", "answer": {"yes": {}},
                   "source": {"session": null}, "at": "2026-05-04T09:00:00Z"}),
        ] {
            assert_eq!(event(&value), serde_reads(&value), "{value}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn damaged_events_read_as_serde_reads_them(value in damaged()) {
            prop_assert_eq!(event(&value), serde_reads(&value), "{}", value);
        }
    }
}
