#!/usr/bin/env bash
# Needs the Android NDK and cargo-ndk (not available on the Linux CI here): builds
# libtalus_ffi.so for the app ABIs into android/talus/src/main/jniLibs and generates the
# Android-flavoured Kotlin bindings into android/talus/build/generated/uniffi.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-ndk >/dev/null || { echo "install cargo-ndk and set ANDROID_NDK_HOME" >&2; exit 1; }
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o android/talus/src/main/jniLibs build --release -p talus-ffi
cargo build --release -p talus-ffi -p uniffi-bindgen
# Generate from the unstripped host library: stripping removes the metadata uniffi reads.
target/release/uniffi-bindgen generate --library target/release/libtalus_ffi.so \
  --language kotlin --out-dir android/talus/build/generated/uniffi
echo "now: cd android && gradle :talus:assembleRelease"
