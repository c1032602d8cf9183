#!/usr/bin/env bash
# Linker wrapper for the shipped Android library (issue 21, BENCHMARKS.md "Size"): links with
# the real linker ($TALUS_REAL_LINKER), after taking uniffi's metadata statics
# (`UNIFFI_META_*`, ≈60 KB of data plus their dynamic symbols) out of the export list rustc
# wrote, so --gc-sections drops them. Only uniffi-bindgen reads them, and the scripts run it
# on the host library built from the same checkout in the same script run
# (scripts/build-android.sh); at load time the Kotlin bindings still check every API
# checksum against this library (the `uniffi_talus_ffi_checksum_*` functions stay).
# rustc passes the export list as a GNU version script, one symbol per line.
set -euo pipefail
real=${TALUS_REAL_LINKER:?TALUS_REAL_LINKER must name the linker to run}
strip_meta() { if [ -f "$1" ]; then sed -i '/UNIFFI_META_/d' "$1"; fi; }
next_is_script=0
for arg in "$@"; do
  if [ $next_is_script = 1 ]; then strip_meta "${arg#-Wl,}"; next_is_script=0; continue; fi
  case $arg in
    -Wl,--version-script=*) strip_meta "${arg#-Wl,--version-script=}" ;;
    -Wl,--version-script,*) strip_meta "${arg#-Wl,--version-script,}" ;;
    --version-script=*) strip_meta "${arg#--version-script=}" ;;
    --version-script | -Wl,--version-script) next_is_script=1 ;;
  esac
done
exec "$real" "$@"
