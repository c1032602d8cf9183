//! Small writers of JSON text by hand, for the stored records whose readers are by hand too
//! (ADR 0026): the same text `serde_json::to_string` writes for the same value, without an
//! instantiation of serde_json's serializer per type (code size, BENCHMARKS.md "Size").

use std::fmt::Write;

/// `text` as a JSON string, escaped as serde_json escapes it: `"` and `\` with a backslash,
/// the control characters below U+0020 as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx` (lower-case
/// hex), everything else as it is.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// An integer (unsigned or signed) as serde_json writes it.
pub fn int(out: &mut String, value: impl std::fmt::Display) {
    let _ = write!(out, "{value}");
}

/// `"key":` before an object's value, with the comma before every key but the first.
pub fn key(out: &mut String, first: bool, name: &str) {
    if !first {
        out.push(',');
    }
    string(out, name);
    out.push(':');
}

/// A map as a JSON object, its entries in iteration order, each key written as a string.
pub fn object<K: std::fmt::Display, V>(
    out: &mut String,
    entries: impl IntoIterator<Item = (K, V)>,
    mut value: impl FnMut(&mut String, V),
) {
    out.push('{');
    for (i, (k, v)) in entries.into_iter().enumerate() {
        key(out, i == 0, &k.to_string());
        value(out, v);
    }
    out.push('}');
}

/// A sequence as a JSON array.
pub fn array<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut String, T),
) {
    out.push('[');
    for (i, t) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item(out, t);
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn strings_are_written_as_serde_json_writes_them(text in "\\PC{0,12}|[\\x00-\\x7f]{0,12}") {
            let mut out = String::new();
            string(&mut out, &text);
            prop_assert_eq!(out, serde_json::to_string(&text).unwrap());
        }
    }

    #[test]
    fn every_ascii_character_is_written_as_serde_json_writes_it() {
        for c in 0u8..=0x7f {
            let text = format!("a{}b", c as char);
            let mut out = String::new();
            string(&mut out, &text);
            assert_eq!(out, serde_json::to_string(&text).unwrap(), "{c}");
        }
    }
}
