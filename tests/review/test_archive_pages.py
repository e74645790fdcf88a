"""The archive page and what follows approval, as an accountant uses them without JavaScript: open
a change, see it marked on every step, withdraw it; ask for a transfer with a mistake and keep
what was typed."""

import pytest

from accreg.collection.models import ChangeRequest, Record
from tests.review.test_return_and_resubmit import browser_of

pytestmark = pytest.mark.django_db


def test_an_approved_person_opens_a_change_from_the_archive_and_withdraws_it(approved):
    _api, _staff, person = approved
    browser = browser_of(person)

    archive = browser.get("/chongqing/archive/").content.decode()
    opened = browser.post("/chongqing/archive/change/")
    step = browser.get(opened.url, follow=True).content.decode()
    during = browser.get("/chongqing/archive/").content.decode()
    change = ChangeRequest.objects.get(record__person=person)
    withdrawn = browser.post(f"/chongqing/archive/change/{change.pk}/withdraw/", follow=True).content.decode()

    assert "申请信息变更" in archive and "申请调转" in archive
    assert "重庆某某有限公司" in archive  # the archive as approved
    assert opened.status_code == 302 and opened.url == "/chongqing/record/"
    assert "已开始信息变更" in step and "信息变更办理中" in step
    assert "撤回变更（放弃已修改的内容）" in during
    assert "信息变更已撤回，档案保持原样。" in withdrawn
    assert "已撤回" in withdrawn and "申请信息变更" in withdrawn
    assert Record.objects.get(person=person).status == "approved"


def test_a_transfer_form_keeps_what_was_typed_and_names_the_mistake(approved):
    _api, _staff, person = approved
    browser = browser_of(person)

    form = browser.get("/chongqing/archive/transfer/?province=henan").content.decode()
    same = browser.post("/chongqing/archive/transfer/", {"province": "chongqing", "department": "500103", "reason": "单位搬迁"})
    sent = browser.post(
        "/chongqing/archive/transfer/", {"province": "henan", "department": "410105", "reason": "随家属调往郑州"}, follow=True
    )
    page = sent.content.decode()

    assert '<optgroup label="郑州市">' in form and "金水区财政局" in form
    assert same.status_code == 400
    text = same.content.decode()
    assert "调入部门与现管理部门相同，无需调转" in text
    assert ">单位搬迁</textarea>" in text
    assert "调转申请已提交，等待调入部门审核" in page
    assert "调转办理中" in page and "调入金水区财政局" in page
    assert browser.get("/chongqing/archive/transfer/").status_code == 302  # one at a time
