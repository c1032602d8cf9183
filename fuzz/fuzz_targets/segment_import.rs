//! Fuzz target `segment_import`: the property is `checks::segment_import` (shared with the regression replay
//! in `core/tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::segment_import(data));
