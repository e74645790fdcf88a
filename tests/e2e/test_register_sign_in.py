"""A person registers, signs out and signs in again on a 360 px phone screen."""

import pytest

from tests.conftest import latest_code, valid_id_number

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_register_sign_out_and_sign_in_on_a_phone(live_server, phone):
    id_number = valid_id_number(birth="19920815", seq=31)
    phone.goto(f"{live_server.url}/chongqing/")  # Henan registers on its identity platform: test_oidc.py
    phone.get_by_role("link", name="注册新账户").click()

    phone.get_by_label("姓名").fill("李明")
    phone.get_by_label("证件号码").fill(id_number)
    phone.get_by_label("手机号码").fill("13912340001")
    phone.get_by_role("button", name="获取验证码").click()
    phone.get_by_text("验证码已发送，5分钟内有效").wait_for()
    assert phone.get_by_role("button", name="秒后重试").is_disabled()  # the 60-second countdown
    phone.get_by_label("短信验证码").fill(latest_code("13912340001"))
    phone.get_by_label("设置密码").fill("kuaiji2026")
    screenshot(phone, "register-chongqing-360")
    assert no_horizontal_scroll(phone)
    phone.get_by_label("设置密码").press("Enter")  # the keyboard's 前往 key submits the form

    phone.get_by_text("您好，李明").wait_for()
    assert id_number not in phone.content()
    assert "139****0001" in phone.content()
    screenshot(phone, "me-chongqing-360")
    phone.get_by_role("button", name="退出登录").click()

    phone.get_by_role("link", name="登录", exact=True).click()
    phone.get_by_label("证件号码").fill(id_number)
    phone.get_by_label("密码").fill("wrong-2026")
    phone.get_by_role("button", name="登录").click()
    phone.get_by_text("证件号码或密码不正确").first.wait_for()
    assert phone.get_by_label("证件号码").input_value() == id_number  # kept after the error
    assert no_horizontal_scroll(phone)
    screenshot(phone, "login-error-chongqing-360")
    phone.get_by_label("密码").fill("kuaiji2026")
    phone.get_by_role("button", name="登录").click()

    phone.get_by_text("您好，李明").wait_for()
    assert no_horizontal_scroll(phone)
    assert phone.js_errors == []


def test_yunnan_login_shows_a_captcha_that_fits(live_server, phone):
    phone.goto(f"{live_server.url}/yunnan/login/")

    captcha = phone.get_by_alt_text("图形验证码")

    assert captcha.is_visible()
    assert no_horizontal_scroll(phone)
    screenshot(phone, "login-yunnan-360")


def test_tapping_the_captcha_brings_a_new_one(live_server, phone):
    phone.goto(f"{live_server.url}/yunnan/login/")
    before = phone.locator("input[name=captcha_key]").input_value()

    phone.get_by_alt_text("图形验证码").click()
    phone.wait_for_function(f"document.querySelector('input[name=captcha_key]').value !== '{before}'")

    assert phone.locator("input[name=captcha_key]").input_value() != before
