"""Signing in (登录): every method of API.md, each switched on per province (SPEC §2)."""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError
from accreg.provinces.loader import all_profiles, served_profile
from accreg.provinces.schema import Province

from ..captchas import check_captcha
from ..identity import check_name, normalise_mobile
from ..models import Person, SignInFailure, Staff
from ..people import id_hash, mobile_hash, person_by_id_number, person_by_mobile
from .lockout import LockoutRule, attempts_left, claim_attempt, clear_failures, ensure_not_locked, release_attempt
from .sms_codes import consume_code

METHOD_LABELS = {
    "id_password": "证件号码 + 密码",
    "name_id_password": "姓名 + 证件号码 + 密码",
    "mobile_password": "手机号 + 密码",
    "mobile_sms": "手机号 + 短信验证码",
    "oidc": "统一身份认证",
}
PASSWORD_METHODS = frozenset({"id_password", "name_id_password", "mobile_password"})
# Verifying against this keeps a wrong ID number as slow as a wrong password (no timing oracle).
_DUMMY_HASH = make_password("not-a-real-password")


@dataclass(frozen=True)
class Credentials:
    method: str
    id_number: str = ""
    name: str = ""
    mobile: str = ""
    password: str = ""
    sms_code: str = ""
    captcha_key: str = ""
    captcha: str = ""
    portal: str = ""  # the province portal the person is using, if the client says


def _wrong(field: str, left: int, minutes: int) -> DomainError:
    """The same answer for a wrong password and an unknown account, with the tries left (both are
    counted, so the count reveals nothing either)."""
    messages = {
        "password": "证件号码或密码不正确",
        "name": "姓名、证件号码或密码不正确",
        "mobile": "手机号或密码不正确",
    }
    msg = messages[field]
    if left == 0:  # this failure was the last one allowed: say so now, not on the next try
        msg += f"，账户已锁定{minutes}分钟，请{minutes}分钟后再试，或通过“忘记密码”重设密码"
    elif left <= 3:
        msg += f"，再错{left}次账户将锁定{minutes}分钟"
    return DomainError("invalid_credentials", msg, fields={"password": [msg]})


def lockout_rule(profile: Province | None) -> LockoutRule:
    """The province's lock-out rule; for an unknown account the strictest of any province."""
    if profile is None:  # unknown account: the strictest rule of any province
        rules = [p.sign_in for p in all_profiles().values()]
        return LockoutRule(min(r.lockout_attempts for r in rules), max(r.lockout_minutes for r in rules))
    return LockoutRule(profile.sign_in.lockout_attempts, profile.sign_in.lockout_minutes)


def _find(creds: Credentials) -> tuple[Person | None, str]:
    """The person the credentials name, and the key their failures are counted under."""
    if creds.method in ("id_password", "name_id_password"):
        number = creds.id_number.strip().upper()
        if not number:
            raise DomainError("invalid", "请填写证件号码", fields={"id_number": ["请填写证件号码"]})
        person = person_by_id_number(number)
        return person, f"person:{person.pk}" if person else f"id:{id_hash(number)}"
    mobile = normalise_mobile(creds.mobile)
    person = person_by_mobile(mobile)
    return person, f"person:{person.pk}" if person else f"mobile:{mobile_hash(mobile)}"


