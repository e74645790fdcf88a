"""The Redis queue's worker (TASKS_BACKEND=redis, docs/decisions/0024) in-process, on a real Redis
database of the tests' own (db 14, emptied before and after; ACCREG_TEST_REDIS_URL to choose
another): a run cut short is run again, MAX_RUNS runs at most, then failed with its export; a task
that raises is failed at once. Each job goes through RQ's own registries and worker methods; only
the fork is left out (the work horse's part runs here). Real worker processes, a real SIGKILL and
two workers at once: tests/integration/test_redis_queue.py."""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Iterator
from unittest import mock

import pytest
import redis
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, connection
from django.test import TestCase
from django.utils import timezone
from rq.queue import Queue
from rq.registry import FailedJobRegistry, StartedJobRegistry

from accreg.notifications.models import SmsDelivery
from accreg.notifications.tasks import queue_sms
from accreg.notifications.worker import MAX_RUNS
from accreg.review.exports import write_export
from accreg.review.models import Export
from tests.conftest import outbox_messages
from tests.redis_test_db import REDIS_URL, redis_answers
from tests.review.conftest import make_submission

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_answers(), reason=f"no Redis answers at {REDIS_URL}"),
]


@pytest.fixture
def redis_queue(settings) -> Iterator[redis.Redis]:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": settings.TASK_QUEUES}}
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL} for name in settings.TASK_QUEUES}
    settings.RQ = {"JOB_CLASS": "accreg.notifications.redis_worker.Job", "COMMIT_MODE": "auto"}
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()


def queue(name: str) -> Queue:
    import django_rq

    from accreg.notifications.redis_worker import Job

    return django_rq.get_queue(name, job_class=Job)


def worker(name: str):  # type: ignore[no-untyped-def]
    from accreg.notifications.redis_worker import TaskWorker

    return TaskWorker([queue(name)], name=f"test:{name}", housekeeping_every=1, heartbeat_every=1)


def start_next(name: str):  # type: ignore[no-untyped-def]
    """What a worker does before it forks the work horse: take the next job, open its execution."""
    taker = worker(name)
    job, _ = Queue.dequeue_any([queue(name)], None, connection=queue(name).connection, job_class=taker.job_class)
    job.timeout = 60
    execution = taker.prepare_execution(job)
    return taker, job, execution


def run_next(name: str) -> None:
    """A worker's whole turn on the next job, the work horse's part in this process."""
    taker, job, execution = start_next(name)
    taker.perform_job(job, queue(name), execution)


def next_run_dies(name: str) -> None:
    """The worker that took the next job is killed mid-run: it never sends another heartbeat.
    RQ's own cleaning finds the job abandoned once its heartbeat is past (a clock an hour on here)."""
    taker, job, _ = start_next(name)
    taker.prepare_job_execution(job)  # marked started, as the work horse does first
    StartedJobRegistry(queue=queue(name), job_class=taker.job_class).cleanup(timestamp=time.time() + 3600)


def housekeeping(name: str) -> int:
    from accreg.notifications.redis_worker import run_stalled_jobs_again

    return run_stalled_jobs_again(queue(name))


def test_an_export_whose_workers_keep_dying_runs_again_until_max_runs_then_fails(
    redis_queue, reference_data, make_staff
):
    make_submission("410105")
    staff = make_staff("zhang", "410100")
    export = Export.objects.create(staff=staff, department=staff.department)
    result = write_export.enqueue(export.pk)

    for run in range(1, MAX_RUNS):
        next_run_dies("default")
        assert Export.objects.get(pk=export.pk).state == "queued"  # not reported as failed
        assert housekeeping("default") == 1
        assert queue("default").job_ids == [result.id]  # queued again
        assert write_export.get_backend().get_result(result.id).attempts == run  # each cut-short run recorded
    next_run_dies("default")
    assert housekeeping("default") == 0

    export.refresh_from_db()
    assert (export.state, export.error) == ("failed", "StalledTask")
    assert queue("default").job_ids == [] and FailedJobRegistry(queue=queue("default")).get_job_ids() == [result.id]
    assert housekeeping("default") == 0  # given up once, for good


def test_an_export_whose_worker_died_once_is_written_by_the_next_run(redis_queue, reference_data, make_staff):
    make_submission("410105")
    staff = make_staff("zhang", "410100")
    export = Export.objects.create(staff=staff, department=staff.department)
    result = write_export.enqueue(export.pk)

    next_run_dies("default")
    housekeeping("default")
    run_next("default")

    export.refresh_from_db()
    assert (export.state, export.rows) == ("done", 1)
    assert write_export.get_backend().get_result(result.id).status == "SUCCESSFUL"


def test_a_run_that_lost_the_database_runs_again_and_sends_its_sms_once(redis_queue):
    with TestCase.captureOnCommitCallbacks(execute=True):
        queue_sms("13912345678", "验证码为123456")
    lookups = SmsDelivery.objects.filter
    lost = OperationalError("terminating connection due to administrator command")

    with mock.patch.object(SmsDelivery.objects, "filter", side_effect=lost):
        run_next("sms")
    assert outbox_messages("13912345678") == []
    assert housekeeping("sms") == 1
    with mock.patch.object(SmsDelivery.objects, "filter", side_effect=lookups):
        run_next("sms")

    assert outbox_messages("13912345678") == ["验证码为123456"]
    assert SmsDelivery.objects.count() == 1


def test_a_task_that_raises_is_failed_at_once_and_not_run_again(redis_queue):
    from accreg.notifications.tasks import send_sms

    result = send_sms.enqueue("not a sealed message")

    run_next("sms")

    assert housekeeping("sms") == 0
    assert send_sms.get_backend().get_result(result.id).status == "FAILED"
    assert queue("sms").job_ids == []


def test_the_redis_worker_housekeeping_deletes_expired_export_files(redis_queue, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    old = default_storage.save("exports/export-997_AbCdEf.xlsx", ContentFile(b"x"))
    eight_days_ago = (timezone.now() - datetime.timedelta(days=8)).timestamp()
    os.utime(default_storage.path(old), (eight_days_ago, eight_days_ago))

    worker("default").run_maintenance_tasks()

    assert not default_storage.exists(old)


def test_stalled_jobs_wait_while_the_database_does_not_answer(redis_queue, reference_data, make_staff):
    make_submission("410105")
    staff = make_staff("zhang", "410100")
    export = Export.objects.create(staff=staff, department=staff.department)
    write_export.enqueue(export.pk)
    next_run_dies("default")
    down = OperationalError("connection refused")

    with mock.patch.object(connection, "cursor", side_effect=down):
        assert housekeeping("default") == 0  # a run now would be cut short again, for nothing
    assert queue("default").job_ids == []
    assert housekeeping("default") == 1  # the database answers again
