"""The self-check before submitting (issue 17 item 5): each rule, on records as people fill them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from accreg.accounts.models import Person
from accreg.collection.models import Record
from accreg.collection.self_check import self_check
from accreg.provinces.loader import all_profiles
from accreg.reading.models import Reading
from accreg.uploads.services import upload_material
from tests.conftest import valid_id_number
from tests.pictures import busy_jpeg, portrait_jpeg

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
BORN = datetime.date(1990, 3, 7)


def person_with(province: str = "henan", sections: dict[str, Any] | None = None) -> tuple[Person, Record]:
    from accreg.accounts.identity import check_id_number
    from accreg.accounts.people import set_identity

    person = Person(province=province, name="王芳")
    set_identity(person, check_id_number("111", valid_id_number(region="410105", birth="19900307")))
    person.save()
    assert person.birth_date == BORN
    return person, Record.objects.create(person=person, sections=sections or {})


def found(person: Person, record: Record, profile: Any = None) -> list[dict[str, str]]:
    return self_check(person, record, profile=profile or all_profiles()[person.province], today=TODAY)


def test_a_record_with_nothing_odd_has_no_findings():
    person, record = person_with(
        sections={
            "education": {"full_time": {"level": "21", "graduation_date": "2012-07-01"}},
            "work": {"hire_date": "2012-08-01", "accounting_start_date": "2012-08-01", "accounting_years": 14},
            "qualifications": [{"obtained_date": "2015-05-20", "certificate_number": "Z20154101000566"}],
        }
    )

    assert found(person, record) == []


def test_graduating_before_sixteen_is_a_likely_education_return():
    person, record = person_with(sections={"education": {"full_time": {"graduation_date": "2000-07-01"}}})

    assert found(person, record) == [
        {
            "reason": "R03",
            "label": "学历证书与填报信息不一致",
            "message": "全日制毕业时间（2000-07-01）时您还不满16周岁，请核对",
            "step": "education",
            "field": "education.full_time.graduation_date",
        }
    ]


def test_a_qualification_before_sixteen_is_a_likely_qualification_return():
    person, record = person_with(sections={"qualifications": [{}, {"obtained_date": "2004-05-20"}]})

    [finding] = found(person, record)

    assert finding["reason"] == "R05" and finding["label"] == "资格证书信息与证书不一致"
    assert finding["message"] == "第2条取得时间（2004-05-20）时您还不满16周岁，请核对"
    assert finding["field"] == "qualifications.1.obtained_date" and finding["step"] == "qualifications"


def test_hired_or_starting_accounting_before_sixteen_names_the_work_fields():
    person, record = person_with(
        province="liaoning", sections={"work": {"hire_date": "2005-01-01", "accounting_start_date": "2006-03-06"}}
    )

    findings = found(person, record)

    assert [(f["reason"], f["field"], f["message"]) for f in findings] == [
        ("R10", "work.hire_date", "入职时间（2005-01-01）时您还不满16周岁，请核对"),
        ("R11", "work.accounting_start_date", "从事会计工作时间（2006-03-06）时您还不满16周岁，请核对"),
    ]
    assert findings[1]["label"] == "从事会计工作时间或年限有误"


def test_the_sixteenth_birthday_itself_is_fine():
    person, record = person_with(sections={"work": {"accounting_start_date": "2006-03-07"}})

    assert found(person, record) == []


def test_more_accounting_years_than_since_the_start_is_a_likely_return_where_saving_allows_it():
    person, record = person_with(
        province="yunnan", sections={"work": {"accounting_start_date": "2020-09-01", "accounting_years": 8}}
    )

    [finding] = found(person, record)

    assert finding["reason"] == "R11" and finding["field"] == "work.accounting_years"
    assert finding["message"] == "从事会计工作年限（8年）超过从开始从事会计工作时间至今的整年数（6年），请核对"


def test_a_unit_credit_code_with_a_wrong_check_character():
    person, record = person_with(sections={"work": {"unit_credit_code": "91110000600037341X"}})

    assert found(person, record) == [
        {
            "reason": "R10",
            "label": "工作单位信息有误",
            "message": "统一社会信用代码校验位不正确，请与营业执照核对",
            "step": "work",
            "field": "work.unit_credit_code",
        }
    ]


def test_an_optional_work_proof_not_uploaded_is_a_likely_return():
    profile = all_profiles()["liaoning"]
    optional = profile.materials["work_proof"].model_copy(update={"required_when": "optional"})
    offered = profile.model_copy(update={"materials": {**profile.materials, "work_proof": optional}})
    person, record = person_with(province="liaoning")

    [finding] = found(person, record, offered)

    assert finding == {
        "reason": "R04",
        "label": "工作证明缺失或未盖章",
        "message": f"未上传{optional.label}，审核时常因缺少此材料而不予通过",
        "step": "attachments",
        "field": "material:work_proof",
    }


def read(person: Person, kind: str, facts: dict[str, Any], *, item: int = 0) -> None:
    """The picture uploaded as the person would, then read as the reader would store it."""
    material = upload_material(person, kind, item=item, data=busy_jpeg(1200, 1600))
    Reading.objects.filter(file=material.file.name).update(state="done", facts=facts, read_at=timezone.now())


def test_a_photo_without_a_white_background_is_a_likely_photo_return():
    person, record = person_with()
    # Read as the upload reads it: the face found, the blue wall measured along the edges.
    upload_material(person, "photo", item=0, data=portrait_jpeg(900, 1200, background=(90, 120, 200)))

    assert found(person, record) == [
        {
            "reason": "R01",
            "label": "照片不符合要求",
            "message": "照片背景不是白色，请在白色墙面前重新拍摄（要求白底）",
            "step": "attachments",
            "field": "material:photo",
        }
    ]


def test_an_id_card_with_another_number_or_expired_is_a_likely_id_return():
    person, record = person_with()
    read(person, "id_front", {"name": "王芳", "id_number": valid_id_number(region="410105", seq=9), "lines": []})
    read(person, "id_back", {"valid_from": "2010-01-01", "valid_until": "2020-01-01", "lines": []})

    findings = found(person, record)

    assert [(f["reason"], f["field"], f["message"]) for f in findings] == [
        ("R02", "material:id_front", "照片中的证件号码与注册信息不一致，请确认上传的是本人证件"),
        ("R02", "material:id_back", "证件已于2020年01月01日过期，请上传有效证件"),
    ]


def test_a_certificate_without_the_typed_number_points_at_the_number():
    person, record = person_with(
        sections={"qualifications": [{"level": "01", "obtained_date": "2015-05-20", "certificate_number": "Z2015001"}]}
    )
    read(person, "qualification", {"numbers": ["Z2015002"], "lines": ["会计专业技术资格证书", "Z2015002"]})

    [finding] = found(person, record)

    assert finding["reason"] == "R05" and finding["step"] == "qualifications"
    assert finding["field"] == "qualifications.0.certificate_number"
    assert finding["message"] == "证书上未找到填写的证书编号，请核对证书编号或上传清晰的证书照片"


def test_a_picture_still_being_read_is_not_judged():
    person, record = person_with()
    upload_material(person, "id_front", item=0, data=busy_jpeg(1200, 1600))

    assert Reading.objects.get().state == "pending"
    assert found(person, record) == []
