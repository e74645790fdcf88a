"""What the machine read off the person's materials, on the attachments and summary steps (issue 17
item 3): 正在识别… while the reading waits, a failed check as a warning under its material and the
passed ones as quiet ticks, the same on reload without JavaScript and in the answer the page polls,
and the summary listing the warnings still standing, each linked to its material, without blocking
the submit. The readings are the rows the worker stores (facts in the schema of
accreg/reading/checks.py); the checks are the real functions."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from accreg.accounts.models import Person
from accreg.accounts.people import id_number_of
from accreg.collection.models import Record, Submission
from accreg.reading.models import Reading
from accreg.uploads.models import Material
from tests.collection.test_submission import complete_chongqing_record
from tests.conftest import Api, valid_id_number
from tests.pictures import busy_jpeg
from tests.portal.conftest import signed_in

from .test_record_pages import text

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
MISMATCH = "照片中的证件号码与注册信息不一致，请确认上传的是本人证件"


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "uploads")


def queued() -> override_settings:
    """Tasks wait in the database queue, as in production until a worker takes them; no worker
    runs here, so a reading stays pending until the test stores what the worker would."""
    return override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}
    )


def upload(browser, province: str, kind: str, item: int = 0, **headers: str):  # type: ignore[no-untyped-def]
    file = io.BytesIO(busy_jpeg(1200, 800))
    file.name = "IMG_0001.jpg"
    with queued():
        return browser.post(
            f"/{province}/record/attachments/", {"kind": kind, "item": str(item), "file": file}, **headers
        )


def read(kind: str, facts: dict, item: int = 0) -> Reading:  # type: ignore[type-arg]
    """What the worker stores once it has read the person's current material."""
    material = Material.objects.get(kind=kind, item=item)
    reading = Reading.objects.get(file=material.file.name)
    reading.state, reading.facts, reading.read_at = "done", facts, timezone.now()
    reading.save()
    return reading


def someone_elses_card(person: Person) -> dict:  # type: ignore[type-arg]
    other = valid_id_number(region="500103", birth="19851111", seq=7)
    assert other != id_number_of(person)
    return {"name": person.name, "id_number": other, "lines": ["姓名 " + person.name, "公民身份号码 " + other]}


def own_card(person: Person) -> dict:  # type: ignore[type-arg]
    return {"name": person.name, "id_number": id_number_of(person), "lines": []}


def slot(page: str, anchor: str) -> str:
    found = re.search(rf'<article class="material[^"]*" id="m-{anchor}".*?</article>', page, re.S)
    assert found, anchor
    return found.group(0)


def test_an_id_card_just_uploaded_says_it_is_being_read(page):
    browser = page("chongqing")

    answer = upload(browser, "chongqing", "id_front", **JSON)

    html = answer.json()["html"]
    assert answer.json()["ok"] is True
    assert 'data-reading="pending"' in html and "正在识别…" in html
    assert Reading.objects.get().state == "pending"


def test_a_card_with_another_number_is_warned_under_it_on_reload(page):
    browser = page("chongqing")
    upload(browser, "chongqing", "id_front")
    read("id_front", someone_elses_card(Person.objects.get()))

    shown = slot(text(browser.get("/chongqing/record/attachments/")), "id_front-0")

    assert f'<p class="reading-warn" role="note"><span aria-hidden="true">⚠ </span>{MISMATCH}</p>' in shown
    assert "✓</span> 姓名与注册信息一致" in shown  # the passed check, quietly
    assert "正在识别" not in shown


def test_the_person_own_card_only_gets_ticks(page):
    browser = page("chongqing")
    upload(browser, "chongqing", "id_front")
    upload(browser, "chongqing", "id_back")
    read("id_front", own_card(Person.objects.get()))
    read("id_back", {"valid_from": "2020-01-01", "valid_until": "长期", "lines": []})

    body = text(browser.get("/chongqing/record/attachments/"))

    assert "reading-warn" not in body
    assert "证件号码与注册信息一致" in slot(body, "id_front-0") and "姓名与注册信息一致" in slot(body, "id_front-0")
    assert "✓</span> 证件长期有效" in slot(body, "id_back-0")


