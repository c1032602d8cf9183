#!/usr/bin/env bash
# Checks scripts/short-paths.sh (the `--config` value the phone builds pass to shorten the
# dependencies' source paths in panic locations): one remapping per registry index under
# CARGO_HOME, none without a registry, and cargo accepts the value. Takes a second.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "short-paths: $*" >&2; exit 1; }
got=$(CARGO_HOME="$work/none" scripts/short-paths.sh)
[ "$got" = "target.'cfg(all())'.rustflags=[]" ] || fail "no registry: $got"
mkdir -p "$work/home/registry/src/index.crates.io-1949cf8c6b5b557f" "$work/home/registry/src/other-1"
got=$(CARGO_HOME="$work/home" scripts/short-paths.sh)
want="target.'cfg(all())'.rustflags=[\"--remap-path-prefix=$work/home/registry/src/index.crates.io-1949cf8c6b5b557f/=crates/\",\"--remap-path-prefix=$work/home/registry/src/other-1/=crates/\"]"
[ "$got" = "$want" ] || fail "two indexes: $got"
# cargo parses the value (a malformed one fails here).
cargo metadata -q --offline --no-deps --format-version 1 --config "$(scripts/short-paths.sh)" >/dev/null ||
  fail "cargo refuses the value"
cargo metadata -q --offline --no-deps --format-version 1 --config "target.'cfg(all())'.rustflags=[" \
  >/dev/null 2>&1 && fail "cargo accepted a malformed value, so the check above proves nothing"
echo "short-paths: ok"
