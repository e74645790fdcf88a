"""证件号占用申诉 and 账户安全 in the browser (issue 15 items 4 and 5): on a 360 px phone the person
whose ID number is taken goes from the registration page to the claim, the department approves it
at a 1440 px desk, and the claimant sets a password and changes it on the account page."""

from pathlib import Path

import pytest

from accreg.accounts.models import Person
from accreg.accounts.people import id_number_of
from accreg.accounts.services.staff import create_staff
from accreg.accounts.services.tokens import issue_token
from accreg.claims.models import IdClaim
from accreg.regions.models import Department
from tests.claims.conftest import after_cooldown
from tests.conftest import Api, latest_code
from tests.pictures import busy_jpeg
from tests.review.conftest import make_submission

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
CLAIMANT = "13700001111"


def picture(tmp_path: Path, name: str, seed: int) -> Path:
    """A camera picture of about 2.5 MB (4000×3000)."""
    path = tmp_path / name
    path.write_bytes(busy_jpeg(4000, 3000, seed=seed))
    return path


def test_a_taken_id_number_is_claimed_approved_and_the_claimant_signs_in(
    reference_data, live_server, phone, desk, tmp_path
):
    old = make_submission("410105", name="张伟", password="jiumima2026").record.person
    Person.objects.filter(pk=old.pk).update(department=Department.objects.get(code="410105"))
    old_token = issue_token(person=old)
    id_number = id_number_of(old)
    create_staff("jinshui", password="Shenhe-Mima-2026", department_code="410105", role="reviewer")

    # Henan registers on the unified platform (HN 2.1): the claimant meets the taken number on a
    # portal that registers by form; the account stays Henan's and its department decides.
    phone.goto(f"{live_server.url}/chongqing/register/")
    phone.get_by_label("姓名").fill("李娜")
    phone.get_by_label("证件号码").fill(id_number)
    phone.get_by_label("手机号码").fill(CLAIMANT)
    phone.get_by_role("button", name="获取验证码").click()
    offer = phone.get_by_role("button", name="申请找回该证件号码的账户")
    offer.wait_for()
    screenshot(phone, "claim-offer-register-360")
    offer.click()
    phone.get_by_role("heading", name="申请找回账户").wait_for()
    assert phone.get_by_label("姓名").input_value() == "李娜"
    assert phone.get_by_label("证件号码").input_value() == id_number
    phone.get_by_role("button", name="获取验证码").click()
    phone.get_by_text("验证码已发送，5分钟内有效").wait_for()
    phone.get_by_label("短信验证码").fill(latest_code(CLAIMANT))
    phone.get_by_label("证件照片（人像面）").set_input_files(picture(tmp_path, "id.jpg", 3))
    phone.get_by_label("本人手持证件照片").set_input_files(picture(tmp_path, "holding.jpg", 4))
    phone.get_by_label("情况说明（选填）").fill("我从未注册过，原手机号不是我的。")
    screenshot(phone, "claim-form-360")
    with phone.expect_request(lambda r: r.url.endswith("/chongqing/id-claim/") and r.method == "POST") as sent:
        phone.get_by_role("button", name="提交申诉").click()
    # two 2.5 MB camera pictures went as about 0.7 MB each: they shrank on the phone
    assert int(sent.value.all_headers()["content-length"]) < 2 * 1024 * 1024
    phone.get_by_text("申诉已提交，受理编号").wait_for()
    reference = IdClaim.objects.get().reference
    screenshot(phone, "claim-filed-360")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.js_errors == []

    desk.goto(f"{live_server.url}/review/")
    desk.get_by_label("用户名").fill("jinshui")
    desk.get_by_label("密码").fill("Shenhe-Mima-2026")
    desk.get_by_role("button", name="登录").click()
    desk.get_by_role("link", name="账户申诉").click()
    desk.get_by_role("link", name=reference).click()
    desk.locator(".badge", has_text="与申请人不同").wait_for()
    desk.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    screenshot(desk, "claim-detail-1440")
    desk.get_by_role("button", name="通过，账户交给申请人").click()
    desk.get_by_text(f"申诉 {reference}（李娜）已通过").wait_for()
    screenshot(desk, "claim-approved-1440")
    assert desk.js_errors == []
    assert Api(old_token).get("/api/v1/me").status_code == 401

    after_cooldown()
    phone.goto(f"{live_server.url}/chongqing/id-claim/status/")
    phone.get_by_label("受理编号").fill(reference)
    phone.get_by_label("申请时的手机号码").fill(CLAIMANT)
    phone.get_by_role("button", name="查询").click()
    phone.get_by_role("button", name="获取验证码").click()
    phone.get_by_text("验证码已发送，5分钟内有效").wait_for()
    phone.get_by_label("短信验证码").fill(latest_code(CLAIMANT))
    phone.get_by_label("设置密码").fill("xinmima2026")
    screenshot(phone, "claim-set-password-360")
    phone.get_by_role("button", name="设置密码并登录").click()
    phone.get_by_text("账户已就绪，欢迎您！").wait_for()
    phone.get_by_text("137****1111").wait_for()

    phone.get_by_role("link", name="修改密码").click()
    phone.get_by_label("原密码").fill("cuowu2026")
    phone.get_by_label("新密码").fill("xinmima2027")
    phone.get_by_role("button", name="确认修改").click()
    phone.get_by_text("原密码不正确").first.wait_for()
    screenshot(phone, "me-password-error-360")
    phone.get_by_label("原密码").fill("xinmima2026")
    phone.get_by_label("新密码").fill("xinmima2027")
    phone.get_by_role("button", name="确认修改").click()
    phone.get_by_text("密码已修改，其他设备上的登录已退出。").wait_for()
    screenshot(phone, "me-password-changed-360")

    phone.get_by_role("link", name="更换手机号").click()
    phone.get_by_label("新手机号码").fill("13811112222")
    phone.get_by_role("button", name="获取验证码").click()
    phone.get_by_text("验证码已发送，5分钟内有效").wait_for()
    phone.get_by_label("短信验证码").fill(latest_code("13811112222"))
    screenshot(phone, "me-mobile-360")
    phone.get_by_role("button", name="确认更换").click()
    phone.get_by_text("手机号已更换为 138****2222").wait_for()
    screenshot(phone, "me-mobile-changed-360")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.js_errors == []
