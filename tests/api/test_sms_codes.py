"""POST /api/v1/sms-codes: cool-down, daily limits, and what an unregistered mobile receives."""

import datetime

import pytest

from accreg.accounts.models import SmsCode
from tests.conftest import outbox_messages

pytestmark = pytest.mark.django_db


def request(api, mobile="13912345678", purpose="register"):
    return api.post("/api/v1/sms-codes", {"mobile": mobile, "purpose": purpose})


def age_codes(seconds: int) -> None:
    """Move every sent code back in time, as if `seconds` had passed."""
    for code in SmsCode.objects.all():
        SmsCode.objects.filter(pk=code.pk).update(created_at=code.created_at - datetime.timedelta(seconds=seconds))


def test_a_code_is_six_digits_and_sent_once(api):
    response = request(api)

    assert response.status_code == 202
    assert response.json() == {"status": "sent", "resend_after": 60}
    [text] = outbox_messages("13912345678")
    assert "注册验证码为" in text and "5分钟内有效" in text
    assert len(text.split("验证码为")[1][:6]) == 6 and text.split("验证码为")[1][:6].isdigit()


def test_a_second_code_within_60_seconds_is_429_with_retry_after(api):
    request(api)

    response = request(api)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "sms_cooldown"
    assert 1 <= int(response["Retry-After"]) <= 61
    assert len(outbox_messages("13912345678")) == 1


def test_after_the_cool_down_a_new_code_replaces_the_old(api):
    request(api)
    age_codes(61)

    assert request(api).status_code == 202
    assert len(outbox_messages("13912345678")) == 2


def test_daily_limit_per_mobile(api, settings):
    settings.SMS_DAILY_LIMIT_PER_MOBILE = 3
    for _ in range(3):
        assert request(api).status_code == 202
        age_codes(61)

    response = request(api)

    assert response.status_code == 429
    assert response.json()["error"]["message"] == "该手机号今日获取验证码次数已达上限，请明天再试"
    assert int(response["Retry-After"]) <= 24 * 3600


def test_daily_limit_per_ip(api, settings):
    settings.SMS_DAILY_LIMIT_PER_IP = 2
    assert request(api, mobile="13900000001").status_code == 202
    assert request(api, mobile="13900000002").status_code == 202

    response = request(api, mobile="13900000003")

    assert response.status_code == 429
    assert response.json()["error"]["message"] == "当前网络今日获取验证码次数已达上限，请明天再试"


def test_request_rate_per_ip_is_limited(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sms-codes": "5/h"}

    statuses = [request(api, mobile=f"1390000{n:04d}").status_code for n in range(6)]

    assert statuses == [202] * 5 + [429]


def test_an_unregistered_mobile_asking_to_sign_in_is_told_so_by_sms_only(api):
    response = request(api, mobile="13800000009", purpose="login")

    assert response.status_code == 202  # the same answer as for a registered mobile
    [text] = outbox_messages("13800000009")
    assert "尚未在会计人员信息采集平台注册" in text and "验证码为" not in text


def test_bad_mobile_and_purpose_are_named(api):
    response = api.post("/api/v1/sms-codes", {"mobile": "12", "purpose": "spam"})

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"purpose"}
    assert request(api, mobile="12").json()["error"]["fields"] == {"mobile": ["请填写正确的11位手机号码"]}
