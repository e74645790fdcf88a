"""The archive page and what follows approval, as an accountant uses them without JavaScript: open
a change, see it marked on every step, withdraw it; ask for a transfer with a mistake and keep
what was typed."""

import pytest

from accreg.accounts.models import Staff
from accreg.collection.models import ChangeRequest, Record, Submission
from tests.collection.answers import CHONGQING_EMPLOYED_WORK
from tests.collection.test_submission import put, upload
from tests.conftest import CommittingClient
from tests.review.test_return_and_resubmit import browser_of

pytestmark = pytest.mark.django_db


def test_an_approved_person_opens_a_change_from_the_archive_and_withdraws_it(approved):
    _api, _staff, person = approved
    browser = browser_of(person)

    archive = browser.get("/chongqing/archive/").content.decode()
    opened = browser.post("/chongqing/archive/change/")
    step = browser.get(opened.url, follow=True).content.decode()
    during = browser.get("/chongqing/archive/").content.decode()
    work = browser.get("/chongqing/record/work/").content.decode()
    department = work[work.index('name="department"') :]
    department = department[: department.index("</select>")]
    change = ChangeRequest.objects.get(record__person=person)
    withdrawn = browser.post(f"/chongqing/archive/change/{change.pk}/withdraw/", follow=True).content.decode()

    assert "申请信息变更" in archive and "申请调转" in archive
    assert "重庆某某有限公司" in archive  # the archive as approved
    assert opened.status_code == 302 and opened.url == "/chongqing/record/"
    assert "已开始信息变更" in step and "信息变更办理中" in step
    assert "撤回变更（放弃已修改的内容）" in during
    assert "data-locked" in department and department.count('<option value="5') == 1 and "渝中区财政局" in department
    assert "信息变更中不能更换管理部门" in work
    assert "信息变更已撤回，档案保持原样。" in withdrawn
    assert "已撤回" in withdrawn and "申请信息变更" in withdrawn
    assert Record.objects.get(person=person).status == "approved"


def test_a_transfer_form_keeps_what_was_typed_and_names_the_mistake(approved):
    _api, _staff, person = approved
    browser = browser_of(person)

    form = browser.get("/chongqing/archive/transfer/?province=henan").content.decode()
    same = browser.post(
        "/chongqing/archive/transfer/", {"province": "chongqing", "department": "500103", "reason": "单位搬迁"}
    )
    sent = browser.post(
        "/chongqing/archive/transfer/",
        {"province": "henan", "department": "410105", "reason": "随家属调往郑州"},
        follow=True,
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


def console_of(department: str) -> CommittingClient:
    """The console in a browser, as the reviewer the `reviewer` fixture made for the department."""
    browser = CommittingClient()
    browser.force_login(Staff.objects.get(username=f"reviewer-{department}"))
    return browser


def test_the_console_shows_a_change_against_the_archive_with_labels_and_both_images(approved):
    person_api, _staff_api, person = approved
    person_api.post("/api/v1/me/record/changes")
    put(person_api, "work", {**CHONGQING_EMPLOYED_WORK, "unit_name": "重庆新名字有限公司", "unit_type": "120"})
    upload(person_api, "photo")
    submitted = person_api.post("/api/v1/me/record/submission", {"accept_commitment": True}).json()
    console = console_of("500103")

    queue = console.get("/review/?kind=change").content.decode()
    page = console.get(f"/review/submissions/{submitted['id']}/").content.decode()
    changes = page[page.index('id="changes"') :]

    assert "信息变更" in queue and person.name in queue
    assert "与现行档案相比的变更" in changes
    assert "<td>会计从业信息：工作单位全称</td>" in changes
    assert "重庆某某有限公司</td><td><b>重庆新名字有限公司</b>" in changes
    assert "<td>会计从业信息：工作单位经济类型</td>" in changes and "国有企业</td><td><b>集体企业</b>" in changes
    archive_id = Record.objects.get(person=person).archive_id
    old_image = f"/review/submissions/{archive_id}/materials/photo/0/"
    new_image = f"/review/submissions/{submitted['id']}/materials/photo/0/"
    assert f'src="{old_image}"' in changes and f'src="{new_image}"' in changes
    assert console.get(old_image).status_code == 200 and console.get(new_image).status_code == 200
    assert "审核通过 <kbd>A</kbd></button>" in page


def test_the_sending_department_reads_an_outgoing_transfer_without_deciding_it(approved, reviewer):
    person_api, _staff_api, _person = approved
    person_api.post("/api/v1/me/record/transfers", {"department": "410105", "reason": "随家属调往郑州"})
    console = console_of("500103")

    outgoing = console.get("/review/?status=pending&outgoing=1").content.decode()
    transfer_id = Submission.objects.get(kind="transfer").pk
    page = console.get(f"/review/submissions/{transfer_id}/").content.decode()

    assert "调往金水区财政局" in outgoing
    assert "本部门只能查看" in page and "由渝中区财政局调入金水区财政局；原因：随家属调往郑州" in page
    assert "审核通过 <kbd>A</kbd></button>" not in page
