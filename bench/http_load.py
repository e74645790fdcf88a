"""Shared by the HTTP benchmarks: start gunicorn on a fresh data directory, and drive it from
concurrent clients on loopback (bounded in time; nothing leaves this machine)."""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("ACCREG_ENV", "development")  # a developer's machine: generated keys (decision 0020)
PY = sys.executable


def start_server(data_dir: Path, port: int, workers: int = 2) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "TASKS_BACKEND": "immediate",
        "DEBUG": "false",  # as in production: development's DEBUG logs every SQL statement
        "RATE_LIMIT_SESSIONS": "1000000/m",
        "RATE_LIMIT_SMS_CODES": "1000000/m",
        "RATE_LIMIT_ACCOUNTS": "1000000/m",
        "SMS_DAILY_LIMIT_PER_IP": "1000000",
    }
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "-c",
            "python:config.gunicorn",  # as deploy/serve: views imported and the GC frozen per worker
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command name) of every process on the machine (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            found.append((int(entry.name), int(stat[stat.rindex(")") + 2 :].split()[1]), name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far (those that ended are left out)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def server_and_database_pids(server: subprocess.Popen[bytes]) -> tuple[list[int], list[int]]:
    """The server's worker processes, and every PostgreSQL process of the machine (its backends
    included): to split a run's CPU between the application and the database. Run on a quiet
    machine, or other work on PostgreSQL counts too."""
    processes = _processes()
    workers = [pid for pid, parent, _ in processes if parent == server.pid] or [server.pid]
    return workers, [pid for pid, _, name in processes if name.startswith("postgres")]


def load(
    port: int,
    path: str,
    bodies: list[bytes] | None,
    seconds: float,
    clients: int,
    *,
    method: str = "POST",
    headers: list[dict[str, str]] | None = None,
) -> dict[str, float]:
    """`clients` threads, each with its own keep-alive connection, for `seconds`; body and headers
    rotate per request. Returns requests per second, median and p99 latency, status counts."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = index
        local: list[float] = []
        local_status: dict[int, int] = {}
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            extra = headers[n % len(headers)] if headers else {}
            if bodies is None:
                conn.request("GET", path, headers=extra)
            else:
                conn.request(method, path, bodies[n % len(bodies)], {"Content-Type": "application/json", **extra})
            n += clients
            response = conn.getresponse()
            response.read()
            local.append(time.perf_counter() - started)
            local_status[response.status] = local_status.get(response.status, 0) + 1
        with lock:
            latencies.extend(local)
            for status, count in local_status.items():
                statuses[status] = statuses.get(status, 0) + count

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "statuses": statuses,  # type: ignore[dict-item]
        "latencies": latencies,  # type: ignore[dict-item]  # seconds, sorted
    }
