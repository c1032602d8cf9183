#!/usr/bin/env bash
# Needs the Android NDK and cargo-ndk (not available on the Linux CI here): builds
# libtalus_ffi.so for the app ABIs into android/talus/src/main/jniLibs and generates the
# Android-flavoured Kotlin bindings into android/talus/build/generated/uniffi.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-ndk >/dev/null || { echo "install cargo-ndk and set ANDROID_NDK_HOME" >&2; exit 1; }
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
# Size (issue 21, BENCHMARKS.md "Size"): SQLite's C code needs no unwind tables (no Rust
# frame unwinds through it: rusqlite catches a panic in any callback before returning to
# C), and the library is built as a cdylib alone, so LTO keeps only what its C symbols
# reach (`cargo build` would also build the `lib` crate type and keep every public Rust
# item). The SQLite options come from .cargo/config.toml. cargo-ndk prepends its --target
# to these CFLAGS.
unwind="-fno-asynchronous-unwind-tables -fno-unwind-tables"
export CFLAGS_aarch64_linux_android="$unwind" CFLAGS_armv7_linux_androideabi="$unwind" \
  CFLAGS_x86_64_linux_android="$unwind"
# --platform: the app's minSdk (android/*/build.gradle.kts), so the NDK links for what the
# app supports; .cargo/config.toml adds Android's packed relocations (API 23+), the
# outliner threshold (ADR 0017) and lld's safe identical code folding (ADR 0027).
# Without default features: the phone library keeps `dry_run_rules`'s signature only (ADR 0019).
# The library is linked through scripts/link-phone-lib.sh (our `-C linker` comes after
# cargo-ndk's and wins; the wrapper then runs cargo-ndk's linker, which runs the NDK's
# clang): it leaves uniffi's metadata statics out of the export list, so the shipped
# library does not carry them (≈70 KB). The bindings below are generated from the host
# library built from this same checkout, which keeps them.
# Dependencies' source paths in panic locations are shortened (scripts/short-paths.sh).
export TALUS_REAL_LINKER
TALUS_REAL_LINKER=$(command -v cargo-ndk)
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 --platform 26 \
  -o android/talus/src/main/jniLibs rustc --release -p talus-ffi --lib --crate-type cdylib --no-default-features \
  --config "$(scripts/short-paths.sh)" -- -C "linker=$PWD/scripts/link-phone-lib.sh"
cargo build --release -p talus-ffi -p uniffi-bindgen
# Generate from the unstripped host library: stripping removes the metadata uniffi reads.
target/release/uniffi-bindgen generate --library target/release/libtalus_ffi.so \
  --language kotlin --out-dir android/talus/build/generated/uniffi
echo "now: cd android && gradle :talus:assembleRelease"
