"""What the machine read, as the reviewer sees it (issue 17 item 3): ✓ or ✗ beside the field a check
concerns (the name, the ID number, the typed certificate number), each image with its checks and
their messages, 识别中 while a reading waits and 未能识别 when it failed. The readings are rows as
the worker stores them (facts in the schema of accreg/reading/checks.py); the checks are real."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from accreg.accounts.people import id_number_of
from accreg.collection.models import Submission
from accreg.reading.models import Reading
from accreg.review.detail import field_readings
from tests.conftest import CommittingClient, valid_id_number

pytestmark = pytest.mark.django_db

QUALIFICATION = {"type": "1", "level": "1", "certificate_number": "ZK2019001234"}
EDUCATION = {"full_time": {"level": "21", "certificate_number": "105581201205001234"}}


@pytest.fixture
def console(make_staff):  # type: ignore[no-untyped-def]
    staff = make_staff("reviewer", "410105")
    browser = CommittingClient()
    browser.force_login(staff)
    return browser


def with_materials(submission: Submission, *kinds: str) -> Submission:
    """The submission's snapshot with these materials (and the education and qualification typed)."""
    snapshot = submission.snapshot
    snapshot["sections"] |= {"education": EDUCATION, "qualifications": [QUALIFICATION]}
    snapshot["materials"] = [
        {
            "kind": kind,
            "item": 0,
            "file": f"materials/{submission.record.person_id}/{kind}-0.jpg",
            "format": "jpeg",
            "width": 1200,
            "height": 800,
            "bytes": 90_000,
        }
        for kind in kinds
    ]
    submission.snapshot = snapshot
    submission.save()
    return submission


def read(submission: Submission, kind: str, facts: dict | None = None, *, state: str = "done") -> None:  # type: ignore[type-arg]
    Reading.objects.create(
        file=f"materials/{submission.record.person_id}/{kind}-0.jpg",
        person=submission.record.person,
        kind=kind,
        state=state,
        facts=facts or {},
        read_at=timezone.now() if state == "done" else None,
    )


def beside(page: str, field: str) -> str:
    """The marks beside a field, up to the end of the field's cell (or the name's heading)."""
    found = re.search(
        rf'<span class="rd-beside" data-beside="{re.escape(field)}">(.*?)</span>\s*(</td>|</dd>|<span class="kind)',
        page,
        re.S,
    )
    assert found, field
    return found.group(1)


def on_image(page: str, kind: str) -> str:
    found = re.search(rf'<p class="readings" data-readings="{kind}-0">(.*?)</p>', page, re.S)
    assert found, kind
    return found.group(1)


def test_the_reviewer_sees_ticks_and_crosses_beside_the_fields_and_on_the_images(submitted, console):
    submission = with_materials(
        submitted("410105", name="王芳"), "photo", "id_front", "id_back", "full_time_education", "qualification"
    )
    person = submission.record.person
    other = valid_id_number(region="410105", birth="19851111", seq=7)
    read(
        submission,
        "photo",
        {"face": {"box": [80, 90, 140, 170]}, "background": {"white": False, "rgb": [90, 120, 200]}},
    )
    read(submission, "id_front", {"name": "王芳", "id_number": other, "lines": []})
    read(submission, "id_back", {"valid_from": "2016-05-01", "valid_until": "长期", "lines": []})
    read(submission, "full_time_education", {"numbers": ["105581201205001234"], "lines": []})
    read(submission, "qualification", {"numbers": ["ZK2019005678"], "lines": []})
    assert other != id_number_of(person)

    page = console.get(f"/review/submissions/{submission.pk}/").content.decode()

    name = beside(page, "name")
    assert 'class="rd rd-ok" data-check="id_name" title="姓名与注册信息一致"><b aria-hidden="true">✓</b>' in name
    id_number = beside(page, "id_number")
    assert 'class="rd rd-bad" data-check="id_number"' in id_number and '<b aria-hidden="true">✗</b>' in id_number
    assert "照片中的证件号码与注册信息不一致，请确认上传的是本人证件" in id_number
    assert "✓</b> 证书编号与填写一致" in beside(page, "education.full_time.certificate_number")
    assert "✗</b> 证书上未找到填写的证书编号" in beside(page, "qualifications.0.certificate_number")
    assert "✓</b> 已按人脸位置裁剪为1寸照片" in on_image(page, "photo")
    assert "✗</b> 照片背景不是白色，请在白色墙面前重新拍摄（要求白底）" in on_image(page, "photo")
    assert "✓</b> 证件长期有效" in on_image(page, "id_back")
    assert "姓名与注册信息一致" in on_image(page, "id_front") and "证件号码与注册信息不一致" in on_image(
        page, "id_front"
    )
    assert id_number_of(person) not in page  # still masked


def test_a_reading_still_pending_or_failed_says_so_beside_its_fields(submitted, console):
    submission = with_materials(submitted("410105"), "id_front", "qualification", "full_time_degree")
    read(submission, "id_front", state="pending")
    read(submission, "qualification", state="failed")

    page = console.get(f"/review/submissions/{submission.pk}/").content.decode()

    assert ">识别中</span>" in beside(page, "name") and ">识别中</span>" in beside(page, "id_number")
    assert ">识别中</span>" in on_image(page, "id_front")
    assert ">未能识别</span>" in beside(page, "qualifications.0.certificate_number")
    assert 'title="系统未能识别这项材料，请人工核对">未能识别' in on_image(page, "qualification")
    assert 'data-readings="full_time_degree-0"' not in page  # no reading: nothing said


def test_each_field_gets_the_checks_about_it():
    materials = [
        {
            "kind": "id_front",
            "item": 0,
            "reading": {
                "state": "done",
                "checks": [
                    {"key": "id_name", "ok": True, "message": "姓名与注册信息一致"},
                    {
                        "key": "id_number",
                        "ok": False,
                        "message": "照片中的证件号码与注册信息不一致，请确认上传的是本人证件",
                    },
                ],
            },
        },
        {"kind": "qualification", "item": 1, "reading": {"state": "pending", "checks": []}},
        {"kind": "full_time_education", "item": 0, "reading": {"state": "done", "checks": []}},  # no number typed
        {
            "kind": "photo",
            "item": 0,
            "reading": {"state": "done", "checks": [{"key": "face", "ok": True, "message": "x"}]},
        },
        {"kind": "work_proof", "item": 0, "reading": None},
    ]

    shown = field_readings(materials)

    assert shown == {
        "name": {"state": "done", "checks": [{"key": "id_name", "ok": True, "message": "姓名与注册信息一致"}]},
        "id_number": {
            "state": "done",
            "checks": [
                {"key": "id_number", "ok": False, "message": "照片中的证件号码与注册信息不一致，请确认上传的是本人证件"}
            ],
        },
        "qualifications.1.certificate_number": {"state": "pending", "checks": []},
    }
