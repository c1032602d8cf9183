//! Fuzz target `backup_restore`: the property is `checks::backup_restore` (shared with the regression replay
//! in `core/tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::backup_restore(data));
