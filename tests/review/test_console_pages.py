"""The review console's pages, as a reviewer's browser uses them without JavaScript."""

import pyotp
import pytest

from accreg.accounts.models import Staff
from accreg.audit.models import AuditEvent
from accreg.collection.models import Submission
from tests.conftest import STAFF_PASSWORD, CommittingClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(make_staff):  # type: ignore[no-untyped-def]
    def make(department: str, username: str = "reviewer") -> CommittingClient:
        staff = make_staff(username, department)
        browser = CommittingClient()
        browser.force_login(staff)
        return browser

    return make


def test_signing_in_needs_the_second_factor_when_required(make_staff, settings):
    settings.STAFF_REQUIRE_OTP = True
    staff = make_staff("zhang", "410105")
    browser = CommittingClient()

    without = browser.post("/review/login/", {"username": "zhang", "password": STAFF_PASSWORD})
    code = pyotp.TOTP(Staff.objects.get(pk=staff.pk).otp_secret).now()
    signed_in = browser.post(
        "/review/login/?next=/review/", {"username": "zhang", "password": STAFF_PASSWORD, "otp": code}
    )

    assert without.status_code == 400 and "请输入身份验证器中的6位动态口令" in without.content.decode()
    assert 'value="zhang"' in without.content.decode()  # the username stays typed
    assert signed_in.status_code == 302 and signed_in["Location"] == "/review/"
    assert "审核队列" in browser.get("/review/").content.decode()


def test_the_console_needs_a_signed_in_reviewer(client):
    assert client.get("/review/")["Location"].startswith("/review/login/")


def test_the_queue_page_lists_the_subtree_with_ages_and_counts(submitted, console):
    submitted("410105", name="李娜", days_ago=30)
    submitted("410202", name="外市人员")

    page = console("410105").get("/review/").content.decode()

    assert "李娜" in page and "外市人员" not in page
    assert "已超期" in page and "待审核 <b>1</b>" in page


def test_a_submission_outside_the_subtree_is_not_found_by_url(submitted, console):
    outside = submitted("410202")
    browser = console("410105")

    assert browser.get(f"/review/submissions/{outside.pk}/").status_code == 404
    assert browser.get(f"/review/submissions/{outside.pk}/materials/photo/0/").status_code == 404
    assert browser.post(f"/review/submissions/{outside.pk}/", {"action": "approve", "version": 1}).status_code == 404
    assert Submission.objects.get(pk=outside.pk).status == "pending"


def test_revealing_the_id_number_on_the_page_is_audited(submitted, console):
    from accreg.accounts.people import id_number_of

    submission = submitted()
    browser = console("410105")

    masked = browser.get(f"/review/submissions/{submission.pk}/").content.decode()
    revealed = browser.post(f"/review/submissions/{submission.pk}/", {"action": "reveal"}).content.decode()

    full = id_number_of(submission.record.person)
    assert full not in masked and full in revealed and "已记录查看" in revealed
    assert AuditEvent.objects.filter(action="review.id_revealed").count() == 1


def test_returning_from_the_page_with_flagged_fields(submitted, console):
    submission = submitted()
    browser = console("410105")
    form = {
        "action": "return",
        "version": submission.version,
        "reason_codes": ["R07"],
        "flag": ["work.unit_name"],
        "flag_reason:work.unit_name": "请填写单位全称",
    }

    response = browser.post(f"/review/submissions/{submission.pk}/", form)
    page = browser.get(response["Location"]).content.decode()

    decided = Submission.objects.get(pk=submission.pk)
    assert response.status_code == 302
    assert decided.status == "returned" and decided.fields == [{"field": "work.unit_name", "reason": "请填写单位全称"}]
    assert "审核结果已保存" in page and "信息填写不完整" in page


def test_a_stale_page_is_told_who_decided_first(submitted, console):
    submission = submitted()
    console("410100", "li").post(
        f"/review/submissions/{submission.pk}/", {"action": "approve", "version": submission.version}
    )

    response = console("410105", "zhang").post(
        f"/review/submissions/{submission.pk}/", {"action": "return", "version": submission.version, "reason": "x"}
    )

    assert response.status_code == 409
    assert "该报送已由li于" in response.content.decode()


def test_the_statistics_page_counts_the_subtree_and_exports_it(submitted, console):
    submitted("410105")
    submitted("410102")
    submitted("410202")
    browser = console("410100")

    page = browser.get("/review/statistics/").content.decode()
    started = browser.post("/review/exports/", {"department": "", "status": "pending"})
    progress = browser.get(started["Location"]).content.decode()
    download = browser.get(started["Location"] + "file")

    assert "郑州市财政局（含下级）共 <b>2</b> 人" in page
    assert "<th>待审核</th><td>2</td>" in page and "vendor/chart.js/chart.umd.min.js" in page
    assert "已完成，共 2 人" in progress
    assert download["Content-Disposition"].startswith("attachment")


def test_statistics_of_a_department_outside_are_not_found_on_the_page(submitted, console):
    assert console("410105").get("/review/statistics/?department=410202").status_code == 404
