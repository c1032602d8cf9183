#!/usr/bin/env bash
# Renders every Android screen state to PNG (build/screenshots): the app's Compose screens
# compiled with kotlinc's Compose compiler plugin against Compose Multiplatform desktop
# (fetched once from Maven Central into build/tools/compose-desktop, ~33 MB), fed by read
# models from the real core. 6 variants per state (light/dark, en/de, font scale 2.0).
# Expects the bindings compiled by tests/run's Kotlin step in build/kotlin/classes.
# Costs about 1–2 min of kotlinc and ~25 s CPU of rendering.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/kotlin-env.sh
jars=build/tools/compose-desktop
if [ ! -f "$jars/.complete" ]; then
  if ! command -v mvn >/dev/null; then
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get install -y -q maven >/dev/null 2>&1 || {
      $sudo_cmd apt-get update -q >/dev/null && $sudo_cmd apt-get install -y -q maven >/dev/null
    }
  fi
  rm -rf "$jars"
  mvn -q -B -f tests/android/screenshots/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$jars"
  touch "$jars/.complete"
fi
kotlin_lib=build/tools/node_modules/kotlin-compiler/lib
# kotlinc's own stdlib and coroutines replace the older copies Compose depends on.
compose_cp=$(ls "$jars"/*.jar | grep -v -E '/kotlin-stdlib|/kotlinx-coroutines-core' | tr '\n' ':')
cp="${compose_cp}build/kotlin/classes:$KOTLIN_CP:$kotlin_lib/kotlinx-coroutines-core-jvm.jar"
out=build/screenshots-classes
rm -rf "$out" build/screenshots
"$KOTLINC" -nowarn -jvm-target 17 -Xplugin="$kotlin_lib/compose-compiler-plugin.jar" -cp "$cp" \
  android/talus/src/main/kotlin/app/talus/shell/*.kt tests/android/src/Fakes.kt \
  android/app/src/main/kotlin/app/talus/ui/*.kt tests/android/screenshots/Render.kt -d "$out" 2>&1 | grep -v '^warning' || true
java -Djava.awt.headless=true -Djna.library.path=target/debug -cp "$out:$cp" \
  app.talus.android.screenshots.RenderKt build/screenshots
