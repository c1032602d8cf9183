#!/usr/bin/env bash
# Size of the phone library against its floor, both built the same way in the same run:
# stripped aarch64 `libtalus_ffi.so` vs `benches/floor` (uniffi + bundled rusqlite only),
# plus section sizes and, when `cargo bloat` is installed, the share of each crate.
# Needs: rustup target aarch64-unknown-linux-gnu, Debian gcc-aarch64-linux-gnu.
# Usage: scripts/size-report.sh   (two release cross builds: ~3–6 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
triple=aarch64-unknown-linux-gnu
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
root=$PWD
out=$root/target/size-report
mkdir -p "$out"
nice cargo build -q --release --locked --target $triple -p talus-ffi --lib
(cd benches/floor && CARGO_TARGET_DIR="$root/target/size-floor" nice cargo build -q --release --locked --target $triple)
aarch64-linux-gnu-strip -o "$out/libtalus_ffi.so" target/$triple/release/libtalus_ffi.so
aarch64-linux-gnu-strip -o "$out/libfloor.so" target/size-floor/$triple/release/libtalus_size_floor.so
project=$(stat -c %s "$out/libtalus_ffi.so")
floor=$(stat -c %s "$out/libfloor.so")
awk -v p="$project" -v f="$floor" 'BEGIN {
  printf "stripped %s libtalus_ffi.so: %.2f MB; floor (uniffi + bundled rusqlite): %.2f MB; ratio %.2fx\n",
    "aarch64", p / 1e6, f / 1e6, p / f }'
echo "sections (bytes): project | floor"
join -a1 -e0 -o 0,1.2,2.2 \
  <(aarch64-linux-gnu-size -A "$out/libtalus_ffi.so" | awk '/^\./ {print $1, $2}' | sort) \
  <(aarch64-linux-gnu-size -A "$out/libfloor.so" | awk '/^\./ {print $1, $2}' | sort) |
  sort -k2 -n -r | awk '$2 > 10000 {printf "  %-20s %9d | %9d\n", $1, $2, $3}'
if cargo bloat --version >/dev/null 2>&1; then
  echo "text by crate (cargo bloat, unstripped build):"
  nice cargo bloat -q --release --locked --target $triple -p talus-ffi --lib --crates -n 14 2>/dev/null | sed 's/^/  /'
fi
