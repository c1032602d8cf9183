#!/usr/bin/env bash
# The Android shell layer on the JVM: compiles the platform-free part of android/talus
# (view models, effect dispatcher, reminder reconciliation, health import, sync bridge)
# with the journey tests and runs them against target/debug/libtalus_ffi.so with fakes for
# the platform. Expects the bindings compiled by tests/run's Kotlin step in build/kotlin/classes
# (compiles them itself when missing). Costs about a minute of kotlinc; the tests run in ~3 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/kotlin-env.sh
coroutines="build/tools/node_modules/kotlin-compiler/lib/kotlinx-coroutines-core-jvm.jar"
bindings=build/kotlin/classes
generated=build/bindings/kotlin/app/talus/core/talus_ffi.kt
if [ ! -f "$bindings/app/talus/core/Engine.class" ] || [ "$generated" -nt "$bindings/app/talus/core/Engine.class" ]; then
  "$KOTLINC" -nowarn -cp "$KOTLIN_CP" "$generated" -d "$bindings" 2>&1 | grep -v '^warning' || true
fi
out=build/android-shell/classes
rm -rf "$out"
"$KOTLINC" -nowarn -cp "$bindings:$KOTLIN_CP:$coroutines" \
  android/talus/src/main/kotlin/app/talus/shell/*.kt tests/android/src/*.kt -d "$out" 2>&1 | grep -v '^warning' || true
java -Djna.library.path=target/debug -cp "$out:$bindings:$KOTLIN_CP:$coroutines" app.talus.android.tests.RunAndroidTestsKt
