"""The notice (timed on the server), submitting once, the status, and the lock while pending."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from accreg.collection.models import Record, Submission
from accreg.collection.working_days import add_working_days, is_working_day
from tests.collection.answers import CHONGQING_EMPLOYED_WORK
from tests.conftest import Api, valid_id_number
from tests.pictures import portrait_jpeg

pytestmark = pytest.mark.django_db


def put(client: Api, section: str, body):  # type: ignore[no-untyped-def]
    return client.client.put(
        f"/api/v1/me/record/sections/{section}",
        json.dumps(body),
        content_type="application/json",
        headers=client._headers(),
    )


def upload(client: Api, kind: str):  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.linear_gradient("L").resize((900, 1200)).convert("RGB").save(out, "JPEG")
    data = portrait_jpeg(900, 1200) if kind == "photo" else out.getvalue()  # a photo needs a face
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("x.jpg", data)})
    response = client.client.put(
        f"/api/v1/me/record/materials/{kind}", body, content_type=MULTIPART_CONTENT, headers=client._headers()
    )
    assert response.status_code == 200, response.json()
    if not response.json()["confirmed"]:
        client.post(f"/api/v1/me/record/materials/{kind}/confirmation")


@pytest.fixture
def chongqing_person(register) -> Api:  # type: ignore[no-untyped-def]
    return Api(register(province="chongqing", id_number=valid_id_number(region="500103"))["token"])


def complete_chongqing_record(client: Api) -> None:
    """Everything Chongqing asks of an employed accountant, as the person would fill it."""
    assert put(client, "personal", {"ethnicity": "01"}).status_code == 200
    assert (
        put(
            client,
            "education",
            {"full_time": {"level": "21", "degree": "4", "major": "120203K", "graduation_date": "2012-07-01"}},
        ).status_code
        == 200
    )
    assert put(client, "work", CHONGQING_EMPLOYED_WORK).status_code == 200
    for kind in ("photo", "id_front", "id_back", "work_proof", "full_time_education", "full_time_degree"):
        upload(client, kind)


def test_submitting_needs_the_commitment(chongqing_person):
    complete_chongqing_record(chongqing_person)

    response = chongqing_person.post("/api/v1/me/record/submission", {"accept_commitment": False})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"accept_commitment": ["请阅读并勾选“我已阅读并同意以上承诺”"]}


def test_an_incomplete_record_names_what_is_missing(chongqing_person):
    put(chongqing_person, "personal", {"ethnicity": "01"})

    response = chongqing_person.post("/api/v1/me/record/submission", {"accept_commitment": True})

    fields = response.json()["error"]["fields"]
    assert response.status_code == 400 and response.json()["error"]["code"] == "record_incomplete"
    assert fields["education.full_time.level"] == ["请选择全日制最高学历"]
    assert fields["material:photo"] == ["请上传个人照片"]
    assert Submission.objects.count() == 0


def test_submitting_freezes_the_record_once_and_tells_the_person(chongqing_person):
    complete_chongqing_record(chongqing_person)

    first = chongqing_person.post("/api/v1/me/record/submission", {"accept_commitment": True})
    again = chongqing_person.post("/api/v1/me/record/submission", {"accept_commitment": True})
    status = chongqing_person.get("/api/v1/me/record/status").json()

    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and Submission.objects.count() == 1
    assert first.json()["message"] == "提交成功！请等待审核，勿重复提交"  # CQ 2.8
    assert first.json()["department"] == {"code": "500103", "name": "渝中区财政局"}
    assert status["status"] == "pending" and status["kind"] == "collection"
    assert status["due_by"] == add_working_days(datetime.date.today(), 10).isoformat()
    snapshot = Submission.objects.get().snapshot
    assert snapshot["sections"]["work"]["unit_name"] == "重庆某某有限公司"
    assert {m["kind"] for m in snapshot["materials"]} >= {"photo", "work_proof"}


def test_a_pending_record_cannot_be_changed(chongqing_person):
    complete_chongqing_record(chongqing_person)
    chongqing_person.post("/api/v1/me/record/submission", {"accept_commitment": True})

    edit = put(chongqing_person, "personal", {"ethnicity": "02"})
    delete = chongqing_person.delete("/api/v1/me/record/materials/photo")

    assert edit.status_code == 409 and edit.json()["error"]["code"] == "record_locked"
    assert delete.status_code == 409


def test_henan_notice_can_be_accepted_only_after_30_seconds(register):
    client = Api(register(province="henan", id_number=valid_id_number(region="410105"))["token"])

    notice = client.get("/api/v1/me/record/notice").json()
    too_soon = client.post("/api/v1/me/record/notice", {"accept": True})
    Record.objects.update(notice_shown_at=Record.objects.get().notice_shown_at - datetime.timedelta(seconds=31))
    later = client.post("/api/v1/me/record/notice", {"accept": True})

    assert notice["min_read_seconds"] == 30 and notice["accepted"] is False
    assert too_soon.status_code == 400
    assert too_soon.json()["error"]["fields"]["accept"][0].startswith("请认真阅读须知，")
    assert later.status_code == 200 and later.json()["accepted"] is True
    steps = {s["key"]: s["state"] for s in client.get("/api/v1/me/record").json()["steps"]}
    assert steps["notice"] == "complete"


def test_working_days_skip_the_national_holiday():
    due = add_working_days(datetime.date(2026, 9, 30), 1)

    assert due > datetime.date(2026, 10, 7)
    assert is_working_day(due) and not is_working_day(datetime.date(2026, 10, 1))


def test_the_work_proof_template_is_on_the_api_as_api_md_names_it(chongqing_person, register):
    assert put(chongqing_person, "work", CHONGQING_EMPLOYED_WORK).status_code == 200

    response = chongqing_person.get("/api/v1/me/record/templates/work-proof")
    henan = Api(register(province="henan", mobile="13912345679")["token"]).get("/api/v1/me/record/templates/work-proof")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store" and response.content.startswith(b"%PDF")
    assert henan.status_code == 404 and henan.json()["error"]["code"] == "no_template"
