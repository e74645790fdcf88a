"""Statistics over a date range, and each reviewer's workload for the department's leader
(issue 14, item 7)."""

import datetime
import re

import pytest
from django.utils import timezone

from accreg.collection.models import Submission
from accreg.collection.working_days import working_days_between
from accreg.review.decisions import Decision, decide
from tests.conftest import CommittingClient

pytestmark = pytest.mark.django_db


def row(page: str, name: str) -> list[str]:
    found = re.search(rf"<tr><th>{name}</th>(.*?)</tr>", page)
    assert found, f"no workload row for {name}"
    return re.findall(r"<td>([^<]*)</td>", found.group(1))


def test_statistics_count_the_people_submitted_in_a_range(submitted, make_staff):
    submitted(name="早", days_ago=40)
    submitted(name="近", days_ago=2)
    browser = CommittingClient()
    browser.force_login(make_staff("leader", "410105"))
    since = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()

    everyone = browser.get("/review/statistics/").content.decode()
    recent = browser.get(f"/review/statistics/?basis=submitted&from={since}").content.decode()
    decided = browser.get(f"/review/statistics/?basis=decided&from={since}").content.decode()

    assert "共 <b>2</b> 人" in everyone
    assert f"提交于 {since} 至 今天 的共 <b>1</b> 人" in recent
    assert "共 <b>0</b> 人" in decided  # nobody decided yet
    assert 'value="submitted" selected' in recent and f'name="from" value="{since}"' in recent


def test_the_leader_sees_each_reviewers_workload_and_what_is_overdue(submitted, make_staff):
    wang, _li = make_staff("wang", "410105"), make_staff("li", "410105")
    make_staff("zhao", "410202")  # another city's reviewer: not in this department's table
    first, second = submitted(name="甲", days_ago=6), submitted(name="乙", days_ago=10)
    submitted(name="丙", days_ago=30)  # waits past its 应办结 date
    decide(wang, first.pk, Decision("approve", version=1), ip=None)
    decide(wang, second.pk, Decision("return", version=1, reason="照片不清晰"), ip=None)
    leader = CommittingClient()
    leader.force_login(make_staff("leader", "410100", role="leader"))

    page = leader.get("/review/statistics/?department=410105").content.decode()

    today = timezone.localdate()
    days = sorted(
        working_days_between(timezone.localtime(s.submitted_at).date(), today)
        for s in Submission.objects.filter(pk__in=[first.pk, second.pk])
    )
    working = working_days_between(today - datetime.timedelta(days=30), today)
    assert row(page, "wang") == [
        "金水区财政局",
        "2",
        "1",
        "1",
        f"{round(2 / working, 1)}",
        f"{(days[0] + days[1]) / 2}",
        "1",
    ]
    assert row(page, "li") == ["金水区财政局", "0", "0", "0", "0.0", "—", "1"]
    assert "zhao" not in page
    assert '当前已超期 <b class="overdue-total">1</b> 件' in page


def test_a_county_reviewer_cannot_read_another_countys_statistics(submitted, make_staff):
    submitted("410202", name="外县")
    browser = CommittingClient()
    browser.force_login(make_staff("jinshui", "410105"))

    assert browser.get("/review/statistics/?department=410202").status_code == 404


def test_a_reviewer_sees_only_their_own_workload(submitted, make_staff):
    wang, li = make_staff("wang", "410105"), make_staff("li", "410105")
    first, second = submitted(name="甲", days_ago=6), submitted(name="乙", days_ago=10)
    decide(wang, first.pk, Decision("approve", version=1), ip=None)
    decide(li, second.pk, Decision("approve", version=1), ip=None)
    browser = CommittingClient()
    browser.force_login(li)

    page = browser.get("/review/statistics/").content.decode()

    assert "我的审核工作量" in page
    assert row(page, "li")[:2] == ["金水区财政局", "1"]
    assert "<th>wang</th>" not in page


def test_an_administrator_sees_every_reviewers_workload(submitted, make_staff):
    wang = make_staff("wang", "410105")
    decide(wang, submitted(name="甲", days_ago=6).pk, Decision("approve", version=1), ip=None)
    make_staff("li", "410105")
    browser = CommittingClient()
    browser.force_login(make_staff("henan-admin", "410000", role="admin"))

    page = browser.get("/review/statistics/").content.decode()

    assert row(page, "wang")[1] == "1" and row(page, "li")[1] == "0"
