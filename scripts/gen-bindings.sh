#!/usr/bin/env bash
# Builds talus-ffi and generates the Kotlin (JVM flavour for tests, Android flavour for the
# app) and Swift bindings into build/bindings. Generated code is not committed: it is
# reproducible from the library, and tests/run regenerates it on every run (ADR 0004).
# Usage: scripts/gen-bindings.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."
profile=debug
args=()
if [ "${1:-}" = "--release" ]; then profile=release; args=(--release); fi
cargo build -q "${args[@]}" -p talus-ffi -p uniffi-bindgen
lib="target/$profile/libtalus_ffi.so"
bindgen="target/$profile/uniffi-bindgen"
rm -rf build/bindings
"$bindgen" generate --no-format --library "$lib" --language kotlin --out-dir build/bindings/kotlin-android >/dev/null
"$bindgen" generate --no-format --config tests/kotlin/uniffi-jvm.toml --library "$lib" --language kotlin --out-dir build/bindings/kotlin >/dev/null
"$bindgen" generate --no-format --library "$lib" --language swift --out-dir build/bindings/swift >/dev/null
echo "bindings generated from $lib into build/bindings"
