"""An uploaded ID card is read through the real database queue by the `reading` worker, as
`make run` (manage.py run_workers) and production's accreg-worker@reading run it."""

import pytest
from django.core.management import call_command

from accreg.demo.cards import IdFront, draw_id_front, jpeg
from tests.conftest import Api, valid_id_number
from tests.uploads.test_materials_api import upload

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "sms", "reading"]}}


def reading(client: Api) -> dict:
    listed = client.get("/api/v1/me/record/materials").json()
    return next(m for m in listed if m["kind"] == "id_front")["stored"]["reading"]


@pytest.mark.django_db(transaction=True)  # the worker sees committed rows and manages its own connections
def test_the_reading_worker_reads_a_card_left_pending_by_the_upload(reference_data, register, settings):
    number = valid_id_number(region="410105", birth="19850612", seq=3)
    client = Api(register(province="henan", name="陈静", id_number=number, mobile="13700000301")["token"])
    settings.TASKS = DATABASE_QUEUE

    upload(client, "id_front", jpeg(draw_id_front(IdFront("陈静", number))))
    pending = reading(client)
    call_command("run_worker", "--batch", "--queue-name", "default", verbosity=0)
    still_pending = reading(client)
    call_command("run_worker", "--batch", "--queue-name", "reading", verbosity=0)

    assert pending == still_pending == {"state": "pending", "checks": []}
    assert reading(client) == {
        "state": "done",
        "checks": [
            {"key": "id_name", "ok": True, "message": "姓名与注册信息一致"},
            {"key": "id_number", "ok": True, "message": "证件号码与注册信息一致"},
        ],
    }
