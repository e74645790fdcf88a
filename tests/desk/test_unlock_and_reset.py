"""Unlock and reset at the desk (issue 15 item 2): ending a lockout lets the person sign in again
through the real sign-in; a reset message carries a code of the recovery flow, with its limits.
Both are audited with the staff member and the reason."""

import datetime

import pytest
from django.utils import timezone

from accreg.accounts.models import Person, SmsCode
from accreg.audit.models import AuditEvent
from tests.conftest import latest_code, outbox_messages

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def lock(api, person: dict) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        sign_in(api, person, password="wrong-2026")
    assert sign_in(api, person).status_code == 429


def codes_sent_minutes_ago(minutes: int = 2) -> None:
    SmsCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_unlocking_lets_the_person_sign_in_again(api, accountant, desk):
    person = accountant("410105")
    lock(api, person)
    staff = desk("410105")

    response = staff.post(f"/api/v1/review/people/{person['id']}/unlock", {"reason": "本人持身份证到窗口"})

    assert response.status_code == 200
    assert response.json() == {"id": person["id"], "locked": False, "was_locked": True}
    assert sign_in(api, person).status_code == 201
    event = AuditEvent.objects.get(action="desk.unlocked")
    assert (event.actor, event.target) == (f"staff:{staff.staff.pk}", f"person:{person['id']}")
    assert event.details == {"reason": "本人持身份证到窗口", "was_locked": True}


def test_unlocking_needs_a_reason_and_leaves_the_lock_without_one(api, accountant, desk):
    person = accountant("410105")
    lock(api, person)

    response = desk("410105").post(f"/api/v1/review/people/{person['id']}/unlock", {"reason": "  "})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"reason": ["请填写原因（如：本人来电、持身份证到窗口办理）"]}
    assert sign_in(api, person).status_code == 429
    assert not AuditEvent.objects.filter(action="desk.unlocked").exists()


def test_the_lock_shows_in_the_persons_history(api, accountant, desk):
    person = accountant("410105")
    assert sign_in(api, person).status_code == 201
    lock(api, person)
    staff = desk("410105")
    staff.post(f"/api/v1/review/people/{person['id']}/unlock", {"reason": "本人来电"})

    detail = staff.get(f"/api/v1/review/people/{person['id']}").json()

    labels = [event["label"] for event in detail["history"]]
    assert labels[:3] == ["解除登录锁定", "登录失败次数过多，账户锁定", "会计人员登录失败"]
    assert labels.count("会计人员登录失败") == 5
    assert labels[-2:] == ["会计人员登录", "注册账户"]
    assert detail["history"][0]["summary"] == "原因：本人来电"
    assert detail["history"][0]["actor"] == "desk-410105（desk-410105）"


def test_a_reset_message_carries_a_code_the_recovery_flow_takes(api, accountant, desk):
    person = accountant("500103", province="chongqing")  # Chongqing resets by mobile and code alone
    codes_sent_minutes_ago()
    staff = desk("500103")

    response = staff.post(f"/api/v1/review/people/{person['id']}/password-reset", {"reason": "本人来电忘记密码"})

    assert response.status_code == 202
    assert response.json() == {"id": person["id"], "sent_to": person["mobile"][:3] + "****" + person["mobile"][-4:]}
    text = outbox_messages(person["mobile"])[-1]
    assert "渝中区财政局应您的申请发起密码重设，验证码为" in text
    reset = api.post(
        "/api/v1/password-resets",
        {"mobile": person["mobile"], "sms_code": latest_code(person["mobile"]), "new_password": "xinmima2026"},
    )
    assert reset.status_code == 200, reset.json()
    assert sign_in(api, person, password="xinmima2026").status_code == 201
    event = AuditEvent.objects.get(action="desk.reset_sent")
    assert event.details["reason"] == "本人来电忘记密码"
    assert event.actor == f"staff:{staff.staff.pk}"


def test_reset_messages_are_limited_per_person(accountant, desk):
    person = accountant("410105")
    staff = desk("410105")
    path = f"/api/v1/review/people/{person['id']}/password-reset"
    codes_sent_minutes_ago()

    answers = [staff.post(path, {"reason": "本人来电"}).status_code]
    answers.append(staff.post(path, {"reason": "本人来电"}).status_code)  # within the minute
    for _ in range(3):
        codes_sent_minutes_ago()
        answers.append(staff.post(path, {"reason": "本人来电"}).status_code)
    refused = staff.post(path, {"reason": "本人来电"})

    assert answers == [202, 429, 202, 202, 429]
    assert refused.json()["error"]["code"] == "desk_reset_limit"
    assert int(refused["Retry-After"]) > 0
    assert sum("验证码为" in text for text in outbox_messages(person["mobile"])) == 1 + 3  # registration + 3


def test_no_reset_message_to_a_person_without_a_mobile(legacy_person, desk):
    person = legacy_person(province="liaoning", name="赵云")  # archived, no mobile bound yet

    response = desk("210000").post(f"/api/v1/review/people/{person.pk}/password-reset", {"reason": "本人来电"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_mobile"
    assert Person.objects.get(pk=person.pk).mobile_hash is None
