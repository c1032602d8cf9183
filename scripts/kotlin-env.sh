#!/usr/bin/env bash
# Sourced by tests/run and scripts/bench-ffi.sh: makes kotlinc, JNA and JUnit available,
# installing them into build/tools (npm) or from Debian when missing. Exports KOTLINC and
# KOTLIN_CP. Being sourced, it leaves the caller's shell options alone: every step that can
# fail returns non-zero instead of relying on `set -e`.
talus_kotlin_env() {
  local tools="build/tools" sudo_cmd=""
  KOTLINC="$tools/node_modules/kotlin-compiler/bin/kotlinc"
  if [ ! -x "$KOTLINC" ]; then
    mkdir -p "$tools" || return 1
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error kotlin-compiler@2.4.20 >/dev/null || return 1
  fi
  # gson reads the shared JSON test vectors in the Kotlin tests.
  if [ ! -f /usr/share/java/jna.jar ] || [ ! -f /usr/share/java/junit4.jar ] || [ ! -f /usr/share/java/gson.jar ]; then
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get install -y -q libjna-java junit4 libgoogle-gson-java >/dev/null 2>&1 || {
      $sudo_cmd apt-get update -q >/dev/null &&
        $sudo_cmd apt-get install -y -q libjna-java junit4 libgoogle-gson-java >/dev/null
    } || return 1
  fi
  KOTLIN_CP="/usr/share/java/jna.jar:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar:/usr/share/java/gson.jar:$tools/node_modules/kotlin-compiler/lib/kotlin-stdlib.jar"
  export KOTLINC KOTLIN_CP
}
talus_kotlin_env || { echo "kotlin-env: could not install kotlinc/JNA/JUnit" >&2; return 1 2>/dev/null || exit 1; }
