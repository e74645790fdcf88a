"""Issue 13 for real: the task workers (`manage.py run_workers`, as `make run` starts them) against
a PostgreSQL cluster of the test's own, which is restarted while SMS are queued, and whose export
worker is killed with SIGKILL mid-export. Skipped where PostgreSQL's initdb is not installed."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import pg_cluster
from .worker_scenarios import App, export_killed_mid_run, sms_across_restart

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not pg_cluster.available(), reason=f"PostgreSQL's initdb not found in {pg_cluster.PG_BIN}"),
]


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    cluster = pg_cluster.PgCluster().create()
    try:
        with tempfile.TemporaryDirectory(prefix="accreg-app-") as data:
            app = App(cluster, Path(data))
            app.prepare()
            yield app
            app.stop_workers()
    finally:
        cluster.remove()


@pytest.fixture
def workers(app: App) -> Iterator[App]:
    app.start_workers()
    yield app
    app.stop_workers()


def test_every_sms_queued_across_a_database_restart_goes_out_once_within_a_minute(workers):
    result = sms_across_restart(workers, count=150, rate=50, down_seconds=1.0)

    expected = {f"【测试】第{i}条" for i in range(150)}
    assert set(result.delivered) == expected, sorted(expected - set(result.delivered))[:5]
    assert [text for text, n in result.delivered.items() if n > 1] == []
    assert result.seconds_from_db_back_to_all_delivered < 60
    assert "exited" not in result.worker_log  # the workers reconnected: none had to be started again


def test_an_export_whose_worker_was_killed_finishes_after_it_stalled(workers):
    result = export_killed_mid_run(workers)

    assert result.state == "done" and result.rows == 1
    assert result.files == [f"export-{result.export_id}.xlsx"]  # written once
    assert len(result.worker_ids) == 2 and str(result.killed_pid) in result.worker_ids[0]
    assert f"(pid {result.killed_pid}) exited with -9" in result.worker_log  # and the supervisor started it again
