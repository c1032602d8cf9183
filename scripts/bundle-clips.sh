#!/usr/bin/env bash
# Copies the rendered clip pack into an app at build time (the MP4s are never committed):
#   scripts/bundle-clips.sh ios      -> ios/build/clips   (project.yml's "Clips" folder)
#   scripts/bundle-clips.sh android  -> android/app/src/main/assets/clips
# Renders the pack first when build/clips has no manifest. The app's core validates the
# manifest against its catalog, so a stale pack is caught, not played.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  ios) dest=ios/build/clips ;;
  android) dest=android/app/src/main/assets/clips ;;
  *) echo "usage: $0 ios|android" >&2; exit 2 ;;
esac
[ -f build/clips/manifest.json ] || scripts/render-clips.sh
rm -rf "$dest"
mkdir -p "$dest"
cp build/clips/manifest.json build/clips/*.mp4 build/clips/*.png build/clips/*.vtt "$dest"/
echo "bundled $(ls "$dest"/*.mp4 | wc -l) clips ($(du -sh "$dest" | cut -f1)) into $dest"