def test_an_expired_card_and_a_reading_that_failed(page):
    browser = page("chongqing")
    upload(browser, "chongqing", "id_front")
    upload(browser, "chongqing", "id_back")
    expired = timezone.localdate() - datetime.timedelta(days=3)
    read("id_back", {"valid_from": "2006-01-01", "valid_until": expired.isoformat(), "lines": []})
    Reading.objects.filter(kind="id_front").update(state="failed", error="OCR 未找到文字")

    body = text(browser.get("/chongqing/record/attachments/"))

    assert f"证件已于{expired:%Y年%m月%d日}过期，请上传有效证件" in slot(body, "id_back-0")
    assert "系统未能自动识别这张图片，不影响提交，审核人员会人工核对。" in slot(body, "id_front-0")


def test_the_page_polls_each_material_reading_with_its_html(page):
    browser = page("chongqing")
    upload(browser, "chongqing", "id_front")
    upload(browser, "chongqing", "id_back")
    pending = browser.get("/chongqing/record/materials/readings/", **JSON).json()
    read("id_front", someone_elses_card(Person.objects.get()))

    answer = browser.get("/chongqing/record/materials/readings/", **JSON)

    assert pending["readings"]["id_front-0"]["state"] == "pending"
    readings = answer.json()["readings"]
    assert answer["Cache-Control"] == "private, no-store"
    assert set(readings) == {"id_front-0", "id_back-0"}
    assert readings["id_front-0"]["state"] == "done" and MISMATCH in readings["id_front-0"]["html"]
    assert readings["id_front-0"]["html"].startswith('<div class="reading reading-done" data-reading="done"')
    assert readings["id_back-0"]["state"] == "pending" and "正在识别…" in readings["id_back-0"]["html"]


def test_the_readings_answer_needs_the_person(client):
    answer = client.get("/chongqing/record/materials/readings/", **JSON)

    assert answer.status_code == 401 and answer.json()["message"] == "登录已过期，请重新登录后再上传"


def test_a_retyped_certificate_number_is_checked_again_without_reading_again(page):
    browser = page("chongqing")
    record = Record.objects.get_or_create(person=Person.objects.get())[0]
    record.sections = {"qualifications": [{"certificate_number": "ZK2019001234"}]}
    record.save()
    upload(browser, "chongqing", "qualification")
    read("qualification", {"numbers": ["ZK2019001234", "20190512"], "lines": ["证书编号 ZK2019001234"]})
    matching = slot(text(browser.get("/chongqing/record/attachments/")), "qualification-0")

    record.sections = {"qualifications": [{"certificate_number": "ZK2019009999"}]}
    record.save()
    retyped = slot(text(browser.get("/chongqing/record/attachments/")), "qualification-0")

    assert "✓</span> 证书编号与填写一致" in matching
    assert "证书上未找到填写的证书编号，请核对证书编号或上传清晰的证书照片" in retyped


def test_the_summary_lists_the_warnings_linked_to_their_material_and_submitting_still_works(register):
    registered = register(province="chongqing", id_number=valid_id_number(region="500103"))
    with queued():
        complete_chongqing_record(Api(registered["token"]))
    person = Person.objects.get(pk=registered["id"])
    read("id_front", someone_elses_card(person))
    browser = signed_in(person)

    summary = text(browser.get("/chongqing/record/commitment/"))
    submitted = browser.post("/chongqing/record/commitment/", {"accept_commitment": "on"})

    assert "提交前自查" in summary  # the warnings are listed once, in the self-check, with the reason
    assert f'<a href="/chongqing/record/attachments/#m-id_front-0">证件正面照片：{MISMATCH}</a>' in summary
    assert "审核常见问题：" in summary
    assert "不影响提交；但如确有不符，审核可能不予通过。" in summary
    assert "还需补充" not in summary
    assert submitted.status_code == 302 and submitted["Location"] == "/chongqing/me/?submitted=1"
    assert Submission.objects.get().record.person == person


def test_the_summary_says_nothing_when_every_check_passed(page):
    browser = page("chongqing")
    upload(browser, "chongqing", "id_front")
    read("id_front", own_card(Person.objects.get()))

    summary = text(browser.get("/chongqing/record/commitment/"))

    assert "提交前自查" not in summary
