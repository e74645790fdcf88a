"""Search as a reviewer types it: the start of a name, any part of the unit name, in every status
unless a status is chosen (issue 14, item 3). Runs on SQLite and on PostgreSQL."""

from urllib.parse import urlencode

import pytest

from accreg.collection.models import Submission
from tests.conftest import CommittingClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(submitted):  # type: ignore[no-untyped-def]
    wang = submitted(name="王芳", unit="郑州金水会计事务所")
    submitted(name="王强", unit="河南恒信会计师事务所有限公司")
    submitted(name="李娜", unit="河南某某商贸有限公司")
    returned = submitted(name="王小明", unit="洛阳某某机械厂")
    Submission.objects.filter(pk=returned.pk).update(status="returned")
    submitted("410202", name="王外市", unit="开封恒信商贸")  # another county: never found
    return wang


@pytest.fixture
def console(make_staff):  # type: ignore[no-untyped-def]
    browser = CommittingClient()
    browser.force_login(make_staff("jinshui", "410105"))
    return browser


def found(client, q: str, status: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    answer = client.get(f"/api/v1/review/submissions?{urlencode({'q': q, 'status': status})}").json()
    return sorted(i["person"]["name"] for i in answer["items"])


def test_a_surname_or_the_start_of_a_name_finds_everyone_it_begins(people, reviewer):
    client = reviewer("410105")

    assert found(client, "王") == ["王小明", "王强", "王芳"]
    assert found(client, "王小") == ["王小明"]
    assert found(client, "王芳") == ["王芳"]
    assert found(client, "芳") == []  # a name is found by its start, not its middle
    assert found(client, "王", status="pending") == ["王强", "王芳"]


def test_any_part_of_the_unit_name_finds_it(people, reviewer):
    client = reviewer("410105")

    assert found(client, "恒信") == ["王强"]
    assert found(client, "恒信会计师") == ["王强"]
    assert found(client, "会计") == ["王强", "王芳"]
    assert found(client, "机械厂") == ["王小明"]
    assert found(client, "有限公司") == ["李娜", "王强"]


def test_the_api_searches_every_status_without_a_status_and_lists_pending_without_a_search(people, reviewer):
    client = reviewer("410105")

    searched = client.get(f"/api/v1/review/submissions?{urlencode({'q': '王'})}").json()
    listed = client.get("/api/v1/review/submissions").json()

    assert sorted(i["person"]["name"] for i in searched["items"]) == ["王小明", "王强", "王芳"]
    assert sorted(i["person"]["name"] for i in listed["items"]) == ["李娜", "王强", "王芳"]


def test_the_console_searches_every_status_unless_one_is_chosen(people, console):
    everywhere = console.get("/review/", {"q": "王"}).content.decode()
    pending = console.get("/review/", {"q": "王", "status": "pending"}).content.decode()
    queue = console.get("/review/").content.decode()

    assert all(name in everywhere for name in ("王芳", "王强", "王小明")) and "李娜" not in everywhere
    assert "全部 <b>3</b>" in everywhere and "已退回 <b>1</b>" in everywhere
    assert '<a href="/review/?status=returned&amp;q=%E7%8E%8B"' in everywhere  # a tab keeps the search
    assert "王芳" in pending and "王小明" not in pending
    assert "王小明" not in queue and "李娜" in queue  # without a search the queue opens on 待审核
    assert "王外市" not in everywhere + pending
