"""Slow phones uploading while everyone else is served (issue 12).

    .venv/bin/python bench/slow_uploads.py [--clients 20] [--kbit 400] [--idle 15] [--port 8874]

Starts the web tier exactly as `make run` does (deploy/serve: nginx in front of threaded gunicorn)
on a fresh data directory, with one accountant per client. Then, first with no uploads and then
while `--clients` clients each send a 3 MB camera JPEG to PUT /api/v1/me/record/materials/photo,
pacing their own writes on loopback to `--kbit` kbit/s, a separate client requests
GET /api/v1/health and a portal page in a loop. One more client sends a third of its photo and then
falls silent, to show a stalled upload closed without an error from the application.

Reports each upload's status and wall time, how many photos were stored, and health and page
p50/p99 idle and during the uploads. Targets: every upload stored; health p99 during the uploads at
most 3× its idle p99 and under 300 ms.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from http_load import PY, ROOT
from PIL import Image, ImageDraw
from record_api import PEOPLE

CHUNK = 2048


def camera_jpeg(target_bytes: int = 3_000_000) -> bytes:
    """A 4000×3000 photo-like JPEG of about `target_bytes` (noise so it does not compress away)."""
    noise = Image.effect_noise((4000, 3000), 40)
    image = Image.merge("RGB", (noise, noise.rotate(180), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    ImageDraw.Draw(image).ellipse((1200, 500, 2800, 2300), fill=(224, 172, 140))
    for quality in range(60, 96, 3):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        if out.tell() >= target_bytes:
            return out.getvalue()
    return out.getvalue()


def multipart(photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="IMG_0001.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return head + photo + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def read_status(sock: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return 0  # closed without an answer
        data += chunk
    return int(data.split(b" ", 2)[1])


def paced_upload(port: int, token: str, body: bytes, content_type: str, bytes_per_s: float, stop_after: int = 0):
    """Send like a phone on a slow line: CHUNK bytes at a time, never faster than bytes_per_s.
    With stop_after, fall silent after that many bytes and wait for the server to hang up."""
    started = time.perf_counter()
    sock = socket.create_connection(("127.0.0.1", port), timeout=300)
    head = (
        f"PUT /api/v1/me/record/materials/photo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    sock.sendall(head)
    sent = 0
    limit = stop_after or len(body)
    while sent < limit:
        piece = body[sent : min(sent + CHUNK, limit)]
        sock.sendall(piece)
        sent += len(piece)
        pause = started + sent / bytes_per_s - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
    try:
        status = read_status(sock)
    except (ConnectionResetError, TimeoutError):
        status = 0
    sock.close()
    return status, time.perf_counter() - started


def monitor(port: int, stop: threading.Event, samples: dict[str, list[float]], statuses: dict[int, int]) -> None:
    """GET health and a portal page in turn, each on its own keep-alive connection."""
    import http.client

    connections = {path: http.client.HTTPConnection("127.0.0.1", port, timeout=60) for path in samples}
    while not stop.is_set():
        for path, conn in connections.items():
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            samples[path].append(time.perf_counter() - started)
            statuses[response.status] = statuses.get(response.status, 0) + 1
        time.sleep(0.02)


def measure(port: int, seconds: float | None, until: threading.Event | None = None):
    samples: dict[str, list[float]] = {"/api/v1/health": [], "/chongqing/": []}
    statuses: dict[int, int] = {}
    stop = until or threading.Event()
    thread = threading.Thread(target=monitor, args=(port, stop, samples, statuses))
    thread.start()
    if seconds is not None:
        time.sleep(seconds)
        stop.set()
    return thread, samples, statuses


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms  ({len(ordered)} requests)"


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--kbit", type=float, default=400)
    parser.add_argument("--idle", type=float, default=15)
    parser.add_argument("--port", type=int, default=8874)
    args = parser.parse_args()
    photo = camera_jpeg()
    body, content_type = multipart(photo)
    with tempfile.TemporaryDirectory(prefix="accreg-bench-") as tmp:
        env = {
            **os.environ,
            "DATA_DIR": tmp,
            "TASKS_BACKEND": "immediate",
            "PORT": str(args.port),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PY, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
        tokens = subprocess.run(
            [PY, "-c", PEOPLE.format(count=args.clients + 1)], cwd=ROOT, env=env, capture_output=True, text=True
        ).stdout.split()
        log = open(Path(tmp) / "serve.log", "w")  # noqa: SIM115 (open for the server's life)
        server = subprocess.Popen([str(ROOT / "deploy" / "serve")], cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            _wait_for(args.port)
            print(
                f"== deploy/serve (nginx + gunicorn gthread), {args.clients} uploads of {len(photo) / 1e6:.1f} MB "
                f"at {args.kbit:.0f} kbit/s, database {os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}"
            )
            thread, idle, _ = measure(args.port, args.idle)
            thread.join()
            results: list[tuple[int, float]] = []
            lock = threading.Lock()
            rate = args.kbit * 1000 / 8

            def one(token: str, stop_after: int = 0) -> None:
                outcome = paced_upload(args.port, token, body, content_type, rate, stop_after)
                with lock:
                    results.append((-1 if stop_after else outcome[0], outcome[1]))
                    if stop_after:
                        print(f"  stalled upload: status {outcome[0] or 'closed'} after {outcome[1]:.1f} s")

            uploads = [threading.Thread(target=one, args=(t,)) for t in tokens[: args.clients]]
            stalled = threading.Thread(target=one, args=(tokens[args.clients], len(body) // 3))
            done = threading.Event()
            thread, busy, busy_statuses = measure(args.port, None, done)
            for upload in [*uploads, stalled]:
                upload.start()
            for upload in uploads:
                upload.join()
            done.set()
            thread.join()
            stalled.join()
        finally:
            server.terminate()
            server.wait(timeout=20)
            log.close()
        stored = len(list((Path(tmp) / "uploads" / "materials").glob("*/photo-*")))
        server_errors = (Path(tmp) / "serve.log").read_text().count('" 500 ')
        finished = sorted(t for status, t in results if status != -1)
        ok = sum(1 for status, _ in results if status == 200)
        print(f"  uploads answered 200: {ok}/{args.clients}; photos stored: {stored}; 500s in the log: {server_errors}")
        median = statistics.median(finished)
        print(f"  upload wall time: min {finished[0]:.1f} s  median {median:.1f} s  max {finished[-1]:.1f} s")
        for path in idle:
            print(f"  {path:<16} idle   {percentiles(idle[path])}")
            print(f"  {path:<16} during {percentiles(busy[path])}  all statuses {busy_statuses}")
        ratio = p99(busy["/api/v1/health"]) / p99(idle["/api/v1/health"])
        print(f"  health p99 during / idle: {ratio:.2f}×")


def _wait_for(port: int) -> None:
    import http.client

    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


if __name__ == "__main__":
    main()
