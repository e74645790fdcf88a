"""The web tier as `make run` starts it (deploy/serve: nginx in front of threaded gunicorn), for
real: it answers through nginx, refuses a body over the limit in Chinese before the application
sees it, and serves everyone else while an upload trickles in. The 20-phone figures are in
bench/slow_uploads.py. Skipped where nginx is not installed, except in CI."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() and not os.environ.get("CI"), reason="nginx not installed (apt-get install nginx)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


@pytest.fixture(scope="module")
def web() -> Iterator[int]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="accreg-web-test-") as data:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            DATA_DIR=data,
            PORT=str(port),
            WEB_WORKERS="1",
            WEB_THREADS="4",
            VENV=str(Path(sys.executable).parent.parent),
        )
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen([str(ROOT / "deploy" / "serve")], cwd=ROOT, env=env)
        try:
            for _ in range(150):
                try:
                    if get(port, "/api/v1/health")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail("deploy/serve did not answer on its port")
            yield port
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_pages_are_answered_through_nginx(web):
    status, body = get(web, "/api/v1/health")
    assert status == 200 and b'"status"' in body


def test_a_body_over_the_limit_is_refused_in_chinese_before_the_application(web):
    conn = http.client.HTTPConnection("127.0.0.1", web, timeout=10)
    conn.putrequest("PUT", "/api/v1/me/record/materials/photo")
    conn.putheader("Content-Length", str(22 * 1024 * 1024))
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413
    assert "文件太大（超过20MB），无法上传" in response.read().decode()


def test_everyone_is_served_while_an_upload_trickles_in(web):
    """A 240 KB body sent at 60 KB/s (4 s): no thread waits for it, so health answers at once all
    along, and the upload itself is answered by the application once it has all arrived."""
    body = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'
    body += b"\xff" * 240_000 + b"\r\n--x--\r\n"
    answer: dict[str, object] = {}

    def trickle() -> None:
        sock = socket.create_connection(("127.0.0.1", web), timeout=60)
        sock.sendall(
            b"PUT /api/v1/me/record/materials/photo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        for start in range(0, len(body), 6000):
            sock.sendall(body[start : start + 6000])
            time.sleep(0.1)
        answer["status_line"] = sock.recv(200).split(b"\r\n", 1)[0]
        sock.close()

    # Hold every gunicorn thread's chance: more trickling uploads than threads behind nginx.
    uploads = [threading.Thread(target=trickle) for _ in range(6)]
    for upload in uploads:
        upload.start()
    time.sleep(1)
    during = [get(web, "/api/v1/health")[0] for _ in range(10)]
    alive = any(upload.is_alive() for upload in uploads)
    for upload in uploads:
        upload.join()

    assert alive and during == [200] * 10
    assert answer["status_line"] == b"HTTP/1.1 401 Unauthorized"  # the application read it whole: no token
