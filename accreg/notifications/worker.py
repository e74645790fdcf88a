"""The background worker that outlives database restarts and dead workers (docs/decisions/0019).

`ResilientWorker` is django-tasks-db's `Worker` (0.13) with three changes:

- a database error (PostgreSQL restarted, a network blip) never ends it: it closes its
  connections, waits for the database to answer again, and goes on;
- the outcome of a task that ran while the database went away is kept in memory and written once
  the database is back; a task that the database failed under is put back in the queue;
- every `WORKER_HOUSEKEEPING_SECONDS` it runs the housekeeping: tasks still marked running past
  their time limit (`TASK_TIME_LIMITS`: their worker was killed) are run again, expired export
  files and old SMS delivery records are deleted.

Every task is written to be safe to run twice, which is what makes running a stalled one again
correct.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connection, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger(__name__)
T = TypeVar("T")

DATABASE_DOWN = (OperationalError, InterfaceError)
MAX_RUNS = 5  # a task whose worker died this many times (say, out of memory) is failed, not run again
HOUSEKEEPING = (  # run by every worker, each at most once per WORKER_HOUSEKEEPING_SECONDS
    "accreg.notifications.worker.run_stalled_tasks_again",
    "accreg.review.exports.delete_expired_exports",
    "accreg.notifications.tasks.forget_old_deliveries",
)


class StalledTask(Exception):
    """Recorded on a task given up after its worker died MAX_RUNS times."""


def worker_id(queues: str) -> str:
    """Host, process and queues, so an operator (and a test) can tell which process claimed a task."""
    return f"{socket.gethostname()[:24]}:{os.getpid()}:{queues[:16]}:{get_random_string(6)}"


def close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            conn.connection = None  # already broken: forget it, the next query opens a new one


def wait_for_database(stop: Callable[[], bool] = lambda: False) -> bool:
    """Block until the default database answers (True), or `stop()` says to give up (False)."""
    pause = 0.2
    while not stop():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except DATABASE_DOWN:
            close_connections()
            time.sleep(pause)
            pause = min(pause * 2, 2.0)
    return False


def until_database_answers(write: Callable[[], T], *, patience: float, stop: Callable[[], bool] = lambda: False) -> T:
    """Run `write`; while the database cannot be reached, reconnect and run it again, for up to
    `patience` seconds. Inside a transaction a lost connection cannot be resumed, so it runs once."""
    if connection.in_atomic_block:
        return write()
    deadline = time.monotonic() + patience
    while True:
        try:
            return write()
        except DATABASE_DOWN as exc:
            logger.warning("Database unreachable (%s); trying again when it answers", type(exc).__name__)
            close_connections()
            if time.monotonic() > deadline or not wait_for_database(lambda: stop() or time.monotonic() > deadline):
                raise


def time_limit(task_path: str) -> datetime.timedelta:
    limits = settings.TASK_TIME_LIMITS
    return datetime.timedelta(seconds=limits.get(task_path, limits["*"]))


def run_stalled_tasks_again() -> int:
    """Put back in the queue every task still marked running past its time limit: its worker was
    killed or lost (a worker alive finishes or requeues its task itself). One that has stalled
    MAX_RUNS times is failed instead. Conditional updates: any number of workers may run this."""
    now = timezone.now()
    requeued = 0
    for db_task in DBTaskResult.objects.running():
        if db_task.started_at is None or db_task.started_at + time_limit(db_task.task_path) > now:
            continue
        same = DBTaskResult.objects.filter(pk=db_task.pk, status="RUNNING", started_at=db_task.started_at)
        runs = len(db_task.worker_ids)
        if runs >= MAX_RUNS:
            error = f"{StalledTask.__module__}.{StalledTask.__qualname__}"
            limit = time_limit(db_task.task_path)
            message = f"Gave up: the worker died or stalled in each of {runs} runs (time limit {limit})"
            if same.update(status="FAILED", finished_at=now, exception_class_path=error, traceback=message):
                logger.error("Task id=%s path=%s failed: %s", db_task.pk, db_task.task_path, message)
                db_task.refresh_from_db()
                _announce_finished(db_task)
            continue
        if same.update(status="READY"):
            requeued += 1
            logger.warning(
                "Task id=%s path=%s stalled (started %s by %s); queued again",
                db_task.pk,
                db_task.task_path,
                db_task.started_at.isoformat(),
                db_task.worker_ids[-1:],
            )
    return requeued


def _announce_finished(db_task: DBTaskResult) -> None:
    try:
        result = db_task.task_result
        task_finished.send(sender=type(db_task.task.get_backend()), task_result=result)
    except ImportError:
        logger.exception("Task id=%s points to a task that no longer exists", db_task.pk)


class ResilientWorker(Worker):
    def __init__(self, *, housekeeping_every: float, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.housekeeping_every = housekeeping_every
        self._housekeeping_due = 0.0

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        while self.running:
            self.running_task = True  # a stop signal now waits: a task claimed is run, not left marked running
            try:
                self._housekeeping()
                db_task, asked = self._claim_next()
            except DATABASE_DOWN as exc:
                logger.warning("Database unreachable (%s); waiting for it to come back", type(exc).__name__)
                close_connections()
                self.running_task = False
                if wait_for_database(lambda: not self.running):
                    logger.info("Database answers again; worker_id=%s goes on", self.worker_id)
                continue
            finally:
                self.running_task = False
            if db_task is not None:
                self.run_task(db_task)
            elif self.batch and asked:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and db_task is None:
                time.sleep(self.interval)

    def _claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """The next ready task of this worker's queues, marked running for it (False: the database was locked)."""
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                db_task = tasks.get_locked()
                if db_task is not None:
                    db_task.claim(self.worker_id)
        except OperationalError as exc:
            if is_locked_database_exception(exc):  # SQLite busy: try again on the next round
                return None, False
            raise
        return db_task, True

    def _housekeeping(self) -> None:
        if not self.housekeeping_every or time.monotonic() < self._housekeeping_due:
            return
        self._housekeeping_due = time.monotonic() + self.housekeeping_every
        for path in HOUSEKEEPING:
            try:
                import_string(path)()
            except DATABASE_DOWN:
                raise
            except Exception:  # a broken chore (storage unwritable, say) must not stop the tasks
                logger.exception("Housekeeping %s failed", path)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run one claimed task and record how it ended, whatever the database does meanwhile."""
        db_task = db_task_result
        self.running_task = True
        stop = lambda: not self.running  # noqa: E731
        try:
            try:
                task = db_task.task
                result = db_task.task_result
                task_started.send(sender=type(task.get_backend()), task_result=result)
                args, kwargs = result.args, result.kwargs
                value = (
                    task.call(TaskContext(task_result=result), *args, **kwargs)
                    if task.takes_context
                    else task.call(*args, **kwargs)
                )
            except DATABASE_DOWN as exc:
                close_connections()
                if len(db_task.worker_ids) >= MAX_RUNS:  # not a blip: this task's queries keep failing
                    self._record(db_task, failed=exc)
                    return
                # The database went away under the task: it runs again once it is back (tasks are safe to run twice).
                logger.warning("Task id=%s lost the database (%s); queued again", db_task.pk, type(exc).__name__)
                until_database_answers(lambda: _requeue(db_task), patience=float("inf"), stop=stop)
                return
            except (KeyboardInterrupt, SystemExit):
                # Stopped by a second Ctrl-C or SIGTERM: not finished, so the next worker runs it.
                until_database_answers(lambda: _requeue(db_task), patience=5)
                raise
            except Exception as exc:
                self._record(db_task, failed=exc)
                return
            try:
                until_database_answers(lambda: db_task.set_successful(value), patience=float("inf"), stop=stop)
            except DATABASE_DOWN:
                raise
            except Exception as exc:  # the return value could not be stored (not JSON, say)
                self._record(db_task, failed=exc)
                return
            _announce_finished(db_task)
        except DATABASE_DOWN:
            # Asked to stop while the database was down: the task stays marked running, and the
            # housekeeping of another worker runs it again after its time limit.
            logger.warning("Task id=%s left running: the worker stopped before the database came back", db_task.pk)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _record(self, db_task: DBTaskResult, *, failed: BaseException) -> None:
        until_database_answers(lambda: db_task.set_failed(failed), patience=float("inf"), stop=lambda: not self.running)
        _announce_finished(db_task)


def _requeue(db_task: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=db_task.pk, status="RUNNING").update(status="READY")
