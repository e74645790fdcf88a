"""The duplicate guard on the reviewer's detail (issue 17 item 4): the same picture or the same
certificate number in another person's record, linked only where the reviewer may look."""

from __future__ import annotations

import datetime
import itertools
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity, set_mobile
from accreg.collection.certificate_numbers import index_all, index_submission, normal_number
from accreg.collection.models import CertificateNumber, Record, Submission
from accreg.collection.submission import search_fields
from accreg.reading.fingerprint import image_phash, is_blank_hash
from accreg.regions.models import Department
from accreg.uploads.services import upload_material
from tests.conftest import CommittingClient, valid_id_number
from tests.pictures import distinct_portrait_jpeg

pytestmark = pytest.mark.django_db

_serial = itertools.count(500)
PROVINCE_OF = {"41": "henan", "21": "liaoning"}


def submitted_with(region: str, *, name: str, photo: bytes | None = None, qualification_number: str = "") -> Submission:
    """A person of `region` who uploaded `photo` through the upload service (so it is hashed as
    any upload is) and submitted, frozen as submit_record freezes it and indexed as it indexes."""
    n = next(_serial)
    person = Person(province=PROVINCE_OF[region[:2]], name=name)
    set_identity(person, check_id_number("111", valid_id_number(region=region, seq=n)))
    set_mobile(person, f"137{n:08d}")
    person.save()
    sections: dict[str, Any] = {"work": {"employment": "employed", "unit_region": region, "department": region}}
    if qualification_number:
        sections["qualifications"] = [{"level": "01", "certificate_number": qualification_number}]
    record = Record.objects.create(person=person, sections=sections)
    if photo is not None:
        upload_material(person, "photo", item=0, data=photo)
    materials = [
        {"kind": m.kind, "item": m.item, "file": m.file.name, "format": m.format, "width": m.width}
        | {"height": m.height, "bytes": m.size}
        for m in record.materials.all()
    ]
    department = Department.objects.get(code=region)
    submission = Submission.objects.create(
        record=record,
        snapshot={"registration": {"name": name}, "sections": sections, "materials": materials},
        record_version=1,
        department=department,
        due_by=timezone.localdate() + datetime.timedelta(days=14),
        **search_fields(person, sections),
    )
    Record.objects.filter(pk=record.pk).update(status="pending", department=department)
    index_submission(submission)
    return submission


@pytest.fixture
def console(make_staff):  # type: ignore[no-untyped-def]
    def make(department: str) -> CommittingClient:
        browser = CommittingClient()
        browser.force_login(make_staff(f"reviewer-{department}", department))
        return browser

    return make


