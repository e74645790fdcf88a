"""The queue: oldest first, keyset pages, search by full ID, mobile, name and unit, filters,
counts per status and each item's age in working days."""

import pytest

from accreg.accounts.people import id_number_of, mobile_of

pytestmark = pytest.mark.django_db


def test_oldest_first_with_a_cursor_to_the_next_page(submitted, reviewer):
    made = [submitted(days_ago=d, name=f"人员{d}") for d in (3, 9, 1, 6, 12)]
    client = reviewer("410105")

    first = client.get("/api/v1/review/submissions?limit=2").json()
    second = client.get(f"/api/v1/review/submissions?limit=2&after={first['next']}").json()
    third = client.get(f"/api/v1/review/submissions?limit=2&after={second['next']}").json()

    names = [i["person"]["name"] for page in (first, second, third) for i in page["items"]]
    assert names == ["人员12", "人员9", "人员6", "人员3", "人员1"]
    assert third["next"] is None and len(made) == 5


def test_a_broken_cursor_is_a_clear_400(submitted, reviewer):
    response = reviewer("410105").get("/api/v1/review/submissions?after=not-a-cursor")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["after"] == ["翻页参数无效，请从第一页重新开始"]


def test_search_by_full_id_number_mobile_name_and_unit(submitted, reviewer):
    target = submitted(name="李娜", unit="郑州金水会计事务所")
    submitted(name="王强", unit="河南某某有限公司")
    client = reviewer("410105")
    person = target.record.person

    def found(q: str) -> list[str]:
        return [i["person"]["name"] for i in client.get(f"/api/v1/review/submissions?q={q}").json()["items"]]

    assert found(id_number_of(person)) == ["李娜"]
    assert found(id_number_of(person).lower()) == ["李娜"]  # a lower-case x is the same number
    assert found(mobile_of(person)) == ["李娜"]
    assert found("李娜") == ["李娜"]
    assert found("金水会计") == ["李娜"]
    assert found(id_number_of(person)[:14]) == []  # part of an ID number is not a search


def test_items_show_masked_identity_age_and_overdue(submitted, reviewer):
    submitted(days_ago=30)

    item = reviewer("410105").get("/api/v1/review/submissions").json()["items"][0]

    assert "*" in item["person"]["id_number"] and "*" in item["person"]["mobile"]
    assert item["age_working_days"] >= 18  # thirty calendar days hold at least 18 working days
    assert item["overdue"] is True and item["service_days"] == 10


def test_counts_per_status_and_the_status_filter(submitted, reviewer):
    pending, other = submitted(), submitted()
    client = reviewer("410105")
    client.post(f"/api/v1/review/submissions/{other.pk}/decision", {"decision": "approve", "version": other.version})

    page = client.get("/api/v1/review/submissions?status=approved").json()

    assert [i["id"] for i in page["items"]] == [other.pk]
    assert page["counts"] == {"pending": 1, "approved": 1, "returned": 0}
    assert pending.pk != other.pk


def test_the_kept_counts_match_a_recount(submitted, reviewer):
    from accreg.collection.counters import rebuild
    from accreg.collection.models import SubmissionCount

    made = [submitted("410105"), submitted("410102"), submitted("410105")]
    reviewer("410100").post(f"/api/v1/review/submissions/{made[0].pk}/decision", {"decision": "approve", "version": 1})
    kept = set(SubmissionCount.objects.filter(n__gt=0).values_list("department_id", "status", "n"))

    rebuild()

    assert kept == set(SubmissionCount.objects.values_list("department_id", "status", "n"))
    assert kept == {("410105", "approved", 1), ("410105", "pending", 1), ("410102", "pending", 1)}


def test_filtered_counts_are_counted(submitted, reviewer):
    submitted(name="李娜")
    submitted(name="王强")

    page = reviewer("410105").get("/api/v1/review/submissions?q=李娜").json()

    assert page["counts"]["pending"] == 1
