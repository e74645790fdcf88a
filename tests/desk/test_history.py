"""The person page's history (issue 15 item 1): the account's events newest first, including the
record's submissions and the department's decisions on them, in words."""

import pytest

from accreg.accounts.services.tokens import issue_token
from tests.collection.test_submission import complete_chongqing_record
from tests.conftest import Api

pytestmark = pytest.mark.django_db


def test_submissions_decisions_and_desk_acts_are_in_the_history(
    accountant, desk, make_staff, django_assert_max_num_queries
):
    person = accountant("500103", province="chongqing", name="周敏")
    own = Api(person["token"])
    complete_chongqing_record(own)
    submitted = own.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    reviewer = Api(issue_token(staff=make_staff("yuzhong-reviewer", "500103")))
    version = reviewer.get(f"/api/v1/review/submissions/{submitted['id']}").json()["version"]
    reviewer.post(
        f"/api/v1/review/submissions/{submitted['id']}/decision",
        {"decision": "return", "version": version, "reason": "照片背景不是白色"},
    )
    staff = desk("500103")
    staff.post(f"/api/v1/review/people/{person['id']}/unlock", {"reason": "本人来电"})

    with django_assert_max_num_queries(20):
        detail = staff.get(f"/api/v1/review/people/{person['id']}").json()

    assert [event["label"] for event in detail["history"]] == ["解除登录锁定", "退回修改", "提交信息采集", "注册账户"]
    returned = detail["history"][1]
    assert returned["actor"] == "yuzhong-reviewer（yuzhong-reviewer）"
    assert returned["summary"] == "渝中区财政局；原因：照片背景不是白色"
    assert detail["status"] == "returned"


def test_another_persons_events_are_not_in_the_history(accountant, desk):
    person, other = accountant("410105"), accountant("410105")
    desk("410105").post(f"/api/v1/review/people/{other['id']}/unlock", {"reason": "本人来电"})

    detail = desk("410105").get(f"/api/v1/review/people/{person['id']}").json()

    assert [event["label"] for event in detail["history"]] == ["注册账户"]
