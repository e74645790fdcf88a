"""The queue's tabs show each person's item in its latest state: a submission returned and then
submitted again leaves 已退回 (issue 14, item 6)."""

import pytest

from accreg.accounts.models import Person
from accreg.collection.counters import rebuild
from accreg.collection.models import SubmissionCount
from tests.collection.test_submission import complete_chongqing_record
from tests.conftest import Api, CommittingClient, valid_id_number

pytestmark = pytest.mark.django_db


def decide(staff: Api, submission_id: int, **decision: object) -> None:
    version = staff.get(f"/api/v1/review/submissions/{submission_id}").json()["version"]
    answer = staff.post(f"/api/v1/review/submissions/{submission_id}/decision", {"version": version, **decision})
    assert answer.status_code == 200, answer.json()


def test_a_resubmitted_and_approved_person_leaves_the_returned_tab(register, reviewer, make_staff):
    registered = register(province="chongqing", name="周敏", id_number=valid_id_number(region="500103"))
    person = Api(registered["token"])
    complete_chongqing_record(person)
    staff = reviewer("500103")
    first = person.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    decide(staff, first["id"], decision="return", reason="照片不清晰")
    second = person.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    decide(staff, second["id"], decision="approve")
    browser = CommittingClient()
    browser.force_login(make_staff("yuzhong", "500103"))

    returned = staff.get("/api/v1/review/submissions?status=returned").json()
    approved = staff.get("/api/v1/review/submissions?status=approved").json()
    page = browser.get("/review/?status=returned").content.decode()

    assert returned["items"] == []
    assert [i["id"] for i in approved["items"]] == [second["id"]]
    assert returned["counts"] == {"pending": 0, "approved": 1, "returned": 0}
    assert "周敏" not in page and "已退回 <b>0</b>" in page
    assert staff.get(f"/api/v1/review/submissions/{first['id']}").status_code == 200  # history stays readable
    kept = set(SubmissionCount.objects.filter(n__gt=0).values_list("department_id", "status", "n"))
    rebuild()
    assert kept == set(SubmissionCount.objects.filter(n__gt=0).values_list("department_id", "status", "n"))
    assert Person.objects.get(pk=registered["id"]).name == "周敏"
