//! Replays every input kept in `fuzz/regressions/` (fuzzer crashers and seed corpus)
//! through the segment decoder, raw and with a recomputed digest, so `tests/run` keeps them
//! fixed without needing cargo-fuzz. Inputs named `valid-*` must decode.

use std::path::PathBuf;

use talus_core::sync::{decode_segment, encode_segment, seal_segment};

fn regressions_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions")
}

#[test]
fn kept_fuzz_inputs_never_panic_and_round_trip() {
    let mut replayed = 0;
    let mut valid = 0;
    for entry in std::fs::read_dir(regressions_dir()).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() || path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let resealed = data
            .len()
            .checked_sub(32)
            .map(|end| seal_segment(&data[..end]));
        let raw = decode_segment(&data);
        for candidate in std::iter::once(data.clone()).chain(resealed) {
            if let Ok(seg) = decode_segment(&candidate) {
                assert_eq!(decode_segment(&encode_segment(&seg)).ok(), Some(seg));
            }
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("valid-") {
            assert!(raw.is_ok(), "{name} no longer decodes: {raw:?}");
            valid += 1;
        }
        replayed += 1;
    }
    assert!(replayed > 0 && valid > 0, "regression corpus is missing");
}
