"""Overdue items go up: past the province's service days an item is also listed for the level
above (city, then province), marked 已超期, and counted on the statistics page; jurisdiction
does not move (issue 14, item 8)."""

import re

import pytest

from tests.conftest import CommittingClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(make_staff):  # type: ignore[no-untyped-def]
    def make(department: str) -> CommittingClient:
        browser = CommittingClient()
        browser.force_login(make_staff(f"reviewer-{department}", department))
        return browser

    return make


@pytest.fixture
def waiting(submitted):  # type: ignore[no-untyped-def]
    """Henan's service level is 10 working days; the helper's items are due 14 days after submitting."""
    return {
        "on_time": submitted("410105", name="按时", days_ago=1),
        "overdue": submitted("410105", name="超期", days_ago=20),  # due six days ago
        "long_overdue": submitted("410105", name="久拖", days_ago=45),  # due a month ago: two levels up
        "city_overdue": submitted("410100", name="市本级", days_ago=20),
        "elsewhere": submitted("410202", name="开封人员", days_ago=45),
    }


def names(page: str) -> list[str]:
    return sorted(re.findall(r'<td><a href="/review/submissions/\d+/[^"]*">([^<]+)</a></td>', page))


def test_an_overdue_item_is_listed_for_the_city_then_the_province(waiting, console):
    city = console("410100").get("/review/?status=pending&escalated=1").content.decode()
    province = console("410000").get("/review/?status=pending&escalated=1").content.decode()
    county = console("410105").get("/review/").content.decode()

    assert names(city) == ["久拖", "超期"]
    assert names(province) == ["久拖", "市本级", "开封人员"]
    assert "已上报郑州市财政局" in city and "已上报河南省财政厅" in city + province
    assert city.count('<span class="badge">已超期</span>') == 2
    assert names(county) == ["久拖", "按时", "超期"]  # still in its own queue, marked
    assert "已上报郑州市财政局" in county and "超期督办" not in county


def test_escalation_does_not_widen_jurisdiction(waiting, console):
    other_city = console("410200")

    listed = other_city.get("/review/?status=pending&escalated=1").content.decode()

    assert names(listed) == ["开封人员"]
    assert other_city.get(f"/review/submissions/{waiting['long_overdue'].pk}/").status_code == 404
    assert console("410102").get(f"/review/submissions/{waiting['overdue'].pk}/").status_code == 404


def test_the_statistics_page_counts_what_is_overdue_and_listed_here(waiting, console):
    page = console("410100").get("/review/statistics/").content.decode()

    assert '当前已超期 <b class="overdue-total">3</b> 件' in page
    assert '其中上报郑州市财政局督办 <b class="escalated-total">2</b> 件' in page
