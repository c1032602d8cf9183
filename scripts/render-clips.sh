#!/usr/bin/env bash
# Renders the whole drill clip pack into build/clips/ (or $1): one MP4 per catalog video,
# a poster PNG, WebVTT captions per locale and manifest.json; then checks it against the
# catalog (manifest, sha256, MP4 structure) and, where ffprobe is installed, with ffprobe.
# Extra arguments go to `talus-clips render` (e.g. --size 360 --only banded-df).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/clips}"
shift || true
cargo build -q -p talus-clips --profile clips --locked
rm -rf "$out"
nice target/clips/talus-clips render --out "$out" "$@"
partial=()
for a in "$@"; do [ "$a" = "--only" ] && partial=(--partial); done
target/clips/talus-clips check "$out" "${partial[@]}" | tail -1
if command -v ffprobe >/dev/null; then
  python3 scripts/ffprobe-clips.py "$out"
else
  echo "ffprobe not installed: skipped the second opinion (apt-get install ffmpeg)"
fi
