"""A reviewer at a 1440 px desk signs in with the second factor, finds a submission, returns it
with a reason and a field to fix; the person sees the reason and the field on a 360 px phone."""

import pyotp
import pytest

from accreg.accounts.people import id_number_of
from accreg.accounts.services.staff import create_staff
from tests.review.conftest import make_submission

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_returns_a_submission_and_the_person_sees_why(reference_data, live_server, desk, phone, settings):
    settings.STAFF_REQUIRE_OTP = True
    staff = create_staff("jinshui", password="Shenhe-Mima-2026", department_code="410105", role="reviewer")
    submission = make_submission("410105", name="李娜", unit="郑州某某商贸有限公司", password="kuaiji2026")
    make_submission("410105", name="王强", days_ago=20)
    id_number = id_number_of(submission.record.person)

    desk.goto(f"{live_server.url}/review/")
    desk.get_by_label("用户名").fill("jinshui")
    desk.get_by_label("密码").fill("Shenhe-Mima-2026")
    desk.get_by_label("动态口令").fill(pyotp.TOTP(staff.otp_secret).now())
    screenshot(desk, "review-login-1440")
    desk.get_by_role("button", name="登录").click()
    desk.get_by_text("待审核 2").wait_for()
    assert desk.locator("tr.overdue").count() == 1  # 王强, twenty days waiting
    screenshot(desk, "review-queue-1440")

    desk.get_by_label("搜索").fill(id_number)
    desk.get_by_role("button", name="筛选").click()
    assert desk.locator("table.items tbody tr").count() == 1
    desk.get_by_role("link", name="李娜").click()
    desk.locator("tr", has_text="工作单位全称").get_by_label("需修改").check()
    desk.get_by_label("工作单位全称的修改要求").fill("请按营业执照填写单位全称")
    desk.get_by_label("信息填写不完整").check()
    screenshot(desk, "review-detail-1440")
    desk.get_by_role("button", name="退回修改").click()
    desk.get_by_text("审核结果已保存").wait_for()
    screenshot(desk, "review-returned-1440")
    assert desk.js_errors == []

    phone.goto(f"{live_server.url}/henan/login/")
    phone.get_by_label("证件号码").fill(id_number)
    phone.get_by_label("密码").fill("kuaiji2026")
    phone.get_by_role("button", name="登录").click()
    phone.get_by_text("审核退回（金水区财政局）：信息填写不完整").wait_for()
    screenshot(phone, "person-returned-360")
    phone.get_by_role("link", name="工作单位、职务及相关证书信息：工作单位全称").click()
    phone.get_by_text("审核意见：请按营业执照填写单位全称").wait_for()
    screenshot(phone, "person-returned-field-360")
    assert phone.js_errors == []
