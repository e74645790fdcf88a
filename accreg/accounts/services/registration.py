"""Registration (注册): name, ID type and number, mobile with its SMS code, password (SPEC §2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError, FieldChecks
from accreg.provinces.loader import all_profiles, served_profile

from ..identity import IdentityFacts, check_id_number, check_name, normalise_mobile
from ..models import Person
from ..people import person_by_id_number, person_by_mobile, set_identity, set_mobile
from .passwords import check_password_policy
from .sms_codes import consume_code, verify_code

MOBILE_TAKEN = "该手机号已绑定其他证件号码。如这是您的号码，请直接登录或找回密码；否则请更换手机号"
LEGACY = "您的证件号码已在原有会计人员档案中，请使用“原有用户激活”核对姓名、绑定手机号并设置密码"


@dataclass(frozen=True)
class Registration:
    province: str
    name: str
    id_type: str
    id_number: str
    mobile: str
    sms_code: str
    password: str


def _validated(form: Registration) -> tuple[str, IdentityFacts, str]:
    """Every field checked at once, so the person sees all problems together."""
    profile = served_profile(form.province)
    if profile is None:
        msg = "请选择开通的省份门户"
        raise DomainError("unknown_province", msg, fields={"province": [msg]})
    checks = FieldChecks()
    name = checks.run(check_name, form.name)
    facts = checks.run(check_id_number, form.id_type, form.id_number)
    mobile = checks.run(normalise_mobile, form.mobile)
    checks.run(check_password_policy, form.password, profile.password)
    if not form.sms_code.strip():
        checks.add("sms_code", "请填写短信验证码")
    checks.raise_if_any()
    assert name is not None and facts is not None and mobile is not None
    return name, facts, mobile


def refuse_taken_id_number(province: str, id_type: str, id_number: str) -> None:
    """Before a registration code is sent (issue 14, item 14): an ID number that is malformed, or
    that registration would refuse as already taken or waiting for activation, is said at once,
    not after the person has waited for a text message and typed its code. What registration
    itself completes (a legacy record in a province without an activation page) passes."""
    profile = served_profile(province)
    if profile is None or not id_number.strip():
        return
    facts = check_id_number(id_type or "111", id_number)
    existing = person_by_id_number(facts.number)
    if existing is None:
        return
    if existing.needs_activation:
        if all_profiles()[existing.province].sign_in.legacy_activation:
            raise ConflictError("legacy_activation_required", LEGACY, fields={"id_number": [LEGACY]})
        return
    taken = profile.texts.id_number_taken
    raise ConflictError("id_number_taken", taken, fields={"id_number": [taken]})


def register_person(form: Registration, *, ip: str | None) -> Person:
    """Create the person's account in the chosen province portal. The SMS code is checked first
    (wrong tries count even when the rest fails), used up only when the account is created, so a
    person who typed a duplicate ID can correct it with the same code."""
    name, facts, mobile = _validated(form)
    verify_code(mobile, purpose="register", code=form.sms_code, consume=False)
    profile = served_profile(form.province)
    assert profile is not None
    with transaction.atomic():
        existing = person_by_id_number(facts.number)
        if existing is not None and existing.needs_activation:
            if all_profiles()[existing.province].sign_in.legacy_activation:
                raise ConflictError("legacy_activation_required", LEGACY, fields={"id_number": [LEGACY]})
            if existing.name == name:
                # Where the province has no activation page, registering completes the archive record.
                return _complete_legacy_record(existing, mobile=mobile, password=form.password, form=form, ip=ip)
        if existing is not None:
            taken = profile.texts.id_number_taken
            raise ConflictError("id_number_taken", taken, fields={"id_number": [taken]})
        if person_by_mobile(mobile) is not None:
            raise ConflictError("mobile_taken", MOBILE_TAKEN, fields={"mobile": [MOBILE_TAKEN]})
        consume_code(mobile, purpose="register", code=form.sms_code)
        person = Person(province=profile.code, name=name, password=make_password(form.password))
        set_identity(person, facts)
        set_mobile(person, mobile)
        person.mobile_verified_at = person.activated_at = timezone.now()
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError as exc:  # a simultaneous registration with the same ID or mobile
            taken = profile.texts.id_number_taken
            raise ConflictError("id_number_taken", taken, fields={"id_number": [taken]}) from exc
        log_event(f"person:{person.pk}", "account.registered", ip=ip, province=profile.code)
    return person


def _complete_legacy_record(
    person: Person, *, mobile: str, password: str, form: Registration, ip: str | None
) -> Person:
    """Give an archived person (原有会计人员) of a province without an activation page the account
    they registered for: their verified mobile and password on the record that already exists."""
    owner = person_by_mobile(mobile)
    if owner is not None and owner.pk != person.pk:
        raise ConflictError("mobile_taken", MOBILE_TAKEN, fields={"mobile": [MOBILE_TAKEN]})
    consume_code(mobile, purpose="register", code=form.sms_code)
    set_mobile(person, mobile)
    person.password = make_password(form.password)
    person.mobile_verified_at = person.activated_at = timezone.now()
    person.save()
    log_event(f"person:{person.pk}", "account.activated", ip=ip, via="registration")
    return person
