"""The resilient worker (issue 13) in-process: it goes on after database errors, writes a task's
outcome once the database answers, runs again the tasks whose worker died, and serves SMS from
their own queue. The same against a real PostgreSQL restart and a real SIGKILL: tests/integration."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accreg.notifications.models import SmsDelivery
from accreg.notifications.tasks import queue_sms, send_sms
from accreg.notifications.worker import MAX_RUNS, ResilientWorker, run_stalled_tasks_again
from accreg.review.exports import write_export
from accreg.review.models import Export
from tests.conftest import outbox_messages
from tests.review.conftest import make_submission

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "sms"]}}
pytestmark = pytest.mark.django_db(transaction=True)  # the worker sees committed rows


@pytest.fixture
def database_queue(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_QUEUE


def queued(text: str, to: str = "13912345678") -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        queue_sms(to, text)


def worker(queues: str = "sms") -> ResilientWorker:
    return ResilientWorker(
        queue_names=queues.split(","),
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"test:{queues}",
        excluded_queue_names=[],
        housekeeping_every=0,
    )


def once_then(real):  # type: ignore[no-untyped-def]
    """`real`, but the first call fails as a query does when PostgreSQL has just been restarted."""
    calls = {"n": 0}

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("terminating connection due to administrator command")
        return real(*args, **kwargs)

    return flaky


def test_the_worker_goes_on_after_the_database_went_away_while_it_polled(database_queue):
    queued("验证码为111111")
    with mock.patch.object(ResilientWorker, "_claim_next", once_then(ResilientWorker._claim_next)):
        worker().run()

    assert outbox_messages("13912345678") == ["验证码为111111"]


def test_a_task_the_database_failed_under_runs_again_and_sends_once(database_queue):
    queued("验证码为222222")
    lookups = SmsDelivery.objects.filter

    with mock.patch.object(SmsDelivery.objects, "filter", once_then(lookups)):
        worker().run()

    assert outbox_messages("13912345678") == ["验证码为222222"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(DBTaskResult.objects.get().worker_ids) == 2  # claimed, put back, claimed again


def test_the_outcome_of_a_task_is_written_once_the_database_answers_again(database_queue):
    queued("验证码为333333")

    with mock.patch.object(
        DBTaskResult, "set_successful", autospec=True, side_effect=once_then(DBTaskResult.set_successful)
    ):
        worker().run()

    assert outbox_messages("13912345678") == ["验证码为333333"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL" and len(DBTaskResult.objects.get().worker_ids) == 1


def test_a_message_whose_task_runs_twice_goes_out_once(database_queue):
    queued("验证码为444444")
    sealed = DBTaskResult.objects.get().args_kwargs["args"][0]

    send_sms.call(sealed)
    send_sms.call(sealed)

    assert outbox_messages("13912345678") == ["验证码为444444"]
    assert SmsDelivery.objects.count() == 1


def test_a_task_stalled_past_its_time_limit_runs_again(database_queue, settings):
    settings.TASK_TIME_LIMITS = {**settings.TASK_TIME_LIMITS, "accreg.notifications.tasks.send_sms": 120}
    queued("验证码为555555")
    queued("验证码为666666", to="13912345679")
    stalled, recent = DBTaskResult.objects.order_by("enqueued_at")
    now = timezone.now()
    DBTaskResult.objects.filter(pk=stalled.pk).update(
        status="RUNNING", started_at=now - datetime.timedelta(seconds=121), worker_ids=["dead:1"]
    )
    DBTaskResult.objects.filter(pk=recent.pk).update(
        status="RUNNING", started_at=now - datetime.timedelta(seconds=100), worker_ids=["busy:2"]
    )

    assert run_stalled_tasks_again() == 1
    worker().run()

    assert outbox_messages("13912345678") == ["验证码为555555"]
    assert outbox_messages("13912345679") == []  # still within its time limit: its worker may be busy
    assert DBTaskResult.objects.get(pk=recent.pk).status == "RUNNING"


def test_an_export_whose_workers_kept_dying_is_failed_not_run_forever(database_queue, reference_data, make_staff):
    make_submission("410105")
    staff = make_staff("zhang", "410100")
    export = Export.objects.create(staff=staff, department=staff.department, state="running")
    write_export.enqueue(export.pk)
    DBTaskResult.objects.update(
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(hours=1),
        worker_ids=[f"dead:{n}" for n in range(MAX_RUNS)],
    )

    run_stalled_tasks_again()

    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and task.exception_class_path.endswith("StalledTask")
    assert Export.objects.get(pk=export.pk).state == "failed"
    assert Export.objects.get(pk=export.pk).error == "StalledTask"


def test_sms_have_their_own_queue_that_an_export_backlog_does_not_delay(database_queue, reference_data, make_staff):
    make_submission("410105")
    staff = make_staff("zhang", "410100")
    for _ in range(30):
        write_export.enqueue(Export.objects.create(staff=staff, department=staff.department).pk)
    queued("验证码为777777")

    call_command("run_worker", "--batch", "--queue-name", "sms", verbosity=0)

    assert send_sms.queue_name == "sms" and write_export.queue_name == "default"
    assert outbox_messages("13912345678") == ["验证码为777777"]
    assert DBTaskResult.objects.filter(status="READY", queue_name="default").count() == 30


def test_a_task_whose_queries_keep_failing_is_failed_after_a_few_runs(database_queue):
    queued("验证码为888888")

    with mock.patch.object(SmsDelivery.objects, "filter", side_effect=OperationalError("canceling statement")):
        worker().run()

    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and len(task.worker_ids) == MAX_RUNS
    assert outbox_messages("13912345678") == []


def test_an_import_whose_worker_died_is_taken_over_by_the_next_run(database_queue, reference_data, make_staff):
    from accreg.accounts.legacy_import_jobs import start_legacy_import
    from accreg.accounts.models import LegacyImport
    from tests.admin.test_legacy_import import archive

    staff = make_staff("liaoning_admin", "210000", role="admin")
    job = start_legacy_import(staff, upload=archive(), province="liaoning", ip=None)
    # Its first run was killed mid-import: the job and its task are both left marked running.
    LegacyImport.objects.filter(pk=job.pk).update(state="running")
    DBTaskResult.objects.update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(hours=3), worker_ids=["dead:1"]
    )

    run_stalled_tasks_again()
    worker("default").run()

    job.refresh_from_db()
    assert (job.state, job.created, job.rejected) == ("done", 1, 1)
    assert len(DBTaskResult.objects.get().worker_ids) == 2
