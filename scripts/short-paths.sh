#!/usr/bin/env bash
# Prints a `cargo --config` value that shortens the source paths a phone build writes into
# the library (issue 21, BENCHMARKS.md "Size"). Every panic location carries its file's path,
# and a dependency's path is its absolute place in cargo's registry
# (`/home/…/.cargo/registry/src/index.crates.io-<hash>/serde_json-1.0.154/src/de.rs`): ≈60
# bytes of machine-specific prefix on each of ≈56 files. `--remap-path-prefix` cuts that
# prefix to `crates/`, so a panic still names `crates/serde_json-1.0.154/src/de.rs` and the
# library no longer depends on the build machine's home folder. Host builds (tests, the CLI,
# the bindings' generation) are left as they are.
# Usage: cargo … --config "$(scripts/short-paths.sh)"
set -euo pipefail
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
flags=""
for index in "$registry"/*/; do
  [ -d "$index" ] || continue
  case $index in *'"'* | *'\'*) echo "short-paths: cannot quote $index" >&2; exit 1 ;; esac
  flags="$flags\"--remap-path-prefix=${index}=crates/\","
done
# `cfg(all())` matches every target, and cargo joins it with each target's own rustflags
# (.cargo/config.toml) instead of replacing them.
echo "target.'cfg(all())'.rustflags=[${flags%,}]"
