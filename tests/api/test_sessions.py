"""POST /api/v1/sessions and DELETE /api/v1/sessions/current: every sign-in method, lock-out,
captcha, tokens."""

import datetime

import pyotp
import pytest
from django.core.cache import cache

from accreg.accounts.captchas import _cache_key
from accreg.accounts.models import AccessToken, SignInFailure, SmsCode
from accreg.audit.models import AuditEvent
from tests.conftest import latest_code, valid_id_number

pytestmark = pytest.mark.django_db


def sign_in(api, **body):
    return api.post("/api/v1/sessions", body)


def test_id_and_password(api, register):
    person = register(province="henan")

    response = sign_in(api, method="id_password", id_number=person["id_number"], password=person["password"])

    assert response.status_code == 201
    api.token = response.json()["token"]
    assert api.get("/api/v1/me").json()["name"] == "张伟"


def test_mobile_and_password_in_henan(api, register):
    person = register(province="henan")

    response = sign_in(api, method="mobile_password", mobile=person["mobile"], password=person["password"])

    assert response.status_code == 201


def test_name_id_and_password_in_liaoning(api, register):
    person = register(province="liaoning", name="赵云")

    right = sign_in(
        api,
        method="name_id_password",
        name="赵云",
        id_number=person["id_number"],
        password=person["password"],
    )
    wrong_name = sign_in(
        api,
        method="name_id_password",
        name="赵雲",
        id_number=person["id_number"],
        password=person["password"],
    )

    assert right.status_code == 201
    assert wrong_name.status_code == 400
    assert wrong_name.json()["error"]["message"] == "姓名、证件号码或密码不正确"


def test_mobile_and_sms_code_in_chongqing(api, register):
    person = register(province="chongqing", mobile="13300000001")
    SmsCode.objects.update(created_at=SmsCode.objects.get().created_at - datetime.timedelta(seconds=61))
    api.post("/api/v1/sms-codes", {"mobile": "13300000001", "purpose": "login"})
    code = latest_code("13300000001")

    first = sign_in(api, method="mobile_sms", mobile="13300000001", sms_code=code)
    reused = sign_in(api, method="mobile_sms", mobile="13300000001", sms_code=code)

    assert first.status_code == 201
    assert reused.status_code == 400
    assert reused.json()["error"]["fields"] == {"sms_code": ["验证码已失效，请重新获取"]}
    assert person


def test_a_method_the_province_does_not_offer_is_refused(api, register):
    person = register(province="liaoning")

    response = sign_in(api, method="id_password", id_number=person["id_number"], password=person["password"])

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "姓名 + 证件号码 + 密码" in response.json()["error"]["message"]


def test_wrong_password_and_unknown_id_get_the_same_answer(api, register):
    person = register()

    wrong = sign_in(api, method="id_password", id_number=person["id_number"], password="wrong2026")
    unknown = sign_in(api, method="id_password", id_number=valid_id_number(seq=77), password="wrong2026")

    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert AuditEvent.objects.filter(action="sign_in.failed").count() == 2


def test_five_failures_lock_the_account_even_for_the_right_password(api, register):
    person = register()
    for _ in range(5):
        assert (
            sign_in(api, method="id_password", id_number=person["id_number"], password="wrong2026").status_code == 400
        )

    response = sign_in(api, method="id_password", id_number=person["id_number"], password=person["password"])

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "account_locked"
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60 + 1


def test_the_failure_that_locks_the_account_says_so_at_once(api, register):
    person = register()
    answers = [
        sign_in(api, method="id_password", id_number=person["id_number"], password="wrong2026").json()["error"]
        for _ in range(5)
    ]

    assert answers[3]["message"] == "证件号码或密码不正确，再错1次账户将锁定15分钟"
    assert answers[4]["code"] == "invalid_credentials"  # a password was checked, and it was wrong
    assert answers[4]["message"] == "证件号码或密码不正确，账户已锁定15分钟，请15分钟后再试，或通过“忘记密码”重设密码"


def test_the_lock_ends_after_fifteen_minutes(api, register):
    person = register()
    for _ in range(5):
        sign_in(api, method="id_password", id_number=person["id_number"], password="wrong2026")
    for failure in SignInFailure.objects.all():  # fifteen minutes pass
        SignInFailure.objects.filter(pk=failure.pk).update(at=failure.at - datetime.timedelta(minutes=15, seconds=1))

    response = sign_in(api, method="id_password", id_number=person["id_number"], password=person["password"])

    assert response.status_code == 201