def sign_in_person(creds: Credentials, *, ip: str | None) -> Person:
    """Check the credentials and return the person. Wrong passwords count towards the account's
    lock-out; a locked account answers 429 even to the right password. Not atomic on purpose:
    the failure records must stay when the attempt is refused."""
    if creds.method not in METHOD_LABELS or creds.method == "oidc":
        msg = "不支持的登录方式"
        raise DomainError("invalid", msg, fields={"method": [msg]})
    portal = served_profile(creds.portal) if creds.portal else None
    person, account_key = _find(creds)
    profile = served_profile(person.province) if person else portal
    if person and profile and creds.method not in profile.sign_in.methods:
        allowed = "、".join(METHOD_LABELS[m] for m in profile.sign_in.methods)
        raise DomainError(
            "method_not_allowed",
            f"{profile.name}不支持该登录方式，请使用：{allowed}",
            fields={"method": [allowed]},
        )
    if creds.method in PASSWORD_METHODS:
        rule = lockout_rule(profile)
        ensure_not_locked(account_key, rule)
        if (portal and portal.sign_in.captcha) or (profile and profile.sign_in.captcha):
            check_captcha(creds.captcha_key, creds.captcha)
        if person is not None and person.needs_activation:
            raise ConflictError(
                "legacy_activation_required",
                "您是原有会计人员，请先激活账户：核对姓名和证件号码，绑定手机号并设置密码",
            )
        claim_attempt(account_key, rule, ip=ip)  # counted before the check: it stays if this fails
        name_ok = creds.method != "name_id_password" or (person is not None and check_name(creds.name) == person.name)
        password_ok = check_password(creds.password, person.password if person else _DUMMY_HASH)
        if person is None or not name_ok or not password_ok:
            log_event(account_key, "sign_in.failed", ip=ip, method=creds.method)
            left = attempts_left(account_key, rule)
            if left == 0 and person is not None:  # the department's desk sees when and why it locked
                log_event(account_key, "sign_in.locked", ip=ip, minutes=rule.minutes)
            field = {"name_id_password": "name", "mobile_password": "mobile"}.get(creds.method, "password")
            raise _wrong(field, left, rule.minutes)
        clear_failures(account_key)
    else:  # mobile_sms: the code's own limits (5 tries, 5 minutes) protect it
        consume_code(normalise_mobile(creds.mobile), purpose="login", code=creds.sms_code)
        if person is None:
            msg = "该手机号尚未注册，请先注册"
            raise DomainError("unknown_mobile", msg, fields={"mobile": [msg]})
        if person.needs_activation:
            raise ConflictError(
                "legacy_activation_required",
                "您是原有会计人员，请先激活账户：核对姓名和证件号码，绑定手机号并设置密码",
            )
    Person.objects.filter(pk=person.pk).update(last_sign_in_at=timezone.now())
    log_event(f"person:{person.pk}", "sign_in.succeeded", ip=ip, method=creds.method)
    return person


STAFF_RULE = LockoutRule(attempts=5, minutes=15)


def sign_in_staff(username: str, password: str, otp: str | None, *, ip: str | None) -> Staff:
    """Staff sign in with username, password and (where required) a TOTP code."""
    staff = Staff.objects.filter(username__iexact=username.strip(), is_active=True).first()
    account_key = f"staff:{staff.pk}" if staff else f"staff-name:{username.strip().lower()}"
    claim = claim_attempt(account_key, STAFF_RULE, ip=ip)  # counted before the check; stays if it fails
    password_ok = check_password(password, staff.password if staff else _DUMMY_HASH)
    if staff is None or not password_ok:
        log_event(account_key, "staff_sign_in.failed", ip=ip)
        msg = "用户名或密码不正确"
        raise DomainError("invalid_credentials", msg, fields={"password": [msg]})
    if settings.STAFF_REQUIRE_OTP or otp:
        _check_otp(staff, otp or "", claim=claim)
    clear_failures(account_key)
    Staff.objects.filter(pk=staff.pk).update(last_login=timezone.now())
    log_event(f"staff:{staff.pk}", "staff_sign_in.succeeded", ip=ip)
    return staff


def _check_otp(staff: Staff, otp: str, *, claim: SignInFailure) -> None:
    """A TOTP code of the current 30-second step or a neighbour (clock drift), each step usable
    once: a code seen over a shoulder or in a log cannot be replayed. A wrong code leaves the
    attempt's claimed row as a failure of the account; a missing or replayed one gives it back."""
    if not otp.strip():
        release_attempt(claim)
        msg = "请输入身份验证器中的6位动态口令"
        raise DomainError("otp_required", msg, fields={"otp": [msg]})
    totp = pyotp.TOTP(staff.otp_secret)
    now = timezone.now()
    step = next(
        (totp.timecode(now) + offset for offset in (0, -1, 1) if totp.at(now, counter_offset=offset) == otp.strip()),
        None,
    )
    if step is None:
        raise DomainError("otp_wrong", "动态口令不正确", fields={"otp": ["动态口令不正确"]})
    if not Staff.objects.filter(pk=staff.pk, otp_last_step__lt=step).update(otp_last_step=step):
        release_attempt(claim)
        msg = "该动态口令已使用过，请等待身份验证器显示新的口令"
        raise DomainError("otp_reused", msg, fields={"otp": [msg]})
