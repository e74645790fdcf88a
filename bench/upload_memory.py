"""Peak memory of fixing the worst uploads (issue 13, item 4): each bomb of tests/uploads/corpus.py
goes through process_image in a fresh process, which reports its peak RSS (VmHWM).

    .venv/bin/python bench/upload_memory.py [--rule photo|document] [--with-django]
    .venv/bin/python bench/upload_memory.py --through-http

Target: a worker's peak stays under 300 MB for any upload. `--with-django` loads the whole site
first (django.setup() and the URL map), as a gunicorn worker has, so the figure is the worker's.
`--through-http` uploads every bomb, one after the other, to a real gunicorn (2 sync workers, fresh
SQLite in a temporary folder) as an ID card side, and reads the workers' VmHWM after each.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
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


def worker_peaks(master: int) -> list[float]:
    peaks = []
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


def put(port: int, token: str, data: bytes, name: str = "photo.png") -> tuple[int, dict, float]:
    """One upload of an ID card side, as a phone sends it: (status, answer, milliseconds)."""
    boundary = "accreg-bench-boundary"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'
    body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    conn.request("PUT", "/api/v1/me/record/materials/id_front", body, headers)
    response = conn.getresponse()
    answer = json.loads(response.read() or b"{}")
    return response.status, answer, (time.perf_counter() - started) * 1000


def through_http(port: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from http_load import PY, start_server
    from record_api import PEOPLE

    from tests.uploads.corpus import bombs

    with tempfile.TemporaryDirectory(prefix="accreg-bench-") as tmp:
        server = start_server(Path(tmp), port)
        try:
            env = {**os.environ, "DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "config.settings"}
            make = [PY, "-c", PEOPLE.format(count=1)]
            token = subprocess.run(make, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
            print(f"{'file':34} {'bytes':>9} {'status':>6} {'ms':>6}  workers' peak RSS so far (MB)  answer")
            print(f"{'(after start and one health check)':34} {'':>9} {'':>6} {'':>6}  {worker_peaks(server.pid)}")
            for name, data in bombs().items():
                status, answer, ms = put(port, token, data, name)
                said = answer.get("error", {}).get("message") or f"{answer.get('width')}×{answer.get('height')}"
                peaks = [round(p) for p in worker_peaks(server.pid)]
                print(f"{name:34} {len(data):>9} {status:>6} {ms:>6.0f}  {peaks!s:30}  {said[:40]}")
            # The report's stall: 8 of the 230-byte bombs at once, and /api/v1/health asked meanwhile.
            bomb = bombs()["grey16-7745-truncated.png"]
            threads = [threading.Thread(target=put, args=(port, token, bomb)) for _ in range(8)]
            for thread in threads:
                thread.start()
            waits: list[float] = []
            while any(thread.is_alive() for thread in threads) or not waits:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                started = time.perf_counter()
                conn.request("GET", "/api/v1/health")
                conn.getresponse().read()
                waits.append((time.perf_counter() - started) * 1000)
            print(f"8 bombs at once: /api/v1/health answered {len(waits)} times meanwhile, slowest {max(waits):.0f} ms")
        finally:
            server.terminate()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rule", choices=["photo", "document"], default="document")
    parser.add_argument("--with-django", action="store_true")
    parser.add_argument("--through-http", action="store_true")
    parser.add_argument("--port", type=int, default=8873)
    args = parser.parse_args()
    if args.through_http:
        through_http(args.port)
        return
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
