"""Henan's unified identity sign-in (HN 2.1-2.2) over real OpenID Connect with PKCE: the development
provider (django-oauth-toolkit) runs as its own process on its own port, and the discovery, key
fetch and code exchange go over HTTP. An identity without an account opens one here."""

from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.contrib.auth.hashers import make_password

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import id_number_of, set_identity
from accreg.audit.models import AuditEvent
from tests.conftest import CommittingClient, latest_code, valid_id_number
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(dev_idp, settings):  # type: ignore[no-untyped-def]
    settings.DEV_IDP_BASE_URL = dev_idp
    return dev_idp


def person(name: str, number: str) -> Person:
    someone = Person(province="henan", name=name, password=make_password("kuaiji2026"))
    set_identity(someone, check_id_number("111", number))
    someone.save()
    return someone


def through_provider(client, name: str, id_number: str, *, tamper_state: bool = False):  # type: ignore[no-untyped-def]
    """The site's leg in the test client; the provider's leg over HTTP to its own process, as a
    browser would: its sign-in page, then its authorization endpoint, which sends the code back."""
    start = client.get("/henan/oidc/start/")
    assert start.status_code == 302
    authorize = start["Location"]
    assert "code_challenge_method=S256" in authorize and "code_challenge=" in authorize  # PKCE
    browser = requests.Session()
    to_sign_in = browser.get(authorize, allow_redirects=False)
    sign_in_url = urljoin(authorize, to_sign_in.headers["Location"])
    browser.get(sign_in_url)
    signed_in = browser.post(
        sign_in_url,
        {
            "csrfmiddlewaretoken": browser.cookies["devidp_csrftoken"],
            "name": name,
            "id_number": id_number,
            "next": parse_qs(urlparse(sign_in_url).query)["next"][0],
        },
        allow_redirects=False,
    )
    back_to_site = browser.get(urljoin(sign_in_url, signed_in.headers["Location"]), allow_redirects=False)
    back = urlparse(back_to_site.headers["Location"])
    assert back.netloc == "testserver" and back.path == "/henan/oidc/callback/"
    query = back.query.replace("state=", "state=x") if tamper_state else back.query
    return client.get(f"{back.path}?{query}")


def test_the_provider_vouches_and_the_account_signs_in(provider):
    number = valid_id_number(seq=71)
    person("王芳", number)
    client = CommittingClient()

    done = through_provider(client, "王芳", number)

    assert done.status_code == 302 and done["Location"] == "/henan/me/"
    assert "您好，王芳" in client.get("/henan/me/").content.decode()


def test_an_identity_without_an_account_opens_one_with_a_verified_mobile(provider):
    number = valid_id_number(seq=72)
    client = CommittingClient()

    back = through_provider(client, "李雷", number)
    page = client.get(back["Location"]).content.decode()
    client.post(back["Location"], {"mobile": "13912347272", "action": "send_code"})
    done = client.post(back["Location"], {"mobile": "13912347272", "sms_code": latest_code("13912347272")})

    assert back.status_code == 302 and back["Location"] == "/henan/oidc/complete/"
    assert "完成账户开通" in page and "李雷" in page and number not in page
    assert "尚未找到您的会计人员账户" not in page
    assert done.status_code == 302 and done["Location"] == "/henan/me/?welcome=1"
    person = Person.objects.get()
    assert person.name == "李雷" and id_number_of(person) == number and person.mobile_masked == "139****7272"
    assert "您好，李雷" in client.get("/henan/me/").content.decode()


def test_a_registered_id_number_under_another_verified_name_signs_in_and_is_told(provider):
    number = valid_id_number(seq=75)
    someone = person("王方", number)
    client = CommittingClient()

    done = through_provider(client, "王芳", number)
    page = client.get("/henan/me/").content.decode()

    assert done.status_code == 302 and done["Location"] == "/henan/me/"
    assert "您好，王方" in page
    assert "统一身份认证平台核验的姓名为“王芳”，与本平台登记的姓名“王方”不一致，请联系会计管理部门更正" in page
    someone.refresh_from_db()
    assert someone.name_mismatch and someone.verified_name == "王芳"
    event = AuditEvent.objects.get(action="identity.name_mismatch")
    assert (event.details["verified_name"], event.details["account_name"]) == ("王芳", "王方")


def test_a_forged_state_is_refused(provider):
    number = valid_id_number(seq=73)
    person("韩梅梅", number)
    client = CommittingClient()

    page = through_provider(client, "韩梅梅", number, tamper_state=True)

    assert "统一身份认证未能完成" in page.content.decode()
    assert client.get("/henan/me/").status_code == 302  # not signed in


