"""Issue 16 item 2 for real: with TASKS_BACKEND=redis the same tasks are queued in Redis and run by
RQ's workers (`manage.py run_worker`, `run_workers`), in processes of their own against a
PostgreSQL cluster of the test's own and a Redis database of the test's own (db 14 of the
machine's Redis, emptied first; ACCREG_TEST_REDIS_URL to choose another). Skipped where initdb
is missing or Redis does not answer."""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.worker import Worker

from tests.redis_test_db import REDIS_URL, redis_answers

from . import pg_cluster
from .worker_scenarios import ROOT, SEED_EXPORT, START_EXPORT, App

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not pg_cluster.available(), reason=f"PostgreSQL's initdb not found in {pg_cluster.PG_BIN}"),
    pytest.mark.skipif(not redis_answers(), reason=f"no Redis answers at {REDIS_URL}"),
]


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    cluster = pg_cluster.PgCluster().create()
    try:
        with tempfile.TemporaryDirectory(prefix="accreg-app-") as data:
            app = App(cluster, Path(data))
            app.env.update(
                TASKS_BACKEND="redis",
                TASKS_REDIS_URL=REDIS_URL,
                WORKER_HEARTBEAT_SECONDS="1",  # a killed worker is taken as dead after 3 s
                TASK_TIME_LIMITS=json.dumps({"*": 120}),
            )
            app.prepare()
            app.manage("shell", "-c", SEED_EXPORT)  # a reviewer and one record to export
            yield app
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def queues() -> Iterator[redis.Redis]:
    """The test's Redis database, emptied before and after."""
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()


@pytest.fixture(scope="module")
def workers(app: App, queues: redis.Redis) -> Iterator[App]:
    """`run_workers` as `make run` starts it (one worker per queue, each started again if it exits)
    and a second SMS worker beside it, as another machine would run one."""
    log = app.worker_log.open("ab")
    started = [
        subprocess.Popen(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=app.env, stdout=log, stderr=subprocess.STDOUT
        )
        for command in (["run_workers"], ["run_worker", "--queue-name", "sms"])
    ]
    wait_for(lambda: len(workers_on(queues, "sms")) == 2 and workers_on(queues, "default"), what="the workers")
    yield app
    for process in started:
        process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition: Callable[[], object], *, patience: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + patience
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def workers_on(connection: redis.Redis, queue: str) -> list[Worker]:
    return [w for w in Worker.all(connection=connection) if queue in w.queue_names()]


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (RQ's work horse is in a process group of its own)."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found


def test_two_workers_at_once_deliver_each_of_a_burst_of_sms_exactly_once_through_redis(workers, queues):
    app = workers
    burst = subprocess.run(
        [sys.executable, "-m", "tests.integration.sms_burst", "100", "200"],
        cwd=ROOT,
        env=app.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert burst.returncode == 0, burst.stderr
    wait_for(lambda: len(app.outbox_lines()) >= 100, what="100 SMS")
    done = lambda: {w.name: w.successful_job_count for w in workers_on(queues, "sms")}  # noqa: E731
    wait_for(lambda: sum(done().values()) >= 100, what="the workers to record 100 jobs done")

    delivered = collections.Counter(line["text"] for line in app.outbox_lines())
    assert set(delivered) == {f"【测试】第{i}条" for i in range(100)}
    assert [text for text, n in delivered.items() if n > 1] == []
    busy = done()
    assert len(busy) == 2 and sum(busy.values()) == 100 and all(busy.values()), busy  # both took a share
    assert app.sql("SELECT count(*) FROM django_tasks_database_dbtaskresult") == [(0,)]  # nothing in the database queue


@contextlib.contextmanager
def export_held_mid_run(app: App, queues: redis.Redis) -> Iterator[tuple[int, str, int]]:
    """Start an export and hold it while it reads the records (a table lock taken first, so a kill
    lands mid-run every time); yields the export's id, its job's id and the worker's pid."""
    url = app.cluster.url.replace("postgres://", "postgresql://")
    with psycopg.connect(url) as blocker:
        blocker.execute("LOCK TABLE collection_record IN ACCESS EXCLUSIVE MODE")
        export_id = int(app.manage("shell", "-c", START_EXPORT).strip().splitlines()[-1])
        running = StartedJobRegistry("default", connection=queues)
        wait_for(lambda: running.get_job_ids(cleanup=False), what="the export to start")
        wait_for(lambda: app.sql("SELECT state FROM review_export WHERE id = %s", export_id) == [("running",)])
        [job_id] = running.get_job_ids(cleanup=False)
        worker_name = Job.fetch(job_id, connection=queues).worker_name or ""
        yield export_id, job_id, int(worker_name.split(":")[1])
        blocker.rollback()  # the records can be read again


def finished_export(app: App, queues: redis.Redis, export_id: int, job_id: str) -> tuple[str, int, list[str], Job]:
    wait_for(
        lambda: app.sql("SELECT state FROM review_export WHERE id = %s", export_id)[0][0] in ("done", "failed"),
        what="the export to finish",
    )
    [(state, rows)] = app.sql("SELECT state, rows FROM review_export WHERE id = %s", export_id)
    job = Job.fetch(job_id, connection=queues)
    wait_for(lambda: job.get_status(refresh=True) in ("finished", "failed"), what="RQ to record the last run")
    files = sorted(p.name for p in app.exports.glob(f"export-{export_id}.*"))
    return state, rows, files, job


def test_an_export_whose_worker_was_killed_mid_run_is_finished_once_by_the_restarted_worker(workers, queues):
    app = workers
    with export_held_mid_run(app, queues) as (export_id, job_id, killed_pid):
        for pid in [killed_pid, *descendants(killed_pid)]:  # the worker and its work horse: a machine lost
            os.kill(pid, signal.SIGKILL)

    state, rows, files, job = finished_export(app, queues, export_id, job_id)
    assert (state, rows) == ("done", 1)
    assert files == [f"export-{export_id}.xlsx"]  # written once
    outcomes = [(result.type.name, result.worker_name) for result in reversed(job.results())]
    assert [kind for kind, _ in outcomes] == ["FAILED", "SUCCESSFUL"]  # the killed run, then one that finished
    assert f":{killed_pid}:" not in outcomes[-1][1]
    assert job.get_meta()["accreg_runs_cut_short"] == 1
    assert f"(pid {killed_pid}) exited with -9" in app.worker_log.read_text(errors="replace")


def test_an_export_whose_work_horse_alone_was_killed_is_run_again_by_the_same_worker(workers, queues):
    app = workers
    with export_held_mid_run(app, queues) as (export_id, job_id, worker_pid):
        [horse] = [pid for pid in descendants(worker_pid) if os.getpgid(pid) == pid]  # as the OOM killer would
        os.kill(horse, signal.SIGKILL)

    state, rows, files, job = finished_export(app, queues, export_id, job_id)
    assert (state, rows) == ("done", 1)
    assert files == [f"export-{export_id}.xlsx"]
    outcomes = [(result.type.name, result.worker_name) for result in reversed(job.results())]
    assert [kind for kind, _ in outcomes] == ["FAILED", "SUCCESSFUL"]
    assert f":{worker_pid}:" in outcomes[0][1] and f":{worker_pid}:" in outcomes[1][1]  # the worker lived on
    assert job.get_meta()["accreg_runs_cut_short"] == 1
