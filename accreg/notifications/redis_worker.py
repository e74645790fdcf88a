"""Background work on Redis (`TASKS_BACKEND=redis`, docs/decisions/0027): the same tasks, queued by
django-tasks-rq and run by RQ's worker, with the promises of docs/decisions/0019 kept.

RQ's own behaviour, used as it is: a worker takes a job from a queue atomically (one worker per
job, on any machine), runs it in a forked work horse under its time limit, and while the horse
runs the worker renews a heartbeat in Redis. Three changes, in `Job` and `TaskWorker`:

- A run cut short — its worker killed or silent past its heartbeat (RQ: `AbandonedJobError`), its
  work horse killed (out of memory, say), its time limit passed, or the database lost under it —
  is not reported as the task failing (no `task_finished`, so the export or import stays waiting):
  the job is marked stalled, and the housekeeping puts it back in its queue, `MAX_RUNS` runs at
  most; then it is failed with `StalledTask` and its export or import shows as failed. While the
  database does not answer, nothing is run again. Every task is safe to run twice (0019), which is
  what makes this correct.
- Each task runs under its own `TASK_TIME_LIMITS` entry, not one timeout per queue; a worker's
  heartbeat comes every `WORKER_HEARTBEAT_SECONDS`, and one silent for three of them is dead.
- Every `WORKER_HOUSEKEEPING_SECONDS` the worker runs, under RQ's per-queue maintenance lock (one
  worker at a time, whichever machine), RQ's registry cleaning and then the stalled jobs' second
  runs, and the chores every worker runs: expired export files and old SMS delivery records deleted.
"""

from __future__ import annotations

import logging
import os
from types import TracebackType
from typing import Any, cast

import django_rq
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.utils.module_loading import import_string
from django_tasks.base import TaskError, TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_rq import Job as TaskJob
from redis import Redis
from rq import Worker
from rq.exceptions import AbandonedJobError, InvalidJobOperation, NoSuchJobError
from rq.job import Job as RQJob
from rq.queue import Queue
from rq.registry import FailedJobRegistry, clean_registries
from rq.timeouts import JobTimeoutException
from rq.types import FailureCallbackType
from rq.utils import now
from rq.worker_registration import clean_worker_registry

from .worker import DATABASE_DOWN, MAX_RUNS, StalledTask, close_connections, time_limit

logger = logging.getLogger(__name__)

RUNS_CUT_SHORT = "accreg_runs_cut_short"  # job meta: how many runs ended without an outcome
STALLED = "accreg_stalled"  # job meta: the latest run was cut short; the housekeeping runs it again
EXCEPTIONS = "_django_tasks_rq_exceptions"  # job meta: django-tasks-rq's record of each failure's class
CUT_SHORT = (AbandonedJobError, JobTimeoutException, OperationalError, InterfaceError)
CHORES = (  # besides the stalled jobs, as the database worker's housekeeping (worker.HOUSEKEEPING)
    "accreg.review.exports.delete_expired_exports",
    "accreg.notifications.tasks.forget_old_deliveries",
)


class WorkHorseKilled(Exception):
    """Recorded for a run whose work horse was killed (out of memory, say) while its worker lived."""


def mark_stalled(job: RQJob, cause: type[BaseException]) -> None:
    meta = job.get_meta(refresh=True)
    meta[RUNS_CUT_SHORT] = int(meta.get(RUNS_CUT_SHORT, 0)) + 1
    meta[STALLED] = True
    # django-tasks-rq pairs each failed run RQ records with one of these, newest with newest.
    meta.setdefault(EXCEPTIONS, []).append(f"{cause.__module__}.{cause.__qualname__}")
    job.save_meta()  # type: ignore[no-untyped-call]


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DATABASE_DOWN:
        close_connections()
        return False


def give_up(job: TaskJob, message: str) -> None:
    """Announce the task failed (StalledTask), as django-tasks-rq's failure callback would: the
    receivers mark its export or import failed."""
    result = job.task_result
    object.__setattr__(result, "status", TaskResultStatus.FAILED)
    path = f"{StalledTask.__module__}.{StalledTask.__qualname__}"
    result.errors.append(TaskError(exception_class_path=path, traceback=message))
    task_finished.send(type(result.task.get_backend()), task_result=result)


class Job(TaskJob):
    """django-tasks-rq's job, except that a run cut short is marked stalled instead of reported
    as the task failing (RQ calls the failure callback for abandoned jobs too)."""

    @property
    def failure_callback(self) -> FailureCallbackType | None:
        report = super().failure_callback
        if report is None:
            return None

        def unless_cut_short(
            job: RQJob,
            connection: Redis,
            kind: type[BaseException] | None,
            error: BaseException | None,
            tb: TracebackType | None,
        ) -> None:
            if kind is not None and issubclass(kind, CUT_SHORT):
                logger.warning("Task %s (%s) cut short by %s; it will run again", job.id, job.func_name, kind.__name__)
                mark_stalled(job, kind)
                return
            report(job, connection, kind, error, tb)

        return unless_cut_short


