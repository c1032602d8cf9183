#!/usr/bin/env bash
# macOS only (needs Xcode): builds TalusCoreFFI.xcframework for iOS devices, iOS simulators
# and macOS (the macOS slice exists so `swift test` runs the view-model tests on a Mac), and
# copies the generated Swift bindings into ios/Sources/TalusKit. The one way to build the
# native part of the iOS app. Not runnable on Linux.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname)" = "Darwin" ] || { echo "build-xcframework.sh needs macOS with Xcode" >&2; exit 1; }
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
# Size (issue 21, see scripts/build-android.sh): SQLite without unwind tables, and the
# static library built alone so LTO keeps only what its C symbols reach. The iOS slices are
# built without default features: `dry_run_rules` keeps its signature only (ADR 0019); the
# macOS slices (for `swift test`) keep it. Dependencies' source paths in panic locations are
# shortened (scripts/short-paths.sh).
short_paths=$(scripts/short-paths.sh)
for t in "${targets[@]}"; do
  features=()
  case $t in *-ios*) features=(--no-default-features) ;; esac
  env "CFLAGS_${t//-/_}=-fno-asynchronous-unwind-tables -fno-unwind-tables" \
    cargo rustc --release -p talus-ffi --lib --crate-type staticlib "${features[@]}" --target "$t" \
      --config "$short_paths"
done
cargo build --release -p uniffi-bindgen
out=build/xcframework; rm -rf "$out"; mkdir -p "$out/headers" "$out/sim" "$out/macos"
# Generate from an unstripped library: stripping removes the metadata uniffi reads.
target/release/uniffi-bindgen generate --library target/aarch64-apple-ios/release/libtalus_ffi.a \
  --language swift --out-dir "$out/gen"
cp "$out/gen/TalusCoreFFI.h" "$out/headers/"
cp "$out/gen/TalusCoreFFI.modulemap" "$out/headers/module.modulemap"
cp "$out/gen/TalusCore.swift" ios/Sources/TalusKit/TalusCore.swift
lipo -create target/aarch64-apple-ios-sim/release/libtalus_ffi.a target/x86_64-apple-ios/release/libtalus_ffi.a \
  -output "$out/sim/libtalus_ffi.a"
lipo -create target/aarch64-apple-darwin/release/libtalus_ffi.a target/x86_64-apple-darwin/release/libtalus_ffi.a \
  -output "$out/macos/libtalus_ffi.a"
for lib in target/aarch64-apple-ios/release/libtalus_ffi.a "$out/sim/libtalus_ffi.a" "$out/macos/libtalus_ffi.a"; do
  strip -S -x "$lib"
done
mkdir -p ios/build
xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/release/libtalus_ffi.a -headers "$out/headers" \
  -library "$out/sim/libtalus_ffi.a" -headers "$out/headers" \
  -library "$out/macos/libtalus_ffi.a" -headers "$out/headers" \
  -output ios/build/TalusCoreFFI.xcframework
echo "ios/build/TalusCoreFFI.xcframework ready; see ios/README.md (swift test, xcodegen, xcodebuild)"
