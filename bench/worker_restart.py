"""Background work across failures (issue 13), on a PostgreSQL cluster of its own (initdb, its own
port and data directory, removed afterwards; the machine's cluster on 5432 is never touched):

    .venv/bin/python bench/worker_restart.py [--messages 300] [--rate 20] [--down 2] [--runs 3]

1. SMS across a database restart: `--messages` SMS are queued at `--rate` a second through
   `queue_sms` while PostgreSQL is stopped (fast: every connection cut) for `--down` seconds and
   started again; the `run_workers` supervisor, as `make run` starts it, delivers them. Reports
   the seconds from the database answering again to the last message in the outbox, and how many
   went out twice or never.
2. An export whose worker is killed (SIGKILL) mid-run: seconds from the kill to the export done,
   with the export's stall limit set to 4 s (production: 30 minutes).

Targets: every message exactly once, all delivered within 60 s of the database coming back.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration import pg_cluster  # noqa: E402
from tests.integration.worker_scenarios import App, export_killed_mid_run, sms_across_restart  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--down", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not pg_cluster.available():
        sys.exit(f"PostgreSQL's initdb not found in {pg_cluster.PG_BIN}")
    cluster = pg_cluster.PgCluster().create()
    try:
        with tempfile.TemporaryDirectory(prefix="accreg-bench-") as data:
            app = App(cluster, Path(data))
            started = time.monotonic()
            app.prepare()
            print(f"cluster on port {cluster.port}, migrated and loaded in {time.monotonic() - started:.1f} s")
            app.start_workers()
            time.sleep(2)  # both workers polling
            recoveries = []
            for run in range(args.runs):
                result = sms_across_restart(app, count=args.messages, rate=args.rate, down_seconds=args.down)
                twice = sum(1 for n in result.delivered.values() if n > 1)
                missing = result.queued - len(result.delivered)
                recoveries.append(result.seconds_from_db_back_to_all_delivered)
                print(
                    f"sms run {run + 1}: {result.queued} queued "
                    f"({result.producer_retries} queueing retries while down), "
                    f"{sum(result.delivered.values())} delivered, {twice} twice, {missing} missing; "
                    f"last delivered {result.seconds_from_db_back_to_all_delivered:.2f} s after the database was back; "
                    f"queued → delivered p50 {statistics.median(result.lags):.2f} s, max {max(result.lags):.2f} s"
                )
            median, worst = statistics.median(recoveries), max(recoveries)
            print(f"sms: database back → all delivered, median {median:.2f} s, max {worst:.2f} s")
            export = export_killed_mid_run(app)
            print(
                f"export #{export.export_id}: worker pid {export.killed_pid} killed mid-run; {export.state} "
                f"{export.seconds_from_kill_to_done:.1f} s later ({export.rows} rows, files {export.files}, "
                f"runs by {len(export.worker_ids)} workers)"
            )
            app.stop_workers()
    finally:
        cluster.remove()


if __name__ == "__main__":
    main()
