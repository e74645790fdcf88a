"""Peak memory of fixing the worst uploads (issue 13, item 4): each bomb of tests/uploads/corpus.py
goes through process_image in a fresh process, which reports its peak RSS (VmHWM).

    .venv/bin/python bench/upload_memory.py [--rule photo|document] [--with-django]

Target: a worker's peak stays under 300 MB for any upload. `--with-django` loads the whole site
first (django.setup() and the URL map), as a gunicorn worker has, so the figure is the worker's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
if {django!r}:
    import django
    django.setup()
    from django.urls import resolve
    resolve("/api/v1/health")
from accreg.uploads.imaging import ImageRefused, ImageRule, process_image
rules = {{
    "photo": ImageRule(("jpeg", "png"), max_bytes=20 * 1024, one_inch=True),
    "document": ImageRule(("jpeg", "png"), max_bytes=5 * 1024 * 1024 - 1),
}}
data = open(sys.argv[1], "rb").read()
before = hwm()
started = time.perf_counter()
try:
    result = process_image(data, rules[sys.argv[2]])
    outcome = f"fixed to {{result.width}}×{{result.height}} {{result.format}}"
except ImageRefused as refused:
    outcome = f"refused: {{refused}}"
print(f"{{before:.0f}}\\t{{hwm():.0f}}\\t{{(time.perf_counter() - started) * 1000:.0f}}\\t{{outcome}}")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rule", choices=["photo", "document"], default="document")
    parser.add_argument("--with-django", action="store_true")
    args = parser.parse_args()
    from tests.uploads.corpus import bombs

    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.setdefault("ACCREG_ENV", "development")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    code = CHILD.format(root=str(ROOT), django=args.with_django)
    worst = 0.0
    loaded = "interpreter, Pillow" + (", Django" if args.with_django else "")
    print(f"rule: {args.rule}; baseline = peak RSS before process_image ({loaded})")
    print(f"{'file':34} {'bytes':>9} {'baseline':>9} {'peak':>7}  {'ms':>6}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in bombs().items():
            path = Path(tmp) / name
            path.write_bytes(data)
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", code, str(path), args.rule], capture_output=True, text=True, env=env
            )
            if done.returncode:
                print(f"{name:34} {len(data):>9} crashed ({time.perf_counter() - started:.1f} s): {done.stderr[-300:]}")
                continue
            before, peak, ms, outcome = done.stdout.strip().split("\t", 3)
            worst = max(worst, float(peak))
            print(f"{name:34} {len(data):>9} {before:>6} MB {peak:>4} MB {ms:>6}  {outcome[:70]}")
    print(f"worst peak RSS: {worst:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
