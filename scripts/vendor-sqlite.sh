#!/usr/bin/env bash
# Regenerates the SQLite amalgamation in vendor/libsqlite3-sys (ADR 0031): rusqlite's own
# libsqlite3-sys 0.35.0, unchanged except for `sqlite3/sqlite3.{c,h}` and `sqlite3ext.h`,
# which are built here from SQLite's full source tree with this project's SQLITE_OMIT_*
# options also given to the parser generator (lemon) and the keyword hash, so the grammar
# has no rules for what the options leave out. The prebuilt amalgamation cannot do that:
# options that change the grammar only take effect when parse.c is regenerated.
#
# Source: Debian's copy of SQLite's release tarball (the registry this project may use),
# checked against the SHA-256 Debian publishes for it. Needs curl, xz, a C compiler and make;
# SQLite's build brings its own Tcl (jimsh). About 30 s. The options are read from
# .cargo/config.toml (LIBSQLITE3_FLAGS), the same list the C compiler gets, so the two cannot
# drift; run this again after changing them, then `cargo test` (core/tests/sqlite_build.rs
# checks the options and the version).
# Usage: scripts/vendor-sqlite.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version=3.53.4
url=http://deb.debian.org/debian/pool/main/s/sqlite3/sqlite3_${version}.orig.tar.xz
sha256=05366adc8ee80c6b1faa71285b49d133c2121238ca58934b077fdeb95934abd4

flags=$(sed -n 's/^LIBSQLITE3_FLAGS = "\(.*\)"$/\1/p' .cargo/config.toml)
# Only the -D options shape the grammar; the -U ones undo libsqlite3-sys's ENABLE defaults.
omit=$(tr ' ' '\n' <<<"$flags" | grep '^-D' | tr '\n' ' ')
[ -n "$omit" ] || { echo "no LIBSQLITE3_FLAGS in .cargo/config.toml" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -sSf -m 300 -o "$work/src.tar.xz" "$url"
echo "$sha256  $work/src.tar.xz" | sha256sum -c --quiet
tar -C "$work" -xJf "$work/src.tar.xz"
src="$work/sqlite3-$version"
(cd "$src" && ./configure --disable-tcl >/dev/null && make -s sqlite3.c OPT_FEATURE_FLAGS="$omit" >/dev/null)

dest=vendor/libsqlite3-sys/sqlite3
cp "$src/sqlite3.c" "$src/sqlite3.h" "$src/sqlite3ext.h" "$dest/"
echo "vendor/libsqlite3-sys: SQLite $version, parser generated with: $omit"
