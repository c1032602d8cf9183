#!/usr/bin/env python3
"""Second opinion on a rendered clip pack: ffprobe reads every MP4 in manifest.json and
must see one H.264 video stream of the manifest's size, its duration (within a frame),
one frame per 1/fps, and keyframes exactly at the segment starts."""
import json
import subprocess
import sys
from pathlib import Path


def probe(path, *args):
    out = subprocess.run(["ffprobe", "-v", "error", *args, str(path)],
                         check=True, capture_output=True, text=True).stdout
    return out


def main(pack):
    manifest = json.loads((pack / "manifest.json").read_text())
    problems = []
    for clip in manifest["clips"]:
        path = pack / clip["file"]
        info = json.loads(probe(path, "-show_streams", "-show_format", "-of", "json"))
        video = [s for s in info["streams"] if s["codec_type"] == "video"]
        name = clip["file"]
        if len(info["streams"]) != 1 or len(video) != 1:
            problems.append(f"{name}: {len(info['streams'])} streams")
            continue
        v = video[0]
        if v["codec_name"] != "h264" or (v["width"], v["height"]) != (clip["width"], clip["height"]):
            problems.append(f"{name}: {v['codec_name']} {v['width']}x{v['height']}")
        frame_s = 1 / clip["fps"]
        duration = float(info["format"]["duration"])
        if abs(duration - clip["duration_ms"] / 1000) > frame_s:
            problems.append(f"{name}: duration {duration}")
        keys = probe(path, "-select_streams", "v:0", "-skip_frame", "nokey",
                     "-show_entries", "frame=pts_time", "-of", "csv=p=0").split()
        keys = [round(float(k) * 1000) for k in keys]
        want = [s["keyframe_ms"] for s in clip["segments"]]
        if any(abs(a - b) > 1 for a, b in zip(keys, want)) or len(keys) != len(want):
            problems.append(f"{name}: keyframes at {keys} ms, segments start at {want}")
    for p in problems:
        print("ffprobe:", p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"ffprobe agrees on {len(manifest['clips'])} clips")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/clips"))
