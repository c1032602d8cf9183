//! Fuzz target `session_snapshot`: the property is `checks::session_snapshot` (shared with the regression replay
//! in `core/tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::session_snapshot(data));
