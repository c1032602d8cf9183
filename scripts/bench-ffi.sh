#!/usr/bin/env bash
# FFI cost from Kotlin over JNA (release library), every figure a ratio to a no-op uniffi call
# measured in the same rounds (tests/kotlin/src/FfiBench.kt). With a 10-year profile
# (TALUS_FIXTURE=<path of its talus.db>, made by `cargo run --release -p talus-core --example
# make_fixture -- <path>`), also today() warm against 2 × no-op + its own store reads, and
# reminders(): the Rust side (bindings/benches/ffi_parts.rs) first measures the same calls and
# their store reads on a copy of that profile, then Kotlin measures them across the FFI. The
# floor's reads come from the Rust phase before each Kotlin phase, so the two phases alternate
# TALUS_PASSES times (default 3; the later passes measure only the profile) and the script
# ends with each pass's today() warm line and the median ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/gen-bindings.sh --release
source scripts/kotlin-env.sh
rm -rf build/kotlin-bench
"$KOTLINC" -nowarn -cp "$KOTLIN_CP" build/bindings/kotlin/app/talus/core/talus_ffi.kt tests/kotlin/src/FfiBench.kt -d build/kotlin-bench 2>&1 | grep -v '^warning' || true
# One Rust phase on a fresh copy of the profile, then one Kotlin phase (`$1`: extra JVM options).
pass() {
  local props=()
  if [ -n "${TALUS_FIXTURE:-}" ]; then
    # A copy: opening a profile may migrate it, and today() stores the day's level decisions.
    local profile="$PWD/build/bench-profile" # absolute: cargo bench runs in the package folder
    rm -rf "$profile" && mkdir -p "$profile"
    cp "$TALUS_FIXTURE" "$profile/talus.db"
    local now_ms=1767078000000 # 2025-12-30 07:00 UTC, two days after the fixture's last day
    local zone=Europe/London
    # The release profile, as the library the JVM loads is built (the bench profile is opt-level 3).
    local parts
    parts=$(nice cargo bench -q --profile release -p talus-ffi --bench ffi_parts -- "$profile" "$now_ms" "$zone")
    echo "$parts"
    part() { awk -v k="$1" '$1 == k { print $2 }' <<<"$parts"; }
    props=(-Dtalus.profile="$profile" -Dtalus.nowMs="$now_ms" -Dtalus.zone="$zone"
      -Dtalus.todayStoreReadsNs="$(part today_store_reads_ns)" -Dtalus.todayRustNs="$(part today_rust_ns)"
      -Dtalus.remindersRustNs="$(part reminders_rust_ns)" -Dtalus.tickWorkRustNs="$(part tick_work_rust_ns)"
      -Dtalus.todayEmptyRustNs="$(part today_empty_rust_ns)")
  fi
  java -Djna.library.path=target/release "$@" "${props[@]}" -cp "build/kotlin-bench:$KOTLIN_CP" app.talus.core.tests.FfiBenchKt
}
log=build/bench-ffi.log
pass | tee "$log"
if [ -n "${TALUS_FIXTURE:-}" ]; then
  for _ in $(seq 2 "${TALUS_PASSES:-3}"); do
    echo "--- pass (the 10-year profile only)"
    pass -Dtalus.profileOnly=true | tee -a "$log"
  done
  echo "--- today() warm, pass by pass"
  grep '^today() warm' "$log"
  grep '^today() warm' "$log" | sed 's/.*µs  *\([0-9.]*\)×.*/\1/' | sort -n |
    awk '{ r[NR] = $1 } END { if (NR) printf "median of %d passes: %.2f×\n", NR, r[int((NR + 1) / 2)] }'
fi
