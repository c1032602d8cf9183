//! The words a shell shows that are not part of a record: labels of every closed set (steps,
//! day variants, statuses, drill kinds, targets, equipment, sides…), buttons, the pain-scale
//! anchors, check-in regions and error messages meant for people, in English and German.
//! Keys are `group.wire_name` (the snake_case names the API's enums carry). Shells never
//! keep their own copies: one table, checked complete for every locale by the tests below.

use std::sync::OnceLock;

#[cfg(test)]
mod sentences;
#[cfg(test)]
mod table;

fn german(locale: &str) -> bool {
    locale.split(['-', '_']).next() == Some("de")
}

/// The rows of [`table::TABLE`], packed by `build.rs` (ADR 0030).
static TABLE_PACKED: Packed = include!(concat!(env!("OUT_DIR"), "/text_table.rs"));

/// The safety and reminder sentences (`sentences.rs`), packed by `build.rs` (ADR 0030).
static SENTENCES: Packed = include!(concat!(env!("OUT_DIR"), "/sentences.rs"));

/// The English and German sentence of `key` in `sentences.rs` (`safety.…`, `reminder.…`,
/// `week.…`, `notify.….title` / `.body`).
pub(crate) fn sentence(key: &str) -> Option<(&'static str, &'static str)> {
    SENTENCES.find(key)
}

/// `template` with each `{key}` replaced by `number(key)`; a `{` without its `}` and
/// everything after it are kept as they are. The one writer of every templated sentence.
/// (`number` is a `dyn` so that every caller shares one copy of this loop.)
pub(crate) fn fill(template: &str, number: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&number(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// A table of `(key, English, German)` rows as `build.rs` packs it (ADR 0030): every
/// row's key, English and German text one after the other in one text, deflated, with
/// where each of the three ends; inflated at the first row asked for and kept. Before, the
/// compiler packed the label table the same way without deflating it (issue 21,
/// BENCHMARKS.md "Size").
pub(crate) struct Packed {
    deflated: &'static [u8],
    len: usize,
    ends: &'static [[u16; 3]],
    text: OnceLock<String>,
}

impl Packed {
    /// Used by the code `build.rs` writes.
    pub(crate) const fn new(
        deflated: &'static [u8],
        len: usize,
        ends: &'static [[u16; 3]],
    ) -> Packed {
        Packed {
            deflated,
            len,
            ends,
            text: OnceLock::new(),
        }
    }

    /// The packed text, inflated once (empty only if the embedded bytes were damaged, and
    /// then every key is unknown).
    fn text(&self) -> &str {
        self.text.get_or_init(|| {
            miniz_oxide::inflate::decompress_to_vec_with_limit(self.deflated, self.len)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .unwrap_or_default()
        })
    }

    /// Row `index` as `(key, English, German)`.
    pub(crate) fn row(
        &'static self,
        index: usize,
    ) -> Option<(&'static str, &'static str, &'static str)> {
        let [key_end, en_end, de_end] = self.ends.get(index)?.map(usize::from);
        let start = match index.checked_sub(1) {
            Some(previous) => usize::from(self.ends.get(previous)?[2]),
            None => 0,
        };
        let text = self.text();
        Some((
            text.get(start..key_end)?,
            text.get(key_end..en_end)?,
            text.get(en_end..de_end)?,
        ))
    }

    /// Every row, in key order.
    pub(crate) fn rows(
        &'static self,
    ) -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
        (0..self.ends.len()).map_while(|index| self.row(index))
    }

    /// The English and German text of `key` (rows are in key order: a binary search).
    pub(crate) fn find(&'static self, key: &str) -> Option<(&'static str, &'static str)> {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let (k, en, de) = self.row(middle)?;
            match k.cmp(key) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some((en, de)),
            }
        }
        None
    }
}

fn rows() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    TABLE_PACKED.rows()
}

/// The text for `key` in `locale` (German for `de`, `de-AT`…; English otherwise), or
/// `None` when the key is unknown.
pub fn get(key: &str, locale: &str) -> Option<&'static str> {
    TABLE_PACKED
        .find(key)
        .map(|(en, de)| if german(locale) { de } else { en })
}

/// Every key of the table.
pub fn keys() -> impl Iterator<Item = &'static str> {
    rows().map(|(k, _, _)| k)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::sentences;
    use super::table::TABLE;
    use super::*;

    #[test]
    fn every_key_is_unique_and_has_english_and_german_text() {
        let mut seen = std::collections::HashSet::new();
        for (key, en, de) in TABLE {
            assert!(seen.insert(key), "{key} twice");
            assert!(!en.trim().is_empty(), "{key}: no English");
            assert!(!de.trim().is_empty(), "{key}: no German");
        }
        // Most labels differ between the languages; identical ones are listed on purpose.
        let same: Vec<&str> = TABLE
            .iter()
            .filter(|(_, en, de)| en == de)
            .map(|(k, _, _)| *k)
            .collect();
        assert_eq!(same, ["equipment.tape"], "German text left in English?");
    }

    /// A source table's rows as `build.rs` packs them: in key order.
    pub(crate) fn in_key_order<'a>(
        rows: &[(&'a str, &'a str, &'a str)],
    ) -> Vec<(&'a str, &'a str, &'a str)> {
        let mut rows = rows.to_vec();
        rows.sort_by_key(|row| row.0);
        rows
    }

    #[test]
    fn the_packed_table_holds_every_row_exactly() {
        let packed: Vec<_> = rows().collect();
        assert_eq!(packed, in_key_order(TABLE));
        for (key, en, de) in TABLE {
            assert_eq!(get(key, "en"), Some(*en));
            assert_eq!(get(key, "de-CH"), Some(*de));
        }
    }

    #[test]
    fn the_packed_sentences_are_sentences_rs_exactly() {
        let packed: Vec<_> = SENTENCES.rows().collect();
        assert_eq!(packed, in_key_order(sentences::SENTENCES));
        for (key, en, de) in sentences::SENTENCES {
            assert_eq!(sentence(key), Some((*en, *de)));
        }
        assert_eq!(sentence("safety.nothing"), None);
    }

    #[test]
    fn locales_resolve_with_english_fallback() {
        assert_eq!(get("step.rest", "de-AT"), Some("Pause"));
        assert_eq!(get("step.rest", "fr"), Some("Rest"));
        assert_eq!(get("step.nap", "en"), None);
        assert!(keys().count() > 100);
    }
}
