"""SMS through the real database queue and its worker, as `make run` sends them."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from accreg.notifications.tasks import queue_sms
from tests.conftest import outbox_messages

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "sms"]}}


@pytest.mark.django_db(transaction=True)  # the worker sees committed rows and manages its own connections
def test_the_worker_delivers_queued_messages_to_the_outbox(settings):
    settings.TASKS = DATABASE_QUEUE

    with TestCase.captureOnCommitCallbacks(execute=True):
        queue_sms("13912345678", "【河南省财政厅】您的注册验证码为123456")
    queued = outbox_messages("13912345678")
    call_command("run_worker", "--batch", "--queue-name", "sms", verbosity=0)

    assert queued == []  # nothing is sent in the request itself
    assert outbox_messages("13912345678") == ["【河南省财政厅】您的注册验证码为123456"]


@pytest.mark.django_db
def test_queued_messages_do_not_hold_mobiles_or_codes_in_clear(settings):
    settings.TASKS = DATABASE_QUEUE

    with TestCase.captureOnCommitCallbacks(execute=True):
        queue_sms("13912345678", "验证码为654321")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM django_tasks_database_dbtaskresult")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)

    assert stored and "13912345678" not in stored and "654321" not in stored


def test_a_message_written_by_the_outbox_backend_is_one_json_line(tmp_path):
    import json

    from accreg.notifications.sms import OutboxBackend

    OutboxBackend(tmp_path / "outbox.jsonl").send("13912345678", "测试")

    [line] = (tmp_path / "outbox.jsonl").read_text(encoding="utf-8").splitlines()
    assert set(json.loads(line)) == {"to", "text", "sent_at"}
    assert json.loads(line)["text"] == "测试"


@pytest.mark.django_db(transaction=True)
def test_a_message_the_gateway_refused_is_sent_again_later(settings):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from accreg.notifications.sms import sms_backend
    from tests.notifications.flaky_gateway import FailingOnceBackend

    settings.TASKS = DATABASE_QUEUE
    settings.SMS_BACKEND = "tests.notifications.flaky_gateway.FailingOnceBackend"
    FailingOnceBackend.calls = 0
    sms_backend.cache_clear()
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            queue_sms("13912345678", "【河南省财政厅】您的会计人员信息已审核通过。")
        call_command("run_worker", "--batch", "--queue-name", "sms", verbosity=0)
        after_failure = outbox_messages("13912345678")
        retry = DBTaskResult.objects.get(status="READY")
        waited = (retry.run_after - timezone.now()).total_seconds()
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute passes
        call_command("run_worker", "--batch", "--queue-name", "sms", verbosity=0)
    finally:
        sms_backend.cache_clear()

    assert after_failure == [] and 30 < waited <= 60  # tried again a minute later, not at once
    assert outbox_messages("13912345678") == ["【河南省财政厅】您的会计人员信息已审核通过。"]
    assert FailingOnceBackend.calls == 2
