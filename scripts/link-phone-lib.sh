#!/usr/bin/env bash
# Linker wrapper for the shipped Android library (issue 21, BENCHMARKS.md "Size"): links with
# the real linker ($TALUS_REAL_LINKER), after taking uniffi's metadata statics
# (`UNIFFI_META_*`, ≈60 KB of data plus their dynamic symbols) out of the export list rustc
# wrote, so --gc-sections drops them. Only uniffi-bindgen reads them, and the scripts run it
# on the host library built from the same checkout in the same script run
# (scripts/build-android.sh). The `uniffi_talus_ffi_checksum_*` functions stay, so bindings
# that check checksums at load (Swift's) still can; the Kotlin bindings skip that check
# (`omit_checksums` in bindings/uniffi.toml, a uniffi bug on 32-bit ARM).
# rustc passes the export list as a GNU version script, one symbol per line.
set -euo pipefail
real=${TALUS_REAL_LINKER:?TALUS_REAL_LINKER must name the linker to run}
strip_meta() { if [ -f "$1" ]; then sed -i '/UNIFFI_META_/d' "$1"; fi; }
next_is_script=0
scan() {
  if [ $next_is_script = 1 ]; then strip_meta "${1#-Wl,}"; next_is_script=0; return; fi
  case $1 in
    -Wl,--version-script=*) strip_meta "${1#-Wl,--version-script=}" ;;
    -Wl,--version-script,*) strip_meta "${1#-Wl,--version-script,}" ;;
    --version-script=*) strip_meta "${1#--version-script=}" ;;
    --version-script | -Wl,--version-script) next_is_script=1 ;;
  esac
}
for arg in "$@"; do
  # rustc passes the arguments in a response file (one a line) when the command line is
  # too long for the system.
  if [[ $arg == @* && -f ${arg#@} ]]; then
    while IFS= read -r line; do scan "$line"; done <"${arg#@}"
  else
    scan "$arg"
  fi
done
exec "$real" "$@"