def run_stalled_jobs_again(queue: Queue) -> int:
    """Put back in `queue` every job whose latest run was cut short, unless it was cut short
    MAX_RUNS times: that one is failed (StalledTask) and announced, so its export or import shows
    as failed. Runs under the queue's maintenance lock: one worker at a time. While the database
    does not answer, nothing is run again: a run now would only be cut short once more."""
    if not database_answers():
        logger.warning("Database unreachable: the stalled jobs of %s wait for it", queue.name)
        return 0
    registry = FailedJobRegistry(queue=queue, job_class=Job)
    requeued = 0
    for job_id in registry.get_job_ids():
        try:
            job = cast(Job, Job.fetch(job_id, connection=queue.connection))
        except NoSuchJobError:
            continue
        meta = job.get_meta(refresh=True)
        if not meta.get(STALLED):
            continue
        runs = int(meta.get(RUNS_CUT_SHORT, 1))
        if runs >= MAX_RUNS:
            message = f"Gave up: the run was cut short (worker died, time limit, database lost) {runs} times"
            give_up(job, message)
            logger.error("Task %s (%s) failed: %s", job.id, job.func_name, message)
        meta[STALLED] = False
        job.save_meta()  # type: ignore[no-untyped-call]
        if runs >= MAX_RUNS:
            continue
        try:
            registry.requeue(job)
        except InvalidJobOperation:  # no longer in the failed registry: someone requeued or deleted it
            continue
        requeued += 1
        logger.warning(
            "Task %s (%s) was cut short (%d of %d runs); queued again", job.id, job.func_name, runs, MAX_RUNS
        )
    return requeued


class TaskWorker(Worker):
    """RQ's worker with the changes above. Its queues' job class is `Job`."""

    job_class = Job

    def __init__(self, queues: list[Queue], *, name: str, housekeeping_every: float, heartbeat_every: int) -> None:
        self.housekeeping_every = housekeeping_every
        super().__init__(
            queues,
            name=name,
            connection=queues[0].connection,
            job_class=Job,
            # Idle, the worker waits for a job this long at a time, then does its housekeeping if due.
            worker_ttl=max(1, int(housekeeping_every)) + 15,
            maintenance_interval=max(1, int(housekeeping_every)),
            job_monitoring_interval=heartbeat_every,
        )

    def get_heartbeat_ttl(self, job: RQJob, working_time: float = 0.0) -> int:
        """A running job's worker is taken as dead after three heartbeats missed (RQ: one + 60 s)."""
        interval = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            return int(max(1.0, min(job.timeout - working_time, interval))) + 2 * interval
        return 3 * interval

    def execute_job(self, job: RQJob, queue: Queue) -> None:
        job.timeout = int(time_limit(job.func_name or "").total_seconds())  # the task's own limit
        close_connections()  # the work horse is forked: it must not share this process's connections
        super().execute_job(job, queue)

    def perform_job(self, job: RQJob, queue: Queue, execution: Any) -> bool:
        try:
            return bool(super().perform_job(job, queue, execution))
        finally:
            close_connections()  # the work horse ends with os._exit: say goodbye to the database

    def handle_work_horse_killed(self, job: RQJob, retpid: int, ret_val: int, rusage: Any) -> None:
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)  # type: ignore[no-untyped-call]
        mark_stalled(job, WorkHorseKilled)

    def clean_registries(self) -> None:
        """RQ's cleaning (a job whose worker went silent is moved to the failed registry, marked
        stalled by `Job`), then the stalled jobs run again: per queue, under RQ's maintenance lock."""
        for queue in self.queues:
            if not queue.acquire_maintenance_lock():
                continue
            try:
                clean_registries(queue, self._exc_handlers)  # as RQ's Worker.clean_registries does
                clean_worker_registry(queue)
                queue.intermediate_queue.cleanup(self, queue)
                run_stalled_jobs_again(queue)
            except (OperationalError, InterfaceError):
                logger.warning("Database unreachable during the housekeeping of %s; next time", queue.name)
            except Exception:
                logger.exception("Housekeeping of queue %s failed", queue.name)
            finally:
                queue.release_maintenance_lock()
        self.last_cleaned_at = now()  # type: ignore[assignment]  # RQ declares it None at first

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        for path in CHORES:
            try:
                import_string(path)()
            except Exception:  # a broken chore (database down, storage unwritable) must not stop the tasks
                logger.exception("Housekeeping %s failed", path)
        close_connections()


def run(queue_names: list[str], *, name: str, burst: bool, verbosity: int) -> None:
    """`manage.py run_worker` with TASKS_BACKEND=redis."""
    names = list(settings.TASK_QUEUES) if "*" in queue_names else queue_names
    queues = [django_rq.get_queue(queue_name, job_class=Job) for queue_name in names]
    worker = TaskWorker(
        queues,
        name=name,
        housekeeping_every=settings.WORKER_HOUSEKEEPING_SECONDS,
        heartbeat_every=settings.WORKER_HEARTBEAT_SECONDS,
    )
    close_connections()
    level = "DEBUG" if verbosity >= 2 else "WARNING" if verbosity == 0 else "INFO"
    logger.info("Starting RQ worker %s (pid %d) on %s", name, os.getpid(), ",".join(names))
    worker.work(burst=burst, with_scheduler=True, logging_level=level)
