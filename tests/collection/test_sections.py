"""GET /api/v1/me/record and PUT /api/v1/me/record/sections/{section}: the rules of SPEC §3,
drafts and completeness, as a client sees them."""

import datetime
import json

import pytest
from stdnum.cn import uscc

from tests.collection.answers import CHONGQING_EMPLOYED_WORK, CREDIT_CODE
from tests.conftest import Api, valid_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(register):  # type: ignore[no-untyped-def]
    def make(province: str = "chongqing", region: str = "500103", **kwargs) -> Api:  # type: ignore[no-untyped-def]
        registered = register(province=province, id_number=valid_id_number(region=region, birth="19900307"), **kwargs)
        return Api(registered["token"])

    return make


def put(client: Api, section: str, body):  # type: ignore[no-untyped-def]
    return client.client.put(
        f"/api/v1/me/record/sections/{section}",
        json.dumps(body),
        content_type="application/json",
        headers=client._headers(),
    )


def employed(**changes):
    return {**CHONGQING_EMPLOYED_WORK, **changes}


def test_a_new_record_is_a_draft_with_its_steps_in_province_order(person):
    client = person("henan", region="410105")

    record = client.get("/api/v1/me/record").json()

    assert record["status"] == "draft"
    assert record["sections"] == {"personal": {"birth_date": "1990-03-07", "gender": "1"}}  # from the ID, at once
    assert [s["key"] for s in record["steps"]][:4] == ["notice", "personal", "education", "work"]
    assert record["steps"][1]["state"] == "empty"
    assert record["registration"]["id_number"].startswith("410***")
    assert "talent" in record["rules"]["sections"]


def test_personal_saves_and_the_birth_date_comes_from_the_id(person):
    client = person("liaoning", region="210102")

    response = put(
        client,
        "personal",
        {
            "ethnicity": "01",
            "political_status": "13",
            "country": "CHN",
            "email": "liu@example.com",
            "birth_date": "2001-01-01",
        },
    )

    assert response.status_code == 200
    assert response.json()["data"]["birth_date"] == "1990-03-07"  # typed value ignored
    personal = next(s for s in response.json()["steps"] if s["key"] == "personal")
    assert personal["state"] == "complete"


def test_bad_values_are_named_and_nothing_is_saved(person):
    client = person()

    response = put(client, "personal", {"ethnicity": "99", "email": "not-an-email", "shoe_size": 42})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "ethnicity": ["请从列表中选择民族"],
        "email": ["请填写正确的电子邮箱，如 name@example.com"],
        "shoe_size": ["没有这一项"],
    }
    assert client.get("/api/v1/me/record").json()["sections"].keys() == {"personal"}  # only what the ID gives
    assert client.get("/api/v1/me/record").json()["sections"]["personal"].keys() == {"birth_date", "gender"}


def test_a_half_filled_section_is_saved_as_a_draft_with_what_is_missing(person):
    client = person("liaoning", region="210102")

    response = put(client, "personal", {"ethnicity": "01"})

    assert response.status_code == 200
    assert response.json()["missing"] == {
        "political_status": ["请选择政治面貌"],
        "country": ["请选择国家（地区）"],
        "email": ["请填写电子邮箱"],
    }
    step = next(s for s in response.json()["steps"] if s["key"] == "personal")
    assert step["state"] == "incomplete"


def test_an_employed_person_gets_the_county_bureau_proposed(person):
    client = person()

    response = put(client, "work", employed())

    assert response.status_code == 200, response.json()
    assert response.json()["data"]["department"] == "500103"
    assert response.json()["missing"] == {}


def test_the_person_may_choose_another_bureau_serving_the_region_but_not_any(person):
    client = person()

    city = put(client, "work", employed(department="500000"))
    other = put(client, "work", employed(department="410105"))

    assert city.json()["data"]["department"] == "500000"
    assert other.status_code == 400
    assert other.json()["error"]["fields"] == {"department": ["请选择服务该地区的会计管理部门"]}


def test_a_place_outside_the_province_is_refused_with_the_provinces_words(person):
    client = person("liaoning", region="210102")

    response = put(client, "work", employed(employment="employed", unit_region="410105"))

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["unit_region"] == [
        "审核条件：工作单位、户籍、住址或学校所在地须在辽宁省。"
    ]


