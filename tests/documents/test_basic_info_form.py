"""Liaoning's 基本信息表 (LN 10) as the person prints it: their own full mobile number, and 本人签字
at the bottom right of the form, never alone on a page of its own (issue 14, item 16)."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader
from stdnum.cn import ric

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity, set_mobile
from accreg.collection.models import Record
from accreg.documents.basic_info import basic_info_pdf
from accreg.provinces.loader import all_profiles

pytestmark = pytest.mark.django_db

WORK = {
    "employment": "employed",
    "unit_name": "沈阳某某会计服务有限公司",
    "unit_credit_code": "91110000600037341L",
    "unit_region": "210102",
    "unit_address": "人民路1号",
    "unit_type": "110",
    "unit_phone": "13800000000",
    "hire_date": "2014-03-01",
    "accounting_post": "02",
    "admin_post": "01",
    "accounting_start_date": "2013-07-01",
    "accounting_years": 10,
    "technical_post": "00",
    "abacus_grade": "00",
}
PERSONAL = {"ethnicity": "01", "political_status": "13", "country": "CHN", "email": "kj@example.com"}
EDUCATION = {
    "full_time": {
        "level": "21",
        "degree": "4",
        "major": "120203K",
        "school": "某某财经大学",
        "graduation_date": "2012-07-01",
    }
}
QUALIFICATION = {"type": "1", "level": "1", "obtained_date": "2015-05-01", "certificate_number": "Z1", "method": "1"}


def pages_of(qualifications: int) -> list[str]:
    first17 = "21010219900307521"
    person = Person(province="liaoning", name="刘阳")
    set_identity(person, check_id_number("111", first17 + ric.calc_check_digit(first17 + "0")))
    set_mobile(person, "13812345604")
    person.save()
    sections = {
        "personal": PERSONAL,
        "work": WORK,
        "education": EDUCATION,
        "qualifications": [QUALIFICATION] * qualifications,
    }
    record = Record.objects.create(person=person, sections=sections)
    pdf = basic_info_pdf(all_profiles()["liaoning"], person, record, today=datetime.date(2026, 12, 1))
    return [page.extract_text().replace("\x00", "") for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_form_carries_the_persons_own_full_mobile_number():
    text = "".join(pages_of(1))

    assert "13812345604" in text and "138****5604" not in text


@pytest.mark.parametrize("qualifications", [0, 1, 2, 3, 4, 5, 6])
def test_the_signature_is_never_alone_on_a_page(qualifications):
    pages = pages_of(qualifications)

    last = pages[-1]
    assert "本人签字" in last and "单位（盖章）" in last
    before_signature = last.split("本人承诺")[0]
    assert before_signature.strip()  # part of the form shares the page with the signature


def test_the_form_names_the_fields_as_liaonings_guide_does():
    text = "".join(pages_of(1)).replace("\n", "")

    assert "现任岗位" in text and "从事会计工作时间" in text  # LN 7
    assert "最高专业技术资格级别" in text and "最高取得方式" in text  # LN 9
    assert "现从事会计工作岗位" not in text and "开始从事会计工作时间" not in text
