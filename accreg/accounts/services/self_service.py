"""What a signed-in person changes on their own account (我的账户, issue 15 item 5): the password,
with the old one, and the mobile, with a `bind` code sent to the new number."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError, FieldChecks
from accreg.notifications.tasks import queue_sms
from accreg.provinces.loader import all_profiles

from ..identity import normalise_mobile
from ..models import Person
from ..people import mobile_hash, mobile_of, person_by_mobile, set_mobile
from .lockout import attempts_left, claim_attempt, clear_failures
from .passwords import check_password_policy
from .registration import MOBILE_TAKEN
from .sign_in import lockout_rule
from .sms_codes import consume_code, verify_code
from .tokens import revoke_other_tokens

SAME_MOBILE = "这已是您当前绑定的手机号"


def change_password(
    person: Person, *, old_password: str, new_password: str, keep_token: str = "", ip: str | None
) -> Person:
    """修改密码: the old password proves it is the person (its wrong tries count towards the
    sign-in lock-out, as at sign-in), the new one follows the province's policy. Every other
    session and token ends: browser sessions by the password's fingerprint, tokens revoked except
    `keep_token`, the one making this request. The caller renews its own browser session."""
    profile = all_profiles()[person.province]
    checks = FieldChecks()
    if not old_password:
        checks.add("old_password", "请填写原密码")
    checks.run(check_password_policy, new_password, profile.password, field="new_password")
    if old_password and new_password and old_password == new_password:
        checks.add("new_password", "新密码不能与原密码相同")
    checks.raise_if_any()
    key = f"person:{person.pk}"
    rule = lockout_rule(profile)
    claim_attempt(key, rule, ip=ip)  # counted before the check: it stays if the old password is wrong
    if not person.password or not check_password(old_password, person.password):
        log_event(key, "password.change_failed", ip=ip)
        left = attempts_left(key, rule)
        msg = "原密码不正确" + (f"，再错{left}次账户将锁定{rule.minutes}分钟" if 0 < left <= 3 else "")
        if left == 0:
            msg += f"，账户已锁定{rule.minutes}分钟"
        raise DomainError("invalid_credentials", msg, fields={"old_password": [msg]})
    with transaction.atomic():
        person.password = make_password(new_password)
        person.save(update_fields=["password"])
        revoke_other_tokens(person, keep=keep_token)
        clear_failures(key)
        log_event(key, "password.changed", ip=ip)
    return person


def refuse_own_mobile(person: Person, mobile: str) -> None:
    """Before a code is sent to the "new" number: the person's current number is said at once."""
    number = normalise_mobile(mobile)
    if person.mobile_hash and person.mobile_hash == mobile_hash(number):
        raise DomainError("same_mobile", SAME_MOBILE, fields={"mobile": [SAME_MOBILE]})


def change_mobile(person: Person, *, mobile: str, sms_code: str, ip: str | None) -> Person:
    """更换手机号: the new number proved by a `bind` code sent to it; refused (409) when it belongs
    to another person (one mobile, one ID number: CQ 1.2 ②). The old number is told by SMS.
    API tokens stay (the password did not change); page sessions in other browsers end with the
    old number (accounts/middleware.py), the portal keeps the browser that made the change."""
    checks = FieldChecks()
    number = checks.run(normalise_mobile, mobile)
    if not sms_code.strip():
        checks.add("sms_code", "请填写短信验证码")
    checks.raise_if_any()
    assert number is not None
    owner = person_by_mobile(number)
    if owner is not None and owner.pk == person.pk:
        raise DomainError("same_mobile", SAME_MOBILE, fields={"mobile": [SAME_MOBILE]})
    if owner is not None:
        raise ConflictError("mobile_taken", MOBILE_TAKEN, fields={"mobile": [MOBILE_TAKEN]})
    verify_code(number, purpose="bind", code=sms_code, consume=False)
    profile = all_profiles()[person.province]
    with transaction.atomic():
        consume_code(number, purpose="bind", code=sms_code)
        person = Person.objects.select_for_update().get(pk=person.pk)
        old_mobile, old_masked = mobile_of(person), person.mobile_masked
        set_mobile(person, number)
        person.mobile_verified_at = timezone.now()
        try:
            with transaction.atomic():
                person.save(update_fields=["mobile_encrypted", "mobile_hash", "mobile_masked", "mobile_verified_at"])
        except IntegrityError as exc:  # someone bound the same number a moment ago
            raise ConflictError("mobile_taken", MOBILE_TAKEN, fields={"mobile": [MOBILE_TAKEN]}) from exc
        log_event(f"person:{person.pk}", "mobile.changed", ip=ip, old=old_masked, new=person.mobile_masked)
        if old_mobile:
            queue_sms(
                old_mobile,
                f"{profile.review.sms_signature}您的会计人员账户已将绑定手机号更换为{person.mobile_masked}，"
                "本号码不再用于登录和找回密码。如非本人操作，请立即联系当地财政部门。",
            )
    return person
