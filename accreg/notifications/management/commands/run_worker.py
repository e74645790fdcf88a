"""`manage.py run_worker --queue-name sms`: one background worker, which outlives database restarts
(accreg/notifications/worker.py) and never runs under the autoreloader. `run_workers` (`make run`)
or systemd (docs/operations.md) starts it again if it exits."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_backend_name, valid_interval

from accreg.notifications.worker import ResilientWorker, worker_id


class Command(BaseCommand):
    help = "Run queued background tasks of the given queues; survives database restarts, runs stalled tasks again."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--queue-name", default="default", help="comma-separated queues, or * for all")
        parser.add_argument("--interval", type=valid_interval, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--batch", action="store_true", help="run what is ready, then exit")
        parser.add_argument(
            "--backend", dest="backend_name", type=valid_backend_name, default=DEFAULT_TASK_BACKEND_ALIAS
        )
        parser.add_argument("--worker-id", default="", help="unique across workers (default: host:pid:queues:random)")

    def handle(self, *, queue_name: str, interval: float, batch: bool, backend_name: str, **options: Any) -> None:
        DbWorkerCommand().configure_logging(options["verbosity"])  # its logging: task started, finished
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=options["worker_id"] or worker_id(queue_name),
            excluded_queue_names=[],
            housekeeping_every=settings.WORKER_HOUSEKEEPING_SECONDS,
        )
        worker.configure_signals()
        worker.run()