def page(browser: CommittingClient, submission: Submission) -> str:
    response = browser.get(f"/review/submissions/{submission.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_same_photo_in_another_province_is_flagged_without_a_link(console, reviewer):
    picture = distinct_portrait_jpeg(11)
    henan = submitted_with("410105", name="王芳", photo=picture)
    liaoning = submitted_with("210102", name="赵云", photo=picture)

    html = page(console("410105"), henan)
    api = reviewer("410105", "api-410105").get(f"/api/v1/review/submissions/{henan.pk}").json()

    assert "疑似重复，请核实" in html
    assert "近期白底电子证件照：另一人的档案中有相同的图片" in html
    assert "该档案不在您的管辖范围内" in html
    assert "赵云" not in html and "辽宁" not in html and "沈阳" not in html and "和平区" not in html
    assert f"/review/submissions/{liaoning.pk}/" not in html
    assert api["duplicates"] == [
        {
            "kind": "image",
            "material": "photo",
            "item": 0,
            "message": "近期白底电子证件照：另一人的档案中有相同的图片",
            "link": None,
        }
    ]


def test_the_other_province_sees_the_flag_but_nothing_of_the_henan_person(console):
    picture = distinct_portrait_jpeg(12)
    henan = submitted_with("410105", name="王芳", photo=picture)
    liaoning = submitted_with("210102", name="赵云", photo=picture)

    browser = console("210102")
    html = page(browser, liaoning)

    assert "近期1寸免冠照：另一人的档案中有相同的图片" in html
    assert "王芳" not in html and "河南" not in html and "金水区" not in html
    assert f"/review/submissions/{henan.pk}/" not in html
    assert browser.get(f"/review/submissions/{henan.pk}/").status_code == 404


def test_the_same_photo_in_the_same_city_links_to_the_other_record(console):
    picture = distinct_portrait_jpeg(13)
    first = submitted_with("410105", name="王芳", photo=picture)
    second = submitted_with("410102", name="李娜", photo=picture)

    browser = console("410100")  # 郑州市财政局: both counties are in its subtree
    html = page(browser, first)

    assert "另一人的档案中有相同的图片" in html
    assert f'<a href="/review/submissions/{second.pk}/">查看另一人的档案</a>' in html
    assert browser.get(f"/review/submissions/{second.pk}/").status_code == 200


def test_different_photos_are_not_flagged_and_blank_pictures_carry_no_hash_to_compare(console):
    out = BytesIO()
    Image.new("RGB", (900, 1200), (255, 255, 255)).save(out, "JPEG")
    one = submitted_with("410105", name="王芳", photo=distinct_portrait_jpeg(21))
    submitted_with("410105", name="李娜", photo=distinct_portrait_jpeg(22))

    assert "疑似重复" not in page(console("410105"), one)
    # A blank page (a photo is refused without a face; a scan may be blank) hashes like every other.
    assert is_blank_hash(image_phash(out.getvalue()))


def test_a_picture_many_people_share_is_no_signal(console):
    picture = distinct_portrait_jpeg(31)
    first = submitted_with("410105", name="王芳", photo=picture)
    for n in range(4):
        submitted_with("410105", name=f"李{'一二三四'[n]}", photo=picture)

    assert "疑似重复" not in page(console("410105"), first)


def test_the_same_certificate_number_is_flagged_and_a_different_one_is_not(console):
    first = submitted_with("410105", name="王芳", qualification_number="2012 4101 0005 66")
    second = submitted_with("410102", name="李娜", qualification_number="201241010005６６")  # full-width 66
    other = submitted_with("410105", name="张伟", qualification_number="201241010005677")

    browser = console("410100")
    html = page(browser, first)

    assert "专业技术资格信息：第1条证书编号或批文号“20124101000566”：另一人的档案中填写了相同的证书编号" in html
    assert f'<a href="/review/submissions/{second.pk}/">查看另一人的档案</a>' in html
    assert "疑似重复" not in page(browser, other)


def test_a_certificate_number_typed_in_liaoning_is_flagged_in_henan_without_a_link(console):
    henan = submitted_with("410105", name="王芳", qualification_number="Z20124101000566")
    submitted_with("210102", name="赵云", qualification_number="z20124101000566")

    html = page(console("410105"), henan)

    assert "另一人的档案中填写了相同的证书编号" in html and "该档案不在您的管辖范围内" in html
    assert "赵云" not in html


def test_numbers_are_compared_in_one_form_and_placeholders_are_dropped():
    assert normal_number(" ｚ2012-4101 0005 66 ") == "Z20124101000566"
    assert normal_number("000000") == "" and normal_number("无") == "" and normal_number("12345") == ""


def test_a_new_submission_replaces_the_persons_numbers_and_the_backfill_repeats_safely():
    first = submitted_with("410105", name="王芳", qualification_number="20124101000566")
    snapshot = {**first.snapshot, "sections": {"qualifications": [{"certificate_number": "20134101000777"}]}}
    again = Submission.objects.create(
        record=first.record,
        snapshot=snapshot,
        record_version=2,
        department=first.department,
        due_by=first.due_by,
        status="approved",
    )
    index_submission(again)
    CertificateNumber.objects.all().delete()

    done = index_all()
    index_all()

    assert done == 1
    assert list(CertificateNumber.objects.values_list("number", "field")) == [
        ("20134101000777", "qualifications.0.certificate_number")
    ]
