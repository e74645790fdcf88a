"""Accountant accounts over the API (API.md): SMS codes, registration, captchas, sign-in and
sign-out, password reset, legacy activation, identity verification; staff sign-in too."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from accreg.accounts.captchas import new_captcha
from accreg.accounts.identity import normalise_mobile
from accreg.accounts.limits import limit_by_ip
from accreg.accounts.models import Person
from accreg.accounts.services.recovery import (
    activate_legacy_person,
    find_legacy_person,
    reset_password,
    start_identity_verification,
)
from accreg.accounts.services.registration import Registration, refuse_taken_id_number, register_person
from accreg.accounts.services.self_service import change_mobile, change_password
from accreg.accounts.services.sign_in import Credentials, sign_in_person, sign_in_staff
from accreg.accounts.services.sms_codes import request_code
from accreg.accounts.services.tokens import issue_token, revoke_token
from accreg.audit.services import client_ip, log_event

from .auth import AnyToken, PersonToken
from .schemas import ObjectIn, errors

router = Router(tags=["账户"], auth=None)


class SmsCodeIn(ObjectIn):
    mobile: str
    purpose: Literal["register", "login", "reset", "bind"]
    province: str = ""
    # register: the ID number typed so far, refused before a code is sent when it is taken
    id_type: str = "111"
    id_number: str = ""


class SmsCodeOut(Schema):
    status: str
    resend_after: int


@router.post("/sms-codes", response={202: SmsCodeOut, **errors(400, 409, 429)}, summary="发送短信验证码")
def post_sms_code(request: HttpRequest, payload: SmsCodeIn) -> Status:
    limit_by_ip(request, "sms-codes")
    if payload.purpose == "register":
        refuse_taken_id_number(payload.province, payload.id_type, payload.id_number)
    request_code(
        normalise_mobile(payload.mobile),
        purpose=payload.purpose,
        ip=client_ip(request),
        province=payload.province or None,
    )
    return Status(202, {"status": "sent", "resend_after": 60})


class AccountIn(ObjectIn):
    province: str
    name: str
    id_type: str
    id_number: str
    mobile: str
    sms_code: str
    password: str


class TokenOut(Schema):
    token: str


class AccountOut(TokenOut):
    id: int


@router.post("/accounts", response={201: AccountOut, **errors(400, 409, 429)}, summary="注册（注册后即登录）")
def post_account(request: HttpRequest, payload: AccountIn) -> Status:
    limit_by_ip(request, "accounts")
    person = register_person(Registration(**payload.dict()), ip=client_ip(request))
    return Status(201, {"id": person.pk, "token": issue_token(person=person)})


class CaptchaOut(Schema):
    captcha_key: str
    image: str


@router.post("/captchas", response={201: CaptchaOut, **errors(429)}, summary="图形验证码")
def post_captcha(request: HttpRequest) -> Status:
    limit_by_ip(request, "captchas")
    key, image = new_captcha()
    return Status(201, {"captcha_key": key, "image": image})


class SessionIn(ObjectIn):
    method: Literal["id_password", "name_id_password", "mobile_password", "mobile_sms", "staff_password"]
    id_number: str = ""
    name: str = ""
    mobile: str = ""
    password: str = ""
    sms_code: str = ""
    captcha_key: str = ""
    captcha: str = ""
    province: str = ""  # the portal in use, so its captcha rule applies
    username: str = ""
    otp: str = ""


@router.post("/sessions", response={201: TokenOut, **errors(400, 409, 429)}, summary="登录")
def post_session(request: HttpRequest, payload: SessionIn) -> Status:
    limit_by_ip(request, "sessions")
    ip = client_ip(request)
    if payload.method == "staff_password":
        staff = sign_in_staff(payload.username, payload.password, payload.otp or None, ip=ip)
        return Status(201, {"token": issue_token(staff=staff)})
    fields = payload.dict(exclude={"username", "otp", "province"})
    creds = Credentials(**fields, portal=payload.province)
    return Status(201, {"token": issue_token(person=sign_in_person(creds, ip=ip))})


@router.delete("/sessions/current", response={204: None, **errors(401)}, auth=AnyToken, summary="退出登录")
def delete_session(request: HttpRequest) -> Status:
    revoke_token(request.raw_token)  # type: ignore[attr-defined]
    holder = request.auth  # type: ignore[attr-defined]
    kind = "person" if isinstance(holder, Person) else "staff"
    log_event(f"{kind}:{holder.pk}", "signed_out", ip=client_ip(request))
    return Status(204, None)


class PasswordResetIn(ObjectIn):
    mobile: str
    sms_code: str
    new_password: str
    verification_id: str = ""


class StatusOut(Schema):
    status: str


@router.post("/password-resets", response={200: StatusOut, **errors(400, 409, 429)}, summary="找回密码")
def post_password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status:
    limit_by_ip(request, "password-resets")
    reset_password(
        payload.mobile,
        sms_code=payload.sms_code,
        new_password=payload.new_password,
        verification_id=payload.verification_id,
        ip=client_ip(request),
    )
    return Status(200, {"status": "password_changed"})


class LegacyIn(ObjectIn):
    name: str
    id_number: str
    mobile: str = ""
    sms_code: str = ""
    password: str = ""


class LegacyFoundOut(Schema):
    status: str
    province: str
    next: list[str]


@router.post(
    "/legacy-activations",
    response={200: LegacyFoundOut, 201: TokenOut, **errors(400, 409, 429)},
    summary="原有会计人员激活",
)
def post_legacy_activation(request: HttpRequest, payload: LegacyIn) -> Status:
    limit_by_ip(request, "legacy-activations")
    ip = client_ip(request)
    if not (payload.mobile or payload.sms_code or payload.password):
        person = find_legacy_person(payload.name, payload.id_number, ip=ip)
        return Status(200, {"status": "found", "province": person.province, "next": ["mobile", "sms_code", "password"]})
    person = activate_legacy_person(
        payload.name,
        payload.id_number,
        mobile=payload.mobile,
        sms_code=payload.sms_code,
        password=payload.password,
        ip=ip,
    )
    return Status(201, {"token": issue_token(person=person)})


class VerificationIn(ObjectIn):
    name: str
    id_number: str


class VerificationOut(Schema):
    id: str
    status: str
    instructions: str


@router.post(
    "/identity-verifications", response={201: VerificationOut, **errors(400, 429)}, summary="实名认证（找回密码前）"
)
def post_identity_verification(request: HttpRequest, payload: VerificationIn) -> Status:
    limit_by_ip(request, "identity-verifications")
    verification = start_identity_verification(payload.name, payload.id_number, ip=client_ip(request))
    return Status(
        201, {"id": verification.id, "status": verification.status, "instructions": verification.instructions}
    )


class MeOut(Schema):
    id: int
    name: str
    province: str
    id_type: str
    id_number: str  # masked
    mobile: str  # masked
    birth_date: str | None
    gender: str
    is_legacy: bool


@router.get(
    "/me", response={200: MeOut, **errors(401)}, auth=PersonToken, summary="当前登录的会计人员（证件号码、手机号脱敏）"
)
def get_me(request: HttpRequest) -> dict[str, object]:
    person: Person = request.auth  # type: ignore[attr-defined]
    return {
        "id": person.pk,
        "name": person.name,
        "province": person.province,
        "id_type": person.id_type,
        "id_number": person.id_number_masked,
        "mobile": person.mobile_masked,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "gender": person.gender,
        "is_legacy": person.is_legacy,
    }


class PasswordChangeIn(ObjectIn):
    old_password: str
    new_password: str


@router.post(
    "/me/password",
    response={200: StatusOut, **errors(400, 401, 429)},
    auth=PersonToken,
    summary="修改密码（其他设备的登录随之退出）",
)
def post_my_password(request: HttpRequest, payload: PasswordChangeIn) -> Status:
    limit_by_ip(request, "passwords")
    change_password(
        request.auth,  # type: ignore[attr-defined]
        old_password=payload.old_password,
        new_password=payload.new_password,
        keep_token=request.raw_token,  # type: ignore[attr-defined]
        ip=client_ip(request),
    )
    return Status(200, {"status": "password_changed"})


class MobileChangeIn(ObjectIn):
    mobile: str
    sms_code: str


class MobileOut(Schema):
    status: str
    mobile: str  # masked


@router.post(
    "/me/mobile",
    response={200: MobileOut, **errors(400, 401, 409, 429)},
    auth=PersonToken,
    summary="更换手机号（bind 验证码发至新号码；号码属于他人时 409）",
)
def post_my_mobile(request: HttpRequest, payload: MobileChangeIn) -> Status:
    limit_by_ip(request, "mobiles")
    person = change_mobile(
        request.auth,  # type: ignore[attr-defined]
        mobile=payload.mobile,
        sms_code=payload.sms_code,
        ip=client_ip(request),
    )
    return Status(200, {"status": "mobile_changed", "mobile": person.mobile_masked})