def test_the_login_page_offers_the_provider_only_where_the_province_uses_one(provider):
    client = CommittingClient()

    assert "跳转至河南政务服务网统一身份认证平台" in client.get("/henan/login/").content.decode()
    assert "统一身份认证" not in client.get("/liaoning/login/").content.decode()


def test_a_henan_person_signs_in_through_the_provider_in_the_browser(provider, live_server, phone):
    number = valid_id_number(seq=74)
    person("张伟", number)
    site = live_server.url.replace("localhost", "127.0.0.1")  # a loopback callback the provider accepts

    phone.goto(f"{site}/henan/login/")
    oidc = phone.get_by_role("link", name="统一身份认证登录")
    assert oidc.evaluate("el => el.scrollWidth <= el.clientWidth")  # the label fits inside its button
    oidc.click()
    phone.wait_for_url(f"{provider.removesuffix('/o')}/login/**")
    screenshot(phone, "oidc-provider-sign-in-360")
    phone.get_by_label("姓名").fill("张伟")
    phone.get_by_label("身份证号码").fill(number)
    phone.get_by_role("button", name="确认并登录").click()
    phone.wait_for_url(f"{site}/henan/me/")
    screenshot(phone, "oidc-signed-in-henan-360")

    assert "您好，张伟" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.js_errors == []  # type: ignore[attr-defined]


def test_a_newcomer_registers_on_the_platform_and_opens_the_account_on_a_phone(provider, live_server, phone):
    number = valid_id_number(birth="19950612", seq=76, male=False)
    mobile = "13912347676"
    site = live_server.url.replace("localhost", "127.0.0.1")

    phone.goto(f"{site}/henan/")
    phone.get_by_role("link", name="注册新账户").click()
    screenshot(phone, "oidc-register-points-to-platform-360")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("link", name="前往统一身份认证平台").click()
    phone.wait_for_url(f"{provider.removesuffix('/o')}/login/**")
    phone.get_by_label("姓名").fill("欧阳娜娜")
    phone.get_by_label("身份证号码").fill(number)
    phone.get_by_role("button", name="确认并登录").click()

    phone.wait_for_url(f"{site}/henan/oidc/complete/")
    assert "欧阳娜娜" in phone.content() and number[:3] + "*" * 11 + number[-4:] in phone.content()
    assert number not in phone.content()
    phone.get_by_label("手机号码").fill(mobile)
    phone.get_by_role("button", name="获取验证码").click()
    phone.get_by_text("验证码已发送，5分钟内有效").wait_for()
    phone.get_by_label("短信验证码").fill(latest_code(mobile))
    screenshot(phone, "oidc-complete-account-360")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("button", name="开通账户并登录").click()

    phone.get_by_text("您好，欧阳娜娜").wait_for()
    screenshot(phone, "oidc-account-opened-360")
    assert "账户已就绪" in phone.content() and "139****7676" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.js_errors == []  # type: ignore[attr-defined]


def test_a_different_verified_name_is_told_on_a_phone(provider, live_server, phone):
    number = valid_id_number(seq=77)
    person("王方", number)
    site = live_server.url.replace("localhost", "127.0.0.1")

    phone.goto(f"{site}/henan/oidc/start/")
    phone.wait_for_url(f"{provider.removesuffix('/o')}/login/**")
    phone.get_by_label("姓名").fill("王芳")
    phone.get_by_label("身份证号码").fill(number)
    phone.get_by_role("button", name="确认并登录").click()
    phone.wait_for_url(f"{site}/henan/me/")
    screenshot(phone, "oidc-name-mismatch-360")

    assert "统一身份认证平台核验的姓名为“王芳”，与本平台登记的姓名“王方”不一致" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_reviewer_sees_the_different_verified_name_at_the_desk(provider, reference_data, live_server, desk):
    from accreg.accounts.oidc import VerifiedIdentity, sign_in_verified
    from accreg.accounts.services.staff import create_staff
    from tests.review.conftest import make_submission

    create_staff("jinshui", password="Shenhe-Mima-2026", department_code="410105", role="reviewer")
    submission = make_submission("410105", name="王方")
    sign_in_verified(VerifiedIdentity("henan", "王芳", "111", id_number_of(submission.record.person)), ip=None)

    desk.goto(f"{live_server.url}/review/login/")
    desk.get_by_label("用户名").fill("jinshui")
    desk.get_by_label("密码").fill("Shenhe-Mima-2026")
    desk.get_by_role("button", name="登录").click()
    desk.get_by_role("link", name="王方").click()
    note = desk.locator(".name-mismatch")
    screenshot(desk, "review-name-mismatch-1440")

    assert "统一身份认证平台核验的姓名为“王芳”，本平台登记的姓名为“王方”" in note.inner_text()