def test_four_failures_do_not_lock(api, register):
    person = register()
    for _ in range(4):
        sign_in(api, method="id_password", id_number=person["id_number"], password="wrong2026")

    assert (
        sign_in(api, method="id_password", id_number=person["id_number"], password=person["password"]).status_code
        == 201
    )


def test_yunnan_asks_for_an_image_captcha(api, register):
    person = register(province="yunnan")
    creds = {"method": "id_password", "id_number": person["id_number"], "password": person["password"]}

    without = sign_in(api, **creds)
    captcha = api.post("/api/v1/captchas").json()
    answer = cache.get(_cache_key(captcha["captcha_key"]))  # what the picture shows
    wrong = sign_in(api, **creds, captcha_key=captcha["captcha_key"], captcha="ZZZZ")
    captcha = api.post("/api/v1/captchas").json()
    right = sign_in(
        api,
        **creds,
        captcha_key=captcha["captcha_key"],
        captcha=cache.get(_cache_key(captcha["captcha_key"])).lower(),
    )

    assert without.json()["error"]["fields"] == {"captcha": ["请输入图形验证码"]}
    assert wrong.json()["error"]["fields"] == {"captcha": ["图形验证码不正确，请重新输入"]}
    assert right.status_code == 201
    assert answer and len(answer) == 4


def test_a_captcha_is_a_png_and_works_once(api):
    captcha = api.post("/api/v1/captchas").json()
    answer = cache.get(_cache_key(captcha["captcha_key"]))

    assert captcha["image"].startswith("data:image/png;base64,")
    from accreg.accounts.captchas import check_captcha
    from accreg.errors import DomainError

    check_captcha(captcha["captcha_key"], answer)
    with pytest.raises(DomainError):
        check_captcha(captcha["captcha_key"], answer)


def test_signing_out_revokes_the_token(api, register):
    api.token = register()["token"]

    assert api.delete("/api/v1/sessions/current").status_code == 204
    response = api.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "not_signed_in",
        "message": "请先登录，或登录已过期",
        "fields": {},
    }


def test_an_expired_token_is_refused(api, register):
    api.token = register()["token"]
    AccessToken.objects.update(expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    assert api.get("/api/v1/me").status_code == 401


def test_tokens_are_stored_only_as_hashes(api, register):
    token = register()["token"]

    assert not AccessToken.objects.filter(key_hash=token).exists()
    assert AccessToken.objects.count() == 1


def test_staff_sign_in_needs_the_otp_where_required(api, make_staff, settings):
    settings.STAFF_REQUIRE_OTP = True
    staff = make_staff("jinshui_api", "410105")
    body = {"method": "staff_password", "username": "jinshui_api", "password": "Ceshi-Mima-2026"}

    missing = sign_in(api, **body)
    wrong = sign_in(api, **body, otp="000000" if pyotp.TOTP(staff.otp_secret).now() != "000000" else "111111")
    right = sign_in(api, **body, otp=pyotp.TOTP(staff.otp_secret).now())

    assert missing.json()["error"]["fields"] == {"otp": ["请输入身份验证器中的6位动态口令"]}
    assert wrong.json()["error"]["fields"] == {"otp": ["动态口令不正确"]}
    assert right.status_code == 201


def test_staff_cannot_sign_in_as_accountants_and_the_reverse(api, make_staff, register):
    person = register()
    make_staff("zz", "410100")

    as_person = sign_in(api, method="id_password", id_number="zz", password="Ceshi-Mima-2026")
    as_staff = sign_in(api, method="staff_password", username=person["id_number"], password=person["password"])

    assert as_person.status_code == 400 and as_staff.status_code == 400


def test_a_staff_otp_code_works_once(api, make_staff, settings):
    settings.STAFF_REQUIRE_OTP = True
    staff = make_staff("jinshui_otp", "410105")
    body = {"method": "staff_password", "username": "jinshui_otp", "password": "Ceshi-Mima-2026"}
    code = pyotp.TOTP(staff.otp_secret).now()

    first = sign_in(api, **body, otp=code)
    replay = sign_in(api, **body, otp=code)

    assert first.status_code == 201
    assert replay.status_code == 400
    assert replay.json()["error"]["fields"] == {"otp": ["该动态口令已使用过，请等待身份验证器显示新的口令"]}
