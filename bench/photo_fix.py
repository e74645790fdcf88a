"""Fixing a 4000×3000 camera JPEG to Yunnan's photo rule (≤ 20 KB, 1-inch): time and memory.

    .venv/bin/python bench/photo_fix.py [--runs 30]

Runs in one process (no threads in Pillow's encoder here; OpenCV's face detector may use both
cores). The inputs are 4000×3000 JPEGs at quality 92 of a synthetic head and shoulders (the fix cuts
the 1-inch photo around the face since issue 17), one with light and one with heavy noise, harder
to compress than a real photo. Target (issue 5): median ≤ 150 ms, peak memory ≤ 200 MB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accreg.uploads.imaging import ImageRule, process_image
from tests.pictures import portrait_jpeg

YN_PHOTO = ImageRule(("jpeg", "png"), max_bytes=20 * 1024, one_inch=True)


def noise_jpeg() -> bytes:
    # The worst case: a portrait under heavy grain, which even at 295×413 needs compressing to 20 KB.
    return portrait_jpeg(4000, 3000, face_width=0.2, noise=0.2, quality=92)


def camera_jpeg() -> bytes:
    # A head and shoulders against a wall with light grain: roughly what a phone photo of a person is.
    return portrait_jpeg(4000, 3000, centre_x=0.45, face_width=0.2, noise=0.08, quality=92)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:  # in a child process, so its memory does not count below
        directory = Path(args.generate)
        (directory / "camera.jpg").write_bytes(camera_jpeg())
        (directory / "noise.jpg").write_bytes(noise_jpeg())
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, __file__, "--generate", tmp], check=True)
        inputs = {name: (Path(tmp) / f"{name}.jpg").read_bytes() for name in ("camera", "noise")}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for name, data in inputs.items():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = process_image(data, YN_PHOTO)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(
            f"{name}: 4000×3000 JPEG {len(data) / 1024 / 1024:.1f} MB → {result.width}×{result.height} "
            f"{result.format} {result.size / 1024:.1f} KB ({', '.join(result.fixes)}); {args.runs} runs: "
            f"median {statistics.median(times):.0f} ms, p90 {times[int(len(times) * 0.9) - 1]:.0f} ms, "
            f"max {times[-1]:.0f} ms"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB (interpreter, Pillow and the inputs before processing: {before:.0f} MB)")


if __name__ == "__main__":
    main()
