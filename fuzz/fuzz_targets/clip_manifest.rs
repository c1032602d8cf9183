//! Fuzz target `clip_manifest`: the property is `checks::clip_manifest` (shared with the
//! regression replay in `core/tests/fuzz_regressions.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::clip_manifest(data));
