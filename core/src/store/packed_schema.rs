//! The schema migrations' SQL (`schema::MIGRATIONS`) as the library holds it: one text,
//! deflated by `build.rs` (6.7 KB → 1.4 KB), inflated only when a profile is created or
//! upgraded; opening an up-to-date profile never reads it (issue 21, BENCHMARKS.md "Size").
//! A test checks every step is the schema's SQL exactly (SQLite keeps the `CREATE` text).

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

static DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/migrations.deflate"));

/// Every migration's SQL, one after the other (`None` only if the embedded bytes were
/// damaged).
pub(super) fn inflate() -> Option<String> {
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(DEFLATED, TEXT_LEN).ok()?;
    String::from_utf8(bytes).ok()
}

/// Migration `index` (0-based: it upgrades version `index` to `index + 1`) in the inflated
/// `text`.
pub(super) fn step(text: &str, index: usize) -> Option<&str> {
    let start = match index.checked_sub(1) {
        Some(previous) => *ENDS.get(previous)?,
        None => 0,
    };
    text.get(start..*ENDS.get(index)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::MIGRATIONS;

    #[test]
    fn every_packed_step_is_the_schema_s_sql_exactly() {
        let text = inflate().unwrap();
        for (index, sql) in MIGRATIONS.iter().enumerate() {
            assert_eq!(step(&text, index), Some(*sql), "migration {index}");
        }
        assert_eq!(step(&text, MIGRATIONS.len()), None);
    }
}