def test_unit_checks_credit_code_and_phone(person):
    client = person()
    wrong_code = CREDIT_CODE[:-1] + ("M" if CREDIT_CODE[-1] != "M" else "N")
    assert not uscc.is_valid(wrong_code)

    response = put(client, "work", employed(unit_credit_code=wrong_code, unit_phone="20000000"))

    assert response.json()["error"]["fields"] == {
        "unit_credit_code": ["统一社会信用代码应为18位且校验位正确，请与营业执照核对"],
        "unit_phone": ["单位电话请填手机号码，或区号加号码，如02320000000"],
    }


@pytest.mark.parametrize("phone", ["02320000000", "023-2000 0000", "13912345678"])
def test_unit_phone_may_be_a_mobile_or_area_code_and_number(person, phone):
    assert put(person(), "work", employed(unit_phone=phone)).status_code == 200


def test_an_accounting_post_needs_the_start_date_and_years(person):
    client = person()

    response = put(client, "work", employed(accounting_start_date="", accounting_years=None))

    assert response.status_code == 200
    assert response.json()["missing"] == {
        "accounting_start_date": ["请填写开始从事会计工作时间"],
        "accounting_years": ["请填写从事会计工作年限"],
    }


def test_years_cannot_exceed_the_whole_years_since_the_start(person):
    start = datetime.date.today().replace(year=datetime.date.today().year - 3) + datetime.timedelta(days=1)

    response = put(person(), "work", employed(accounting_start_date=start.isoformat(), accounting_years=3))

    assert response.json()["error"]["fields"] == {
        "accounting_years": ["从事会计工作年限不能超过从开始从事会计工作时间至今的整年数（2年）"]
    }


def test_dates_in_the_future_or_before_birth_are_refused(person):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()

    response = put(person(), "work", employed(hire_date=tomorrow, accounting_start_date="1985-01-01"))

    assert response.json()["error"]["fields"] == {
        "hire_date": ["入职时间不能晚于今天"],
        "accounting_start_date": ["开始从事会计工作时间不能早于出生日期"],
    }


def test_henan_start_date_is_not_before_full_time_graduation(person):
    client = person("henan", region="410105")
    put(client, "education", {"full_time": {"level": "21", "degree": "4", "graduation_date": "2012-07-01"}})

    response = put(
        client,
        "work",
        employed(
            employment="accounting_post", unit_region="410105", accounting_start_date="2011-09-01", accounting_years=5
        ),
    )

    assert response.json()["error"]["fields"]["accounting_start_date"] == [
        "会计从事时间不得早于全日制学历（学位）取得时间（2012-07-01）"  # HN 3.4 2's words
    ]


def test_henan_other_post_fixes_the_accounting_post_to_none(person):
    client = person("henan", region="410105")

    response = put(client, "work", employed(employment="other_post", unit_region="410105", accounting_post="02"))

    assert response.json()["data"]["accounting_post"] == "00"


def test_a_student_is_collected_at_the_school_and_unit_fields_are_dropped(person):
    client = person()

    response = put(
        client,
        "work",
        {**employed(employment="student", unit_region="500101"), "school_region": "500106", "school_name": "重庆大学"},
    )

    data = response.json()["data"]
    assert data["department"] == "500106"
    assert "unit_name" not in data and data["school_name"] == "重庆大学"


def test_chongqing_unemployed_may_be_collected_at_the_id_place(person):
    client = person(region="500103")

    response = put(
        client,
        "work",
        {
            "employment": "unemployed_local",
            "collect_at": "id_place",
            "technical_post": "00",
            "cpa": False,
            "tax_agent": False,
            "appraiser": False,
        },
    )

    assert response.json()["data"]["department"] == "500103"


def test_certificates_are_required_when_the_answer_is_yes(person):
    response = put(person(), "work", employed(cpa=True, technical_post="02"))

    assert response.json()["missing"] == {
        "technical_post_date": ["请填写会计专业技术职务聘任时间"],
        "cpa_number": ["请填写注册会计师证书编号"],
    }


