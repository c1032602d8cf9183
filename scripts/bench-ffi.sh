#!/usr/bin/env bash
# Kotlin micro-benchmark of FFI cost (release library), ratios against a no-op call.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/gen-bindings.sh --release
source scripts/kotlin-env.sh
rm -rf build/kotlin-bench
"$KOTLINC" -nowarn -cp "$KOTLIN_CP" build/bindings/kotlin/app/talus/core/talus_ffi.kt tests/kotlin/src/FfiBench.kt -d build/kotlin-bench 2>&1 | grep -v '^warning' || true
java -Djna.library.path=target/release -cp "build/kotlin-bench:$KOTLIN_CP" app.talus.core.tests.FfiBenchKt
