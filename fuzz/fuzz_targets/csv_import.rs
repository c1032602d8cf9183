//! Fuzz target `csv_import`: the property is `checks::csv_import` (shared with the regression replay
//! in `core/tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::csv_import(data));