def test_no_part_time_education_is_a_valid_answer(person):
    client = person("henan", region="410105")

    response = put(
        client,
        "education",
        {
            "full_time": {"level": "21", "degree": "4", "major": "120203K", "graduation_date": "2012-07-01"},
            "part_time": {"level": "00", "school": "ignored"},
        },
    )

    assert response.status_code == 200
    assert response.json()["data"]["part_time"] == {"level": "00"}
    assert response.json()["missing"] == {}


def test_a_qualification_record_is_all_or_nothing(person):
    client = person()

    response = put(client, "qualifications", [{"type": "01", "level": "02"}, {}])

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        # CQ 2.4 names them 专业技术资格取得时间, 专业技术资格证书号或批文号, 专业技术资格取得方式
        "0.certificate_number": ["已填写本条记录的其他内容，请同时填写专业技术资格证书号或批文号"],
        "0.method": ["已填写本条记录的其他内容，请同时选择专业技术资格取得方式"],
        "0.obtained_date": ["已填写本条记录的其他内容，请同时填写专业技术资格取得时间"],
    }


def test_whole_records_are_saved_and_blank_ones_dropped(person):
    client = person()
    item = {"type": "01", "level": "02", "obtained_date": "2018-05-20", "certificate_number": "Z1234", "method": "01"}

    response = put(client, "qualifications", {"items": [item, {"type": ""}]})

    assert response.status_code == 200
    assert response.json()["data"] == [item]


def test_author_rank_is_a_positive_whole_number(person):
    paper = {
        "title": "论管理会计",
        "published_date": "2020-01-01",
        "issue": "3",
        "serial_number": "CN11-1234",
        "author_rank": 0,
        "publisher": "财会月刊",
    }

    response = put(person(), "papers", [paper])

    assert response.json()["error"]["fields"] == {"0.author_rank": ["第几作者应为正整数，如第1作者填1"]}


def test_talent_level_and_kind_are_needed_unless_international(person):
    client = person("henan", region="410105")

    international = put(client, "talent", {"category": "02"})
    leading = put(client, "talent", {"category": "01"})

    assert international.status_code == 200
    assert leading.json()["error"]["fields"] == {
        "kind": ["请选择会计领军人才类别"],
        "level": ["请选择会计领军人才级别"],
    }


def test_a_section_the_province_does_not_collect_is_404(person):
    response = put(person("liaoning", region="210102"), "talent", {"category": "02"})

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "辽宁省不采集“高端人才”"


def test_the_record_needs_a_signed_in_person(api):
    assert api.get("/api/v1/me/record").status_code == 401


def test_drafts_are_there_on_another_device(person, register):
    client = person()
    put(client, "personal", {"ethnicity": "01"})

    record = client.get("/api/v1/me/record").json()  # another device: same token holder, new request

    assert record["sections"]["personal"]["ethnicity"] == "01"
    assert record["version"] == 1


def test_liaoning_asks_the_start_of_accounting_work_only_of_those_with_a_work_unit(person):
    client = person("liaoning", region="210102")

    without_unit = put(client, "work", {"employment": "not_employed", "residence_region": "210102"})
    with_unit = put(client, "work", {"employment": "employed", "unit_region": "210102"})

    assert without_unit.status_code == 200
    assert "accounting_start_date" not in without_unit.json()["missing"]  # LN 7: no star without a unit
    assert with_unit.json()["missing"]["accounting_start_date"] == ["请填写从事会计工作时间"]  # LN 7's words


@pytest.mark.parametrize(
    ("section", "body"),
    [
        ("work", {"employment": "employed", "unit_name": "重庆某某有限公司"}),  # half filled
        ("work", employed()),
        ("education", {"full_time": {"level": "21"}}),
        ("qualifications", []),
    ],
)
def test_the_steps_a_save_answers_with_are_the_steps_the_record_then_reads(person, section, body):
    """The save reuses its own check for the section it saved: what it says of every step is what
    a fresh read of the record says."""
    client = person()
    put(client, "personal", {"ethnicity": "01"})

    saved = put(client, section, body)

    assert saved.status_code == 200, saved.json()
    assert saved.json()["steps"] == client.get("/api/v1/me/record").json()["steps"]
    assert any(step["missing"] for step in saved.json()["steps"])
