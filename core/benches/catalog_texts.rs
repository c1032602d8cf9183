//! What the embedded catalog costs to decode once per process (ADR 0024), alternated round
//! by round and reported as medians and ratios against a floor measured in the same run:
//! - floor: the catalog as it was embedded before ADR 0024, every text in one postcard
//!   (re-encoded here from the whole catalog), decoded;
//! - the open path now: the catalog for plans (no long texts) decoded;
//! - the first drill screen or session: the whole catalog, i.e. the catalog for plans
//!   decoded once more and the deflated long texts inflated, decoded and put back.
//!
//! `cargo bench -p talus-core --bench catalog_texts [-- ROUNDS]` (default 2001).

use std::hint::black_box;
use std::time::Instant;

use talus_core::catalog::{decode_embedded, Catalog, CatalogFile};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2001);
    let whole = Catalog::embedded().unwrap();
    let before = postcard::to_allocvec(&CatalogFile {
        version: whole.version(),
        drills: whole.drills().to_vec(),
        assessments: whole.assessments().to_vec(),
    })
    .unwrap();
    assert_eq!(decode_embedded(true).unwrap().drills, whole.drills());
    let (mut floor, mut plans, mut texts) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(postcard::from_bytes::<CatalogFile>(black_box(&before)).unwrap());
        floor.push(t.elapsed().as_secs_f64() * 1e6);
        let t = Instant::now();
        black_box(decode_embedded(false).unwrap());
        plans.push(t.elapsed().as_secs_f64() * 1e6);
        let t = Instant::now();
        black_box(decode_embedded(true).unwrap());
        texts.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let (floor, plans, texts) = (median(floor), median(plans), median(texts));
    println!(
        "catalog decode, medians of {rounds} alternated rounds ({} B before):",
        before.len()
    );
    println!("  floor: every text in one postcard (before ADR 0024): {floor:.1} µs");
    println!(
        "  open path now, catalog for plans:                    {plans:.1} µs ({:.2}x)",
        plans / floor
    );
    println!(
        "  first drill screen or session, whole catalog:        {texts:.1} µs ({:.2}x)",
        texts / floor
    );
}
