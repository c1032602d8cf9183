#!/usr/bin/env bash
# Size of the phone library against its floors, all built the same way in the same run
# (issue 21, BENCHMARKS.md "Size"): the stripped aarch64 `libtalus_ffi.so`, built the way
# scripts/build-android.sh ships it (cdylib only, SQLite without unwind tables, packed
# relocations, uniffi's metadata left out by scripts/link-phone-lib.sh, the outliner
# threshold of ADR 0017 from .cargo/config.toml, safe identical code folding of ADR 0027),
# against `benches/floor` (uniffi + bundled rusqlite only, linked and built the same way):
#   - the issue's floor: rusqlite's default bundled SQLite;
#   - the same floor with this project's SQLite options (`.cargo/config.toml`) and C flags.
# Then section sizes, and `.text` and unwind data per crate (scripts/size-by-crate.py).
# Needs: rustup target aarch64-unknown-linux-gnu, Debian gcc-aarch64-linux-gnu, python3.
# Usage: scripts/size-report.sh   (three release cross builds: ~6–10 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
triple=aarch64-unknown-linux-gnu
# Linked through scripts/link-phone-lib.sh as build-android.sh links the shipped library: it
# keeps uniffi's metadata statics (read only by uniffi-bindgen, from the host build) out of
# the export list, so they are not linked. The floors are linked the same way.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=$PWD/scripts/link-phone-lib.sh
export TALUS_REAL_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
# Link the way the NDK links for the app's minSdk 26: lld with Android's packed relocations
# (`--pack-dyn-relocs=android`, .cargo/config.toml). rustup ships lld as a gcc-compatible
# `ld.lld` in the host toolchain's gcc-ld directory. The floors are linked the same way.
host=$(rustc -vV | sed -n 's/^host: //p')
gcc_ld="$(rustc --print sysroot)/lib/rustlib/$host/bin/gcc-ld"
# Safe identical code folding as the Android targets link (ADR 0027; `-addrsig` comes from
# .cargo/config.toml).
link_args=(-C "link-arg=-B$gcc_ld" -C link-arg=-fuse-ld=lld -C link-arg=-Wl,--pack-dyn-relocs=android
  -C link-arg=-Wl,--icf=safe -C link-arg=-Wl,-O2)
# Dependencies' source paths in panic locations shortened (scripts/short-paths.sh), as the
# phone build scripts do; the floors alike.
short_paths=$(scripts/short-paths.sh)
root=$PWD
out=$root/target/size-report
mkdir -p "$out"

# talus-ffi builds only the phone outputs (cdylib, staticlib; the rlib for the CLI and tests
# is bindings/api), so LTO keeps only what the exported C symbols reach. The C flags for
# SQLite come from .cargo/config.toml, as in any `cargo build` for a phone target; without
# default features, as the phone builds: no `dry_run_rules` body (ADR 0019).
nice cargo rustc -q --release --locked --no-default-features --config "$short_paths" \
  --target $triple -p talus-ffi --lib --crate-type cdylib -- "${link_args[@]}"
# The floor exactly as the issue defines it: rusqlite's default bundled SQLite with the C
# compiler's default flags. Empty variables in the environment win over .cargo/config.toml.
(cd benches/floor && LIBSQLITE3_FLAGS="" CFLAGS_aarch64_unknown_linux_gnu="" \
  CARGO_TARGET_DIR="$root/target/size-floor" \
  nice cargo rustc -q --release --locked --config "$short_paths" --target $triple --lib -- "${link_args[@]}")
# The same floor with this project's SQLite: its options and C flags, and the amalgamation
# whose parser knows them (vendor/libsqlite3-sys, ADR 0031). Built from a copy so the patch
# of libsqlite3-sys does not touch the floor's own manifest and lock file.
same_src=$root/target/size-floor-same-src
rm -rf "$same_src" && mkdir -p "$same_src" && cp -r benches/floor/. "$same_src/"
printf '\n[patch.crates-io]\nlibsqlite3-sys = { path = "%s" }\n' "$root/vendor/libsqlite3-sys" \
  >>"$same_src/Cargo.toml"
(cd "$same_src" && CARGO_TARGET_DIR="$root/target/size-floor-same" \
  nice cargo rustc -q --release --offline --config "$short_paths" --target $triple --lib -- "${link_args[@]}")

aarch64-linux-gnu-strip -o "$out/libtalus_ffi.so" target/$triple/release/libtalus_ffi.so
aarch64-linux-gnu-strip -o "$out/libfloor.so" target/size-floor/$triple/release/libtalus_size_floor.so
aarch64-linux-gnu-strip -o "$out/libfloor-same.so" \
  target/size-floor-same/$triple/release/libtalus_size_floor.so
project=$(stat -c %s "$out/libtalus_ffi.so")
floor=$(stat -c %s "$out/libfloor.so")
same=$(stat -c %s "$out/libfloor-same.so")
awk -v p="$project" -v f="$floor" -v s="$same" 'BEGIN {
  printf "stripped aarch64 libtalus_ffi.so: %.2f MB (%d bytes)\n", p / 1e6, p
  printf "  floor (uniffi + default bundled rusqlite): %.2f MB; ratio %.2fx\n", f / 1e6, p / f
  printf "  floor with the same SQLite options:        %.2f MB; ratio %.2fx\n", s / 1e6, p / s }'
echo "sections (bytes): project | floor | floor with the same SQLite"
sections() { aarch64-linux-gnu-size -A "$1" | awk '/^\./ {print $1, $2}' | sort; }
join -a1 -e0 -o 0,1.2,2.2 <(sections "$out/libtalus_ffi.so") <(sections "$out/libfloor.so") |
  join -a1 -e0 -o 0,1.2,1.3,2.2 - <(sections "$out/libfloor-same.so") |
  sort -k2 -n -r | awk '$2 > 10000 {printf "  %-20s %9d | %9d | %9d\n", $1, $2, $3, $4}'

# `.text` and unwind data (FDEs, their index, landing-pad tables) per crate, from the
# unstripped library's symbols and its .eh_frame.
python3 scripts/size-by-crate.py target/$triple/release/libtalus_ffi.so
