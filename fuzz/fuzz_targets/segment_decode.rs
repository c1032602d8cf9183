//! Fuzz target for the segment decoder: it must never panic, never allocate beyond the
//! input's size, and whatever it accepts must re-encode to the same bytes.
//!
//! Each input is tried twice: as raw bytes (exercises size, magic, version and digest
//! checks) and with a correct digest appended (so mutations reach the body parser, which a
//! random input would otherwise never pass the SHA-256 check to reach).
#![no_main]

use libfuzzer_sys::fuzz_target;
use talus_core::sync::{decode_segment, encode_segment, seal_segment};

fuzz_target!(|data: &[u8]| {
    for candidate in [data.to_vec(), seal_segment(data)] {
        if let Ok(segment) = decode_segment(&candidate) {
            let again = encode_segment(&segment);
            assert_eq!(again, candidate, "accepted segment is not canonical");
        }
    }
});
