"""`manage.py run_worker --queue-name sms`: one background worker, which outlives database restarts
(accreg/notifications/worker.py) and never runs under the autoreloader. `run_workers` (`make run`)
or systemd (docs/operations.md) starts it again if it exits. With TASKS_BACKEND=redis it runs RQ's
worker on the same queues instead (accreg/notifications/redis_worker.py, docs/decisions/0027)."""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django_tasks import task_backends
from django_tasks.exceptions import InvalidTaskBackendError
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_backend_name as valid_database_backend
from django_tasks_db.management.commands.db_worker import valid_interval

from accreg.notifications.worker import ResilientWorker, worker_id


def on_redis(backend_name: str) -> bool:
    return type(task_backends[backend_name]).__module__.startswith("django_tasks_rq.")


def valid_backend_name(name: str) -> str:
    """A database backend (this module's worker) or a Redis one (RQ's worker)."""
    try:
        return name if on_redis(name) else valid_database_backend(name)
    except InvalidTaskBackendError as exc:
        raise ArgumentTypeError(exc.args[0]) from exc


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
        if on_redis(backend_name):
            from accreg.notifications import redis_worker  # imports django-rq, configured only then

            name = options["worker_id"] or worker_id(queue_name)
            redis_worker.run(queue_name.split(","), name=name, burst=batch, verbosity=options["verbosity"])
            return
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
