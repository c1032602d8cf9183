//! Fuzz target `catalog_load`: the property is `checks::catalog_load` (shared with the regression replay
//! in `core/tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::catalog_load(data));
