"""Finding a person at the department's desk (issue 15 item 1): by a whole ID number, a whole
mobile or the start of a name, whether or not they submitted; numbers masked on the way out."""

import pytest

from accreg.collection.models import Record
from accreg.regions.models import Department

from .conftest import sign_in

pytestmark = pytest.mark.django_db

KEYS = {
    "id",
    "name",
    "id_number",
    "mobile",
    "province",
    "province_name",
    "status",
    "status_label",
    "locked",
    "last_sign_in_at",
    "department",
}


def test_a_whole_id_number_finds_the_person_with_numbers_masked(accountant, desk):
    person = accountant("410105", name="李娜")
    accountant("410105", name="李强")

    rows = desk("410105").get(f"/api/v1/review/people?q={person['id_number']}").json()

    assert [row["id"] for row in rows] == [person["id"]]
    row = rows[0]
    assert set(row) == KEYS
    assert row["name"] == "李娜"
    assert row["id_number"] == person["id_number"][:3] + "*" * 11 + person["id_number"][-4:]
    assert row["mobile"] == person["mobile"][:3] + "****" + person["mobile"][-4:]
    assert (row["province"], row["status"], row["locked"]) == ("henan", "draft", False)
    assert row["department"] == {"code": "410105", "name": "金水区财政局"}


def test_the_lowercase_x_of_an_id_number_and_spaces_are_forgiven(accountant, desk):
    person = accountant("410105")
    typed = " ".join([person["id_number"][:6], person["id_number"][6:].lower()])

    rows = desk("410105").get(f"/api/v1/review/people?q={typed}").json()

    assert [row["id"] for row in rows] == [person["id"]]


def test_a_whole_mobile_finds_the_person(accountant, desk):
    person = accountant("410105")
    accountant("410105")

    rows = desk("410100").get(f"/api/v1/review/people?q={person['mobile']}").json()

    assert [row["id"] for row in rows] == [person["id"]]


def test_part_of_a_number_finds_nobody(accountant, desk):
    person = accountant("410105")

    response = desk("410105").get(f"/api/v1/review/people?q={person['id_number'][:10]}")

    assert response.status_code == 200
    assert response.json() == []


def test_the_start_of_a_name_finds_everyone_so_named_by_name(accountant, desk):
    accountant("410105", name="王强")
    accountant("410105", name="王芳")
    accountant("410105", name="李王")

    rows = desk("410105").get("/api/v1/review/people?q=王").json()

    assert sorted(row["name"] for row in rows) == sorted(["王强", "王芳"])  # not 李王


def test_people_who_never_submitted_are_found_and_the_status_is_the_records(accountant, desk):
    drafting = accountant(None, name="赵敏")  # no department yet: the province's bureau
    pending = accountant(None, name="赵雷")
    Record.objects.create(person_id=pending["id"], status="pending", department=Department.objects.get(code="410105"))

    province_rows = desk("410000").get("/api/v1/review/people?q=赵").json()
    county_rows = desk("410105").get("/api/v1/review/people?q=赵").json()

    assert {row["name"]: row["status"] for row in province_rows} == {"赵敏": "draft", "赵雷": "pending"}
    assert [row["id"] for row in county_rows] == [pending["id"]]  # submitted there; 赵敏 is the province's
    assert drafting["id"] not in [row["id"] for row in county_rows]


def test_a_locked_account_says_so_and_the_last_sign_in_is_shown(api, accountant, desk):
    person = accountant("410105", name="孙丽")
    assert sign_in(api, person).status_code == 201
    for _ in range(5):
        sign_in(api, person, password="wrong-2026")

    row = desk("410105").get(f"/api/v1/review/people?q={person['mobile']}").json()[0]

    assert row["locked"] is True
    assert row["last_sign_in_at"] is not None


def test_a_search_without_a_number_or_name_says_what_to_type(desk):
    for q in ("", "%%%", "12"):
        response = desk("410105").get(f"/api/v1/review/people?q={q}")

        assert response.status_code == 400, q
        assert response.json()["error"]["fields"] == {
            "q": ["请输入完整的证件号码、完整的手机号，或姓名的开头（如“王”或“王芳”）"]
        }


def test_pages_follow_the_link_header(accountant, desk, django_assert_max_num_queries):
    ids = {accountant("410105", name=name)["id"] for name in ("周一", "周二", "周三")}
    client = desk("410105")

    with django_assert_max_num_queries(8):
        first = client.get("/api/v1/review/people?q=周&limit=2")
    link = first["Link"].split(";")[0].strip("<>")
    second = client.get(link)

    assert len(first.json()) == 2
    assert len(second.json()) == 1
    assert "Link" not in second
    assert {row["id"] for row in first.json() + second.json()} == ids
