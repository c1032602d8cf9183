//! JSON text parsed once into a tree that keeps every object's keys in text order, repeated
//! keys included, and the small readers that take typed records from it exactly as serde's
//! derived readers take them from the text (code size, BENCHMARKS.md "Size", ADR 0026).
//!
//! serde_json instantiates its whole parser for every type read straight from text; reading
//! the text into this tree uses one instantiation (the one [`crate::json::value`] also goes
//! through), and a record's reader is then plain code. Because the tree keeps what a
//! `serde_json::Value` loses (a key given twice, the order of keys that name the same map
//! key), a reader here can refuse what serde refuses and keep what serde keeps.
//!
//! What serde's derived readers accept from JSON text, and so what these helpers accept:
//! - a struct: an object (unknown keys ignored, a known key twice refused, a missing key
//!   refused unless defaulted) or an array of its fields in order (defaulted fields at the
//!   end may be missing, more elements refused);
//! - a unit enum variant: its name as a string, or an object of that one key with `null`;
//! - integers: only JSON integers in the type's range (`1.0`, `-0` and `1e2` are floats);
//! - a map: an object whose keys are read as the key type, the last of equal keys kept.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use uuid::Uuid;

/// A parsed JSON text. Numbers are kept as serde_json parsed them (unsigned, negative or
/// float), which is what a typed reader of the text would have been given.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    /// Every key in text order, repeated keys included.
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// Builds a [`Json`] from what serde_json's parser reports, as its own `Value` visitor does.
struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Json, E> {
        Ok(Json::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Json, E> {
        Ok(Json::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Json, E> {
        Ok(Json::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Json, E> {
        Ok(Number::from_f64(value).map_or(Json::Null, Json::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Json, E> {
        Ok(Json::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Json, E> {
        Ok(Json::String(value))
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        Deserialize::deserialize(deserializer)
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Json::Object(entries))
    }
}

/// Parses JSON text (serde_json's parser and its errors: syntax, depth, numbers out of range).
pub fn parse(text: &str) -> Result<Json, serde_json::Error> {
    crate::json::from_text(text)
}

impl Json {
    /// The `serde_json::Value` serde_json would have parsed from the same text (of a key
    /// given twice, the last value, as its `Value` reader keeps it).
    pub fn into_value(self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(n) => Value::Number(n),
            Json::String(s) => Value::String(s),
            Json::Array(items) => Value::Array(items.into_iter().map(Json::into_value).collect()),
            Json::Object(entries) => {
                let mut map = serde_json::Map::new();
                for (key, value) in entries {
                    map.insert(key, value.into_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The fields of a struct with these field names, as serde's derived reader finds them:
    /// from an object by name (other keys ignored; `None` if a name is given twice), or from
    /// an array by position (`None` if it has more elements than fields). A field that is
    /// absent is `None` in the result: the caller refuses it or uses its default.
    pub fn fields<const N: usize>(&self, names: [&str; N]) -> Option<[Option<&Json>; N]> {
        let mut found: [Option<&Json>; N] = [None; N];
        match self {
            Json::Object(entries) => {
                for (key, value) in entries {
                    if let Some(i) = names.iter().position(|name| name == key) {
                        let slot = found.get_mut(i)?;
                        if slot.is_some() {
                            return None;
                        }
                        *slot = Some(value);
                    }
                }
            }
            Json::Array(items) => {
                if items.len() > N {
                    return None;
                }
                for (slot, item) in found.iter_mut().zip(items) {
                    *slot = Some(item);
                }
            }
            _ => return None,
        }
        Some(found)
    }

    /// A JSON integer that fits a `u64`.
    pub fn u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// A JSON integer that fits a `u32`.
    pub fn u32(&self) -> Option<u32> {
        u32::try_from(self.u64()?).ok()
    }

    /// A JSON integer that fits an `i64`.
    pub fn i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// `true` or `false`.
    pub fn bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A string, borrowed.
    pub fn str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string, copied.
    pub fn string(&self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    /// The items of an array.
    pub fn items(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of an object, in text order.
    pub fn entries(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// Each item of an array read by `read`; `None` if any one is not readable.
    pub fn list<T>(&self, read: impl Fn(&Json) -> Option<T>) -> Option<Vec<T>> {
        self.items()?.iter().map(read).collect()
    }

    /// The name of a unit enum variant: a string, or an object of one key whose value is
    /// `null` (serde's map form of an enum in JSON text).
    pub fn unit_variant(&self) -> Option<&str> {
        match self {
            Json::String(name) => Some(name),
            Json::Object(entries) => match entries.as_slice() {
                [(name, Json::Null)] => Some(name),
                _ => None,
            },
            _ => None,
        }
    }

    /// A UUID in any form `Uuid::parse_str` reads (what uuid's serde reader calls).
    pub fn uuid(&self) -> Option<Uuid> {
        key_uuid(self.str()?)
    }
}

/// An object key read as a UUID, as serde reads a `Uuid` map key.
pub fn key_uuid(key: &str) -> Option<Uuid> {
    Uuid::parse_str(key).ok()
}

/// A required field: present and readable.
pub fn need<'a, T>(field: Option<&'a Json>, read: impl FnOnce(&'a Json) -> Option<T>) -> Option<T> {
    read(field?)
}

/// A field with a default: the default when absent, else it must be readable.
pub fn or_default<'a, T: Default>(
    field: Option<&'a Json>,
    read: impl FnOnce(&'a Json) -> Option<T>,
) -> Option<T> {
    match field {
        None => Some(T::default()),
        Some(value) => read(value),
    }
}

/// Damaged forms of stored or handed-in JSON for the property tests that compare a reader
/// here with serde's derived reader (the oracle, kept in tests).
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use proptest::prelude::*;

    /// The tree as JSON text, keys in order, repeated keys kept.
    pub fn write(json: &Json) -> String {
        match json {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => n.to_string(),
            Json::String(s) => serde_json::to_string(s).unwrap(),
            Json::Array(items) => {
                let items: Vec<String> = items.iter().map(write).collect();
                format!("[{}]", items.join(","))
            }
            Json::Object(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), write(v)))
                    .collect();
                format!("{{{}}}", entries.join(","))
            }
        }
    }

    /// Values put in place of a node: every JSON kind, numbers at the integer types' edges,
    /// floats that look like integers, UUIDs in other spellings.
    const REPLACEMENT_TEXTS: [&str; 38] = [
        "null",
        "true",
        "0",
        "7",
        "-1",
        "-0",
        "1.0",
        "2.5",
        "4294967295",
        "4294967296",
        "9223372036854775808",
        "18446744073709551615",
        "\"\"",
        "\"x\"",
        "\"side\"",
        "\"rear\"",
        "\"demo\"",
        "\"Front\"",
        "\"left\"",
        "\"Right\"",
        "\"rep_loop\"",
        "\"RepLoop\"",
        "{\"side\":null}",
        "{\"side\":{}}",
        "{\"left\":null,\"x\":1}",
        "{\"x\":1,\"left\":null}",
        "{\"side\":null,\"side\":null}",
        "{\"left\":{}}",
        "{\"left\":null}",
        "\"67E55044-10B1-426F-9247-BB680E5FE0C8\"",
        "\"{67e55044-10b1-426f-9247-bb680e5fe0c8}\"",
        "\"67e5504410b1426f9247bb680e5fe0c8\"",
        "[]",
        "{}",
        "[1,2]",
        "[\"a\",\"b\"]",
        "{\"wall_ms\":1,\"counter\":2}",
        "{\"67e55044-10b1-426f-9247-bb680e5fe0c8\":[]}",
    ];

    fn replacement(pick: usize) -> Json {
        parse(REPLACEMENT_TEXTS[pick % REPLACEMENTS]).unwrap()
    }

    /// How many replacements [`replacement`] has.
    const REPLACEMENTS: usize = REPLACEMENT_TEXTS.len();

    /// Key names put in place of a key: the fields of the records read here, and others.
    const KEYS: [&str; 16] = [
        "seen",
        "pending",
        "peers",
        "entries",
        "wall_ms",
        "counter",
        "device",
        "start",
        "end",
        "version",
        "clips",
        "segments",
        "kind",
        "captions",
        "zz",
        "67E55044-10B1-426F-9247-BB680E5FE0C8",
    ];

    /// One damage to the node `picks` leads to: replaced, an entry repeated, dropped or
    /// renamed, an object turned into the array of its values, an array cut or grown, an
    /// unknown key added.
    pub fn damage(json: &mut Json, picks: &[usize]) {
        let (here, rest) = match picks {
            [] => return,
            [here, rest @ ..] => (*here, rest),
        };
        // Go one level deeper while there are picks left and the node has children.
        if rest.len() > 2 {
            let child = match json {
                Json::Array(items) if !items.is_empty() => {
                    let n = items.len();
                    items.get_mut(here % n)
                }
                Json::Object(entries) if !entries.is_empty() => {
                    let n = entries.len();
                    entries.get_mut(here % n).map(|(_, v)| v)
                }
                _ => None,
            };
            if let Some(child) = child {
                return damage(child, rest);
            }
        }
        let what = rest.first().copied().unwrap_or(0);
        let which = rest.get(1).copied().unwrap_or(0);
        match (here % 8, json) {
            (1, Json::Object(entries)) if !entries.is_empty() => {
                let entry = entries[which % entries.len()].clone();
                entries.push(entry);
            }
            (2, Json::Object(entries)) if !entries.is_empty() => {
                entries.remove(which % entries.len());
            }
            (3, Json::Object(entries)) if !entries.is_empty() => {
                let n = entries.len();
                entries[which % n].0 = KEYS[what % KEYS.len()].to_owned();
            }
            (4, node @ Json::Object(_)) => {
                let Json::Object(entries) = std::mem::replace(node, Json::Null) else {
                    unreachable!()
                };
                *node = Json::Array(entries.into_iter().map(|(_, v)| v).collect());
            }
            (5, Json::Array(items)) if !items.is_empty() => {
                items.truncate(which % items.len());
            }
            (6, Json::Array(items)) if !items.is_empty() => {
                let item = items[which % items.len()].clone();
                items.push(item);
            }
            (7, Json::Object(entries)) => {
                entries.push((KEYS[what % KEYS.len()].to_owned(), replacement(which)));
            }
            (_, node) => *node = replacement(what),
        }
    }

    /// Every single damage of `json`: each node replaced by each replacement; each
    /// object's entries repeated, dropped and renamed one at a time, the object turned into
    /// the array of its values, an unknown key added; each array cut short and grown.
    pub fn every_single_damage(json: &Json) -> Vec<Json> {
        let mut out: Vec<Json> = (0..REPLACEMENTS).map(replacement).collect();
        match json {
            Json::Object(entries) => {
                for i in 0..entries.len() {
                    let mut twice = entries.clone();
                    twice.push(entries[i].clone());
                    out.push(Json::Object(twice));
                    let mut dropped = entries.clone();
                    dropped.remove(i);
                    out.push(Json::Object(dropped));
                    for key in KEYS {
                        let mut renamed = entries.clone();
                        renamed[i].0 = key.to_owned();
                        out.push(Json::Object(renamed));
                    }
                    for inner in every_single_damage(&entries[i].1) {
                        let mut changed = entries.clone();
                        changed[i].1 = inner;
                        out.push(Json::Object(changed));
                    }
                }
                out.push(Json::Array(
                    entries.iter().map(|(_, v)| v.clone()).collect(),
                ));
                let mut unknown = entries.clone();
                unknown.push(("zz".into(), Json::Null));
                out.push(Json::Object(unknown));
            }
            Json::Array(items) => {
                for i in 0..items.len() {
                    out.push(Json::Array(items[..i].to_vec()));
                    for inner in every_single_damage(&items[i]) {
                        let mut changed = items.clone();
                        changed[i] = inner;
                        out.push(Json::Array(changed));
                    }
                }
                if let Some(last) = items.last() {
                    let mut grown = items.clone();
                    grown.push(last.clone());
                    out.push(Json::Array(grown));
                }
            }
            _ => {}
        }
        out
    }

    /// Up to three damages, each along its own path of picks.
    pub fn damages() -> impl Strategy<Value = Vec<Vec<usize>>> {
        prop::collection::vec(prop::collection::vec(0usize..64, 0..9), 0..4)
    }

    /// `text` with `damages` applied (the text itself when it does not parse).
    pub fn damaged(text: &str, damages: &[Vec<usize>]) -> String {
        let Ok(mut json) = parse(text) else {
            return text.to_owned();
        };
        for picks in damages {
            damage(&mut json, picks);
        }
        write(&json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_repeated_keys_in_order_and_converts_like_serde_json() {
        let text = r#"{"b":1,"a":[true,null,-2,1.5,"x"],"b":{"c":{}}}"#;
        let tree = parse(text).unwrap();
        let Json::Object(entries) = &tree else {
            panic!("an object")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(tree.into_value(), value);
    }

    #[test]
    fn fields_follow_serde_s_struct_forms() {
        let f = |text: &str| parse(text).unwrap();
        let object = f(r#"{"x":1,"other":2,"y":3}"#);
        let [x, y] = object.fields(["x", "y"]).unwrap();
        assert_eq!(
            (x.and_then(Json::u64), y.and_then(Json::u64)),
            (Some(1), Some(3))
        );
        assert!(f(r#"{"x":1,"x":1}"#).fields(["x", "y"]).is_none());
        assert!(f(r#"{"o":1,"o":1}"#).fields(["x", "y"]).is_some());
        let short = f("[1]");
        let [x, y] = short.fields(["x", "y"]).unwrap();
        assert_eq!((x.and_then(Json::u64), y), (Some(1), None));
        assert!(f("[1,2,3]").fields(["x", "y"]).is_none());
        assert!(f("1").fields(["x", "y"]).is_none());
    }

    #[test]
    fn numbers_read_as_serde_reads_them_from_text() {
        for text in [
            "0",
            "-0",
            "1.0",
            "1e2",
            "-1",
            "4294967295",
            "4294967296",
            "18446744073709551615",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "true",
            "\"1\"",
        ] {
            let tree = parse(text).unwrap();
            assert_eq!(tree.u64(), serde_json::from_str::<u64>(text).ok(), "{text}");
            assert_eq!(tree.u32(), serde_json::from_str::<u32>(text).ok(), "{text}");
            assert_eq!(tree.i64(), serde_json::from_str::<i64>(text).ok(), "{text}");
            assert_eq!(
                tree.bool(),
                serde_json::from_str::<bool>(text).ok(),
                "{text}"
            );
        }
    }

    proptest! {
        /// The tree converts to exactly the `Value` serde_json parses, and fails where it
        /// fails, with the same message.
        #[test]
        fn parses_like_serde_json_s_value(text in "[\\[\\]{}\",:0-9a-c \\\\.eE+-]{0,40}") {
            let ours = parse(&text).map(Json::into_value).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Value>(&text).map_err(|e| e.to_string());
            prop_assert_eq!(ours, theirs);
        }
    }
}
