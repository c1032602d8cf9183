#!/usr/bin/env bash
# Renders the whole drill clip pack into build/clips/ (or $1): one MP4 per catalog video,
# a poster PNG, WebVTT captions per locale and manifest.json; then checks it against the
# catalog (manifest, sha256, MP4 structure) and, where ffprobe is installed, with ffprobe.
# Extra arguments go to `talus-clips render` (e.g. --size 360 --only banded-df).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/clips}"
shift || true
# OpenH264's SIMD kernels are assembled with nasm; without it the encoder silently builds
# as plain C, which is slower. Its build script does not notice nasm arriving later, so a
# build made without it is redone once.
if ! command -v nasm >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get install -y -q nasm >/dev/null 2>&1 || {
    $sudo_cmd apt-get update -q >/dev/null && $sudo_cmd apt-get install -y -q nasm >/dev/null
  }
  cargo clean -q -p openh264-sys2 --profile clips
fi
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
