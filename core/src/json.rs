//! The one way the library reads JSON text into a typed value (code size, BENCHMARKS.md
//! "Size"). serde_json's parser is generic over its input: `from_str` and `from_slice`
//! each instantiate the whole parser for every type read through them. Reading every text
//! through the byte-slice parser keeps one copy per type, and that one also reads the old
//! op-log's JSON records, which are bytes (`compact_json_ops`).
//!
//! For a `&str` the two parsers give the same value and the same error (a `&str` is valid
//! UTF-8, the only input they treat differently), so this changes no result.
//!
//! Also the small readers of stored `Value`s that replace serde's derived ones where those
//! cost the most (internally tagged and flattened types buffer the value first): each
//! accepts exactly what serde's reader of the same field accepts from a `serde_json::Value`.

pub mod tree;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Parses `text` as JSON into `T`: exactly `serde_json::from_str(text)`.
pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_slice(text.as_bytes())
}

/// Parses `text` into a `serde_json::Value`: exactly `from_text::<Value>(text)`, through
/// the parsed tree ([`tree`]) so the library keeps one instantiation of the parser.
pub fn value(text: &str) -> Result<Value, serde_json::Error> {
    tree::parse(text).map(tree::Json::into_value)
}

/// The name of a unit variant as serde reads an enum field of a buffered value: a string,
/// or an object of one key whose value is `null` or `{}` (serde's map form of an enum).
pub(crate) fn unit_variant(value: &Value) -> Option<&str> {
    match value {
        Value::String(name) => Some(name),
        Value::Object(map) if map.len() == 1 => {
            let (name, inner) = map.iter().next()?;
            match inner {
                Value::Null => Some(name),
                Value::Object(empty) if empty.is_empty() => Some(name),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The fields of a struct as serde's derived reader finds them in a `serde_json::Value`:
/// from an object by name (other keys ignored), or from an array by position (`None` if it
/// has more elements than fields; `from_array` tells the caller, since an `Option` field
/// without a default may be absent from an object but not from the array form).
pub(crate) fn value_fields<'a, const N: usize>(
    value: &'a Value,
    names: [&str; N],
) -> Option<([Option<&'a Value>; N], bool)> {
    let mut found: [Option<&Value>; N] = [None; N];
    match value {
        Value::Object(map) => {
            for (slot, name) in found.iter_mut().zip(names) {
                *slot = map.get(name);
            }
            Some((found, false))
        }
        Value::Array(items) if items.len() <= N => {
            for (slot, item) in found.iter_mut().zip(items) {
                *slot = Some(item);
            }
            Some((found, true))
        }
        _ => None,
    }
}

/// An `Option` field without a serde default, as serde reads it from a `Value`: absent from
/// an object or `null` is `None`; absent from the array form is refused (outer `None`).
pub(crate) fn value_option<'a, T>(
    field: Option<&'a Value>,
    from_array: bool,
    read: impl FnOnce(&'a Value) -> Option<T>,
) -> Option<Option<T>> {
    match field {
        None if from_array => None,
        None | Some(Value::Null) => Some(None),
        Some(value) => read(value).map(Some),
    }
}

/// The name of a unit variant as serde reads an enum from a `serde_json::Value`: a string,
/// or an object of one key whose value is `null`.
pub(crate) fn value_variant(value: &Value) -> Option<&str> {
    match value {
        Value::String(name) => Some(name),
        Value::Object(map) if map.len() == 1 => match map.iter().next()? {
            (name, Value::Null) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

/// A JSON integer that fits a `u32`, as serde reads one from a `Value`.
pub(crate) fn value_u32(value: &Value) -> Option<u32> {
    u32::try_from(value.as_u64()?).ok()
}

/// As chrono's `NaiveTime` reader: a string in the forms its `FromStr` reads.
pub(crate) fn value_time(value: &Value) -> Option<chrono::NaiveTime> {
    crate::formats::parse_time(value.as_str()?).ok()
}

/// As chrono's `DateTime<Utc>` reader: RFC 3339 with any offset, kept as the same instant.
pub(crate) fn instant(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::String(s) => crate::formats::parse_instant(s)
            .ok()
            .map(|at| at.with_timezone(&Utc)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    /// Same value or the same error message as `from_str`, on valid and invalid JSON.
    fn agrees<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
        let a = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
        let b = from_text::<T>(text).map_err(|e| e.to_string());
        assert_eq!(a, b, "{text:?}");
    }

    #[test]
    fn agrees_with_from_str_on_edge_cases() {
        for text in [
            "",
            " ",
            "{",
            "}",
            "[1,2",
            "\"\\ud800\"",
            "\"\\u00e9\"",
            "\"é\u{1F600}\"",
            "1e400",
            "-0",
            "18446744073709551616",
            "{\"a\":1,\"a\":2}",
            "nul",
            "[1,]",
            "\"\u{7f}\"",
            "\"a\u{1}\"",
            "{\"a\" 1}",
            "  [ ] x",
        ] {
            agrees::<Value>(text);
            agrees::<Vec<String>>(text);
            agrees::<Option<u32>>(text);
        }
    }

    proptest! {
        #[test]
        fn agrees_with_from_str_on_junk(text in "\\PC{0,40}") {
            agrees::<Value>(&text);
            agrees::<Vec<String>>(&text);
        }

        #[test]
        fn agrees_with_from_str_on_json_like_text(
            text in "[\\[\\]{}\",:0-9a-z \\\\.eE+-]{0,40}"
        ) {
            agrees::<Value>(&text);
            agrees::<std::collections::BTreeMap<String, i64>>(&text);
        }
    }
}
