"""Working the queue item by item (issue 14, items 1 and 2): after a decision the reviewer is
taken to the next item of the same queue and filters, told what was just decided, and back to
the queue when nothing is left; each item links to the one before and after it, with its key."""

import pytest

from accreg.collection.models import Submission
from tests.conftest import CommittingClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(make_staff):  # type: ignore[no-untyped-def]
    browser = CommittingClient()
    browser.force_login(make_staff("jinshui", "410105"))
    return browser


def approve(browser: CommittingClient, url: str) -> str:
    submission = Submission.objects.get(pk=int(url.split("/")[3]))
    response = browser.post(url, {"action": "approve", "version": submission.version})
    assert response.status_code == 302
    return response["Location"]


def test_a_decision_goes_on_to_the_next_item_of_the_same_search(submitted, console):
    oldest = submitted(name="王一", days_ago=9)
    middle = submitted(name="王二", days_ago=6)
    other = submitted(name="李四", days_ago=5)  # not in the search
    newest = submitted(name="王三", days_ago=3)
    queue = console.get("/review/?status=pending&q=王").content.decode()
    assert f'href="/review/submissions/{middle.pk}/?status=pending&amp;q=%E7%8E%8B"' in queue

    first = approve(console, f"/review/submissions/{middle.pk}/?status=pending&q=%E7%8E%8B")
    page = console.get(first).content.decode()
    second = approve(console, first)
    third = approve(console, console.get(second).wsgi_request.get_full_path())
    done = console.get(third).content.decode()

    assert first == f"/review/submissions/{newest.pk}/?status=pending&q=%E7%8E%8B&decided={middle.pk}"
    assert "已审核通过：王二。审核结果已保存" in page and "<title>王三 · 报送详情" in page
    assert second.startswith(f"/review/submissions/{oldest.pk}/")  # back to the one passed over
    assert third == f"/review/?status=pending&q=%E7%8E%8B&decided={oldest.pk}"
    assert "已审核通过：王一" in done and "当前队列已没有其他报送" in done
    assert Submission.objects.get(pk=other.pk).status == "pending"


def test_a_return_says_why_on_the_next_page(submitted, console):
    returned, following = submitted(name="王芳", days_ago=4), submitted(name="李娜", days_ago=2)

    response = console.post(
        f"/review/submissions/{returned.pk}/", {"action": "return", "version": 1, "reason": "照片不清晰"}
    )
    page = console.get(response["Location"]).content.decode()

    assert response["Location"] == f"/review/submissions/{following.pk}/?decided={returned.pk}"
    assert "已退回：王芳（退回原因：照片不清晰）" in page


def test_each_item_links_to_its_neighbours_in_the_queue_with_keys(submitted, console):
    made = [submitted(name=name, days_ago=d) for name, d in (("甲", 9), ("乙", 6), ("丙", 3))]

    first = console.get(f"/review/submissions/{made[0].pk}/").content.decode()
    middle = console.get(f"/review/submissions/{made[1].pk}/").content.decode()

    assert f'href="/review/submissions/{made[2].pk}/" rel="next" data-key="j">下一条 → <kbd>J</kbd>' in middle
    assert f'href="/review/submissions/{made[0].pk}/" rel="prev" data-key="k">← 上一条 <kbd>K</kbd>' in middle
    assert "已是第一条" in first
    assert "<kbd>A</kbd>" in middle and "<kbd>R</kbd>" in middle and "<kbd>F</kbd>" in middle


def test_a_decision_note_about_someone_elses_item_says_nothing(submitted, console):
    outside = submitted("410202", name="外县人员")
    Submission.objects.filter(pk=outside.pk).update(status="approved")
    mine = submitted(name="王芳")

    page = console.get(f"/review/submissions/{mine.pk}/?decided={outside.pk}").content.decode()

    assert "外县人员" not in page and "已审核通过" not in page
    assert console.get(f"/review/submissions/{outside.pk}/").status_code == 404
