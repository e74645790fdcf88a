"""Password reset (找回密码: mobile + SMS code + new password, CQ 1.4) with the optional identity
check (HN 2.1), and activation of legacy people (原有会计人员: YN 3, LN 2)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError, FieldChecks
from accreg.provinces.loader import all_profiles

from ..identity import check_id_number, check_name, normalise_mobile
from ..identity_verification import Verification, identity_verifier
from ..models import Person
from ..people import id_hash, person_by_id_number, person_by_mobile, set_mobile
from .lockout import claim_attempt, clear_failures, record_failure, release_attempt
from .passwords import check_password_policy
from .registration import MOBILE_TAKEN
from .sign_in import lockout_rule
from .sms_codes import consume_code, verify_code
from .tokens import revoke_all_tokens

# One answer whether the ID number is unknown or the name does not match it: two answers would
# tell anyone which ID numbers are in the archive (issue 13 item 14; docs/decisions/0021).
NOT_MATCHED = "姓名与证件号码不匹配或不在原系统档案中，请核对后重试或联系管理部门"


def _not_matched() -> DomainError:
    return DomainError("name_mismatch", NOT_MATCHED, fields={"name": [NOT_MATCHED], "id_number": [NOT_MATCHED]})


def _person_named(name: str, id_number: str, *, ip: str | None, mobile_proven: bool = False) -> Person:
    """The person with this ID number, if the name matches too. An unknown ID number and a wrong
    name get the same answer and both count as a failed attempt (against the account, or the
    number's keyed hash with the strictest rule, as at sign-in), so ID numbers can be neither
    paired with names nor found in the archive by trying. A locked account is refused unless the
    caller already proved the person's mobile by SMS code (a reset is the way out of a lock)."""
    checks = FieldChecks()
    checked_name = checks.run(check_name, name)
    if len(id_number.strip()) in (15, 18):
        facts = checks.run(check_id_number, "111", id_number)
        number = facts.number if facts else ""
    else:
        number = id_number.strip().upper()
    checks.raise_if_any()
    name = checked_name or ""
    person = person_by_id_number(number)
    key = f"person:{person.pk}" if person else f"id:{id_hash(number)}"
    if mobile_proven:
        if person is None or person.name != name:
            record_failure(key, ip=ip)
            raise _not_matched()
        return person
    claim = claim_attempt(key, lockout_rule(all_profiles()[person.province] if person else None), ip=ip)
    if person is None or person.name != name:
        raise _not_matched()  # the claimed attempt stays as the failure
    release_attempt(claim)
    return person


def find_legacy_person(name: str, id_number: str, *, ip: str | None) -> Person:
    """Step one of activation: is there an archive record for this name and ID number?"""
    person = _person_named(name, id_number, ip=ip)
    if not person.needs_activation:
        raise ConflictError("already_active", "该账户已激活，请直接登录；忘记密码请使用“忘记密码”")
    profile = all_profiles()[person.province]
    if not profile.sign_in.legacy_activation:
        msg = f"{profile.name}的原有人员请直接注册：填写与档案一致的姓名和证件号码即可"
        raise ConflictError("register_instead", msg)
    return person


def activate_legacy_person(
    name: str, id_number: str, *, mobile: str, sms_code: str, password: str, ip: str | None
) -> Person:
    """Step two: bind and verify a mobile, set a password (YN 3, LN 2). Safe against reuse: once
    active, the record refuses a second activation."""
    person = find_legacy_person(name, id_number, ip=ip)
    profile = all_profiles()[person.province]
    checks = FieldChecks()
    mobile = checks.run(normalise_mobile, mobile) or ""
    checks.run(check_password_policy, password, profile.password)
    checks.raise_if_any()
    verify_code(mobile, purpose="bind", code=sms_code, consume=False)
    with transaction.atomic():
        owner = person_by_mobile(mobile)
        if owner is not None and owner.pk != person.pk:
            raise ConflictError("mobile_taken", MOBILE_TAKEN, fields={"mobile": [MOBILE_TAKEN]})
        consume_code(mobile, purpose="bind", code=sms_code)
        person = Person.objects.select_for_update().get(pk=person.pk)
        if not person.needs_activation:
            raise ConflictError("already_active", "该账户已激活，请直接登录")
        set_mobile(person, mobile)
        person.password = make_password(password)
        person.mobile_verified_at = person.activated_at = timezone.now()
        person.save()
        log_event(f"person:{person.pk}", "account.activated", ip=ip)
    return person


def start_identity_verification(name: str, id_number: str, *, ip: str | None) -> Verification:
    """HN 2.1: name + ID number, then the external check (face) by the configured verifier."""
    person = _person_named(name, id_number, ip=ip)
    verification = identity_verifier().start(person)
    log_event(f"person:{person.pk}", "identity_verification.started", ip=ip, status=verification.status)
    return verification


def reset_password(
    mobile: str, *, sms_code: str, new_password: str, verification_id: str = "", ip: str | None
) -> Person:
    """Set a new password after proving the mobile (and, where the province asks, the identity).
    Every session and token of the person ends; the lock-out is lifted."""
    mobile = normalise_mobile(mobile)
    verify_code(mobile, purpose="reset", code=sms_code, consume=False)
    person = person_by_mobile(mobile)
    if person is None:  # no code was ever sent to an unregistered mobile, so this is rare
        msg = "验证码不正确或已失效"
        raise DomainError("sms_code_wrong", msg, fields={"sms_code": [msg]})
    profile = all_profiles()[person.province]
    check_password_policy(new_password, profile.password, field="new_password")
    if profile.sign_in.identity_verification_on_reset:
        verification = identity_verifier().result(verification_id) if verification_id else None
        if verification is None or verification.status != "passed" or verification.person_id != person.pk:
            msg = "请先完成实名认证（姓名、证件号码及人脸核验）"
            raise DomainError("identity_verification_required", msg, fields={"verification_id": [msg]})
    with transaction.atomic():
        consume_code(mobile, purpose="reset", code=sms_code)
        now = timezone.now()
        Person.objects.filter(pk=person.pk).update(password=make_password(new_password))
        # The code proved the mobile: an archived person who resets this way is now active too.
        Person.objects.filter(pk=person.pk, activated_at__isnull=True).update(activated_at=now)
        Person.objects.filter(pk=person.pk, mobile_verified_at__isnull=True).update(mobile_verified_at=now)
        revoke_all_tokens(person)
        clear_failures(f"person:{person.pk}")
        log_event(f"person:{person.pk}", "password.reset", ip=ip)
    person.refresh_from_db()
    return person


def reset_password_with_identity(
    name: str, id_number: str, *, mobile: str, sms_code: str, new_password: str, ip: str | None
) -> Person:
    """The reset page where the province asks for identity verification (HN 2.1): every field is
    checked at once, the SMS code proves the mobile, the identity check follows (so a locked
    account can still reset), then the password changes."""
    checks = FieldChecks()
    checks.run(check_name, name)
    checks.run(check_id_number, "111", id_number)
    mobile = checks.run(normalise_mobile, mobile) or ""
    if not sms_code.strip():
        checks.add("sms_code", "请填写短信验证码")
    if not new_password:
        checks.add("new_password", "请设置新密码")
    checks.raise_if_any()
    verify_code(mobile, purpose="reset", code=sms_code, consume=False)
    person = _person_named(name, id_number, ip=ip, mobile_proven=True)
    owner = person_by_mobile(mobile)
    if owner is None or owner.pk != person.pk:
        msg = "该手机号不是此证件号码注册时绑定的手机号"
        raise DomainError("mobile_mismatch", msg, fields={"mobile": [msg]})
    verification = identity_verifier().start(person)
    if verification.status != "passed":
        msg = verification.instructions or "请先完成人脸核验"
        raise DomainError("identity_verification_pending", msg)
    return reset_password(mobile, sms_code=sms_code, new_password=new_password, verification_id=verification.id, ip=ip)
