//! Fuzz target for the segment decoder: it must never panic, never allocate beyond the
//! input's size, and whatever it accepts must survive an encode/decode round trip.
//!
//! Each input is tried twice: as raw bytes (exercises size, magic, version and digest
//! checks) and with its last 32 bytes replaced by the correct digest, so mutations reach
//! the body parser, which random bytes would otherwise never get to through SHA-256.
#![no_main]

use libfuzzer_sys::fuzz_target;
use talus_core::sync::{decode_segment, encode_segment, seal_segment};

fuzz_target!(|data: &[u8]| {
    let resealed = data
        .len()
        .checked_sub(32)
        .map(|end| seal_segment(&data[..end]));
    for candidate in std::iter::once(data.to_vec()).chain(resealed) {
        if let Ok(segment) = decode_segment(&candidate) {
            let again = decode_segment(&encode_segment(&segment));
            assert_eq!(
                again.ok(),
                Some(segment),
                "accepted segment does not round-trip"
            );
        }
    }
});
