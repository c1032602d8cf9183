#!/usr/bin/env bash
# Checks scripts/link-phone-lib.sh (the linker wrapper of the shipped Android library): it
# deletes exactly the `UNIFFI_META_*` lines from the version script rustc passes, in every
# form rustc or a compiler driver may pass it, keeps every other export, and runs the real
# linker with the arguments unchanged. Uses a fake linker; takes milliseconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/fake-linker" <<'FAKE'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$FAKE_ARGS"
FAKE
chmod +x "$work/fake-linker"
export TALUS_REAL_LINKER="$work/fake-linker" FAKE_ARGS="$work/args"
list() {
  printf '{\n  global:\n    uniffi_talus_ffi_fn_func_core_version;\n'
  printf '    UNIFFI_META_TALUS_FFI_FUNC_CORE_VERSION;\n'
  printf '    uniffi_talus_ffi_checksum_func_core_version;\n'
  printf '    UNIFFI_META_TALUS_FFI_METHOD_ENGINE_TODAY;\n'
  printf '    ffi_talus_ffi_uniffi_contract_version;\n  local:\n    *;\n};\n'
}
expected=$'{\n  global:\n    uniffi_talus_ffi_fn_func_core_version;\n    uniffi_talus_ffi_checksum_func_core_version;\n    ffi_talus_ffi_uniffi_contract_version;\n  local:\n    *;\n};'
check() {
  local form=$1
  shift
  list >"$work/list"
  scripts/link-phone-lib.sh -shared -o "$work/out.so" "$@" -lc
  if [ "$(cat "$work/list")" != "$expected" ]; then
    echo "link-phone-lib: $form: wrong export list:" >&2
    cat "$work/list" >&2
    exit 1
  fi
  if [ "$(cat "$work/args")" != "$(printf '%s\n' -shared -o "$work/out.so" "$@" -lc)" ]; then
    echo "link-phone-lib: $form: the real linker got different arguments" >&2
    exit 1
  fi
}
check "-Wl,--version-script=" "-Wl,--version-script=$work/list"
check "-Wl,--version-script," "-Wl,--version-script,$work/list"
check "--version-script=" "--version-script=$work/list"
check "--version-script FILE" --version-script "$work/list"
check "-Wl,--version-script -Wl,FILE" -Wl,--version-script "-Wl,$work/list"
printf '%s\n' -shared "-Wl,--version-script=$work/list" >"$work/response"
check "@response file" "@$work/response"
# Without a version script (e.g. an executable) nothing is touched and the link still runs.
list >"$work/list"
scripts/link-phone-lib.sh -o "$work/a.out" main.o
[ "$(cat "$work/args")" = "$(printf '%s\n' -o "$work/a.out" main.o)" ]
list | cmp -s - "$work/list"
# The real linker's failure is the wrapper's failure.
if TALUS_REAL_LINKER=false scripts/link-phone-lib.sh -o x; then
  echo "link-phone-lib: a failing linker must fail the link" >&2
  exit 1
fi
echo "link-phone-lib: ok"
