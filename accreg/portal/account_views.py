"""The accountant's account pages (注册, 登录, 找回密码, 原有用户激活, 我的账户), mobile first.

Each view parses the form, calls the same service as the API, and on a DomainError shows the
messages beside the fields with everything typed kept (passwords excepted).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accreg.accounts.captchas import new_captcha
from accreg.accounts.identity import normalise_mobile
from accreg.accounts.limits import limit_by_ip
from accreg.accounts.middleware import end_person_session, start_person_session
from accreg.accounts.oidc import oidc_client, provider_for, sign_in_with_claims
from accreg.accounts.services.recovery import (
    activate_legacy_person,
    find_legacy_person,
    reset_password,
    start_identity_verification,
)
from accreg.accounts.services.registration import Registration, register_person
from accreg.accounts.services.sign_in import METHOD_LABELS, Credentials, sign_in_person
from accreg.accounts.services.sms_codes import request_code
from accreg.audit.services import client_ip, log_event
from accreg.codelists.registry import code_list
from accreg.errors import DomainError
from accreg.provinces.loader import served_profile
from accreg.provinces.schema import Province

SECRET_FIELDS = ("password", "new_password", "sms_code", "captcha")


def _profile(code: str) -> Province:
    profile = served_profile(code)
    if profile is None:
        raise Http404("未开通该省份")
    return profile


def _values(request: HttpRequest, *keys: str) -> dict[str, str]:
    return {key: request.POST.get(key, "").strip() for key in keys}


def _kept(values: dict[str, str]) -> dict[str, str]:
    """What to put back into the form after an error: everything but secrets."""
    return {k: v for k, v in values.items() if k not in SECRET_FIELDS}


def _page(request: HttpRequest, template: str, profile: Province, **context: Any) -> HttpResponse:
    status = context.pop("status", 200)
    return render(request, f"portal/account/{template}", {"province": profile, **context}, status=status)


SHOWN_FIELDS = frozenset({"name", "id_type", "id_number", "mobile", "sms_code", "password", "new_password", "captcha"})


def _error_context(exc: DomainError) -> dict[str, Any]:
    """Field messages go beside their fields; the rest, and the summary, at the top of the form."""
    beside = {key: messages for key, messages in exc.fields.items() if key in SHOWN_FIELDS}
    elsewhere = [m for key, messages in exc.fields.items() if key not in SHOWN_FIELDS for m in messages]
    field_messages = {m for messages in beside.values() for m in messages}
    summary = exc.message if exc.message not in field_messages else "请检查标出的内容"
    return {"errors": beside, "form_error": summary, "other_errors": elsewhere}


def _send_code(request: HttpRequest, mobile: str, purpose: str, profile: Province) -> str:
    """The no-JavaScript path of the 获取验证码 button: send, and say so."""
    limit_by_ip(request, "sms-codes")
    request_code(normalise_mobile(mobile), purpose=purpose, ip=client_ip(request), province=profile.code)
    return "验证码已发送，5分钟内有效"


def register(request: HttpRequest, province: str) -> HttpResponse:
    profile = _profile(province)
    id_types = code_list("id_types").items
    keys = ("name", "id_type", "id_number", "mobile", "sms_code", "password")
    if request.method != "POST":
        return _page(request, "register.html", profile, values={"id_type": "111"}, id_types=id_types)
    values = _values(request, *keys)
    try:
        if request.POST.get("action") == "send_code":
            notice = _send_code(request, values["mobile"], "register", profile)
            return _page(request, "register.html", profile, values=_kept(values), id_types=id_types, notice=notice)
        limit_by_ip(request, "accounts")
        person = register_person(Registration(province=profile.code, **values), ip=client_ip(request))
    except DomainError as exc:
        return _page(
            request,
            "register.html",
            profile,
            values=_kept(values),
            id_types=id_types,
            status=exc.status,
            **_error_context(exc),
        )
    start_person_session(request, person)
    return HttpResponseRedirect(f"/{profile.code}/me/?welcome=1")


def _login_context(profile: Province, method: str) -> dict[str, Any]:
    methods = [(m, METHOD_LABELS[m]) for m in profile.sign_in.methods if m != "oidc"]
    context: dict[str, Any] = {"methods": methods, "method": method, "oidc": provider_for(profile) is not None}
    if profile.sign_in.captcha and method != "mobile_sms":
        context["captcha_key"], context["captcha_image"] = new_captcha()
    return context


def login(request: HttpRequest, province: str) -> HttpResponse:
    profile = _profile(province)
    enabled = [m for m in profile.sign_in.methods if m != "oidc"]
    method = request.POST.get("method") or request.GET.get("method") or enabled[0]
    if method not in enabled:
        method = enabled[0]
    if request.method != "POST":
        return _page(request, "login.html", profile, values={}, **_login_context(profile, method))
    values = _values(request, "name", "id_number", "mobile", "password", "sms_code", "captcha_key", "captcha")
    try:
        if request.POST.get("action") == "send_code":
            notice = _send_code(request, values["mobile"], "login", profile)
            return _page(
                request,
                "login.html",
                profile,
                values=_kept(values),
                notice=notice,
                **_login_context(profile, method),
            )
        limit_by_ip(request, "sessions")
        person = sign_in_person(Credentials(method=method, portal=profile.code, **values), ip=client_ip(request))
    except DomainError as exc:
        if exc.code == "legacy_activation_required":
            return HttpResponseRedirect(f"/{profile.code}/activate/?legacy=1")
        return _page(
            request,
            "login.html",
            profile,
            values=_kept(values),
            status=exc.status,
            **_error_context(exc),
            **_login_context(profile, method),
        )
    start_person_session(request, person)
    return HttpResponseRedirect(f"/{person.province}/me/")


def password_reset(request: HttpRequest, province: str) -> HttpResponse:
    profile = _profile(province)
    needs_identity = profile.sign_in.identity_verification_on_reset
    keys = ("name", "id_number", "mobile", "sms_code", "new_password")
    if request.method != "POST":
        return _page(request, "password_reset.html", profile, values={}, needs_identity=needs_identity)
    values = _values(request, *keys)
    try:
        if request.POST.get("action") == "send_code":
            notice = _send_code(request, values["mobile"], "reset", profile)
            return _page(
                request,
                "password_reset.html",
                profile,
                values=_kept(values),
                notice=notice,
                needs_identity=needs_identity,
            )
        limit_by_ip(request, "password-resets")
        verification_id = ""
        if needs_identity:
            limit_by_ip(request, "identity-verifications")
            verification_id = start_identity_verification(values["name"], values["id_number"], ip=client_ip(request)).id
        reset_password(
            values["mobile"],
            sms_code=values["sms_code"],
            new_password=values["new_password"],
            verification_id=verification_id,
            ip=client_ip(request),
        )
    except DomainError as exc:
        return _page(
            request,
            "password_reset.html",
            profile,
            values=_kept(values),
            status=exc.status,
            needs_identity=needs_identity,
            **_error_context(exc),
        )
    return _page(
        request,
        "done.html",
        profile,
        title="密码已重设",
        message="新密码已生效，其他设备上的登录已退出。请用新密码登录。",
        next_url=f"/{profile.code}/login/",
    )


def activate(request: HttpRequest, province: str) -> HttpResponse:
    """原有会计人员: step 1 name + ID number; step 2 bind a mobile and set a password."""
    profile = _profile(province)
    if not profile.sign_in.legacy_activation:
        raise Http404("本省未开通原有用户激活")
    keys = ("name", "id_number", "mobile", "sms_code", "password")
    if request.method != "POST":
        return _page(request, "activate.html", profile, values={}, step=1, legacy=request.GET.get("legacy"))
    values = _values(request, *keys)
    step = 2 if request.POST.get("step") == "2" else 1
    try:
        limit_by_ip(request, "legacy-activations")
        if step == 1:
            find_legacy_person(values["name"], values["id_number"], ip=client_ip(request))
            return _page(request, "activate.html", profile, values=_kept(values), step=2)
        if request.POST.get("action") == "send_code":
            notice = _send_code(request, values["mobile"], "bind", profile)
            return _page(request, "activate.html", profile, values=_kept(values), step=2, notice=notice)
        person = activate_legacy_person(
            values["name"],
            values["id_number"],
            mobile=values["mobile"],
            sms_code=values["sms_code"],
            password=values["password"],
            ip=client_ip(request),
        )
    except DomainError as exc:
        back_to_one = step == 1 or exc.code in ("name_mismatch", "legacy_not_found", "already_active")
        return _page(
            request,
            "activate.html",
            profile,
            values=_kept(values),
            status=exc.status,
            step=1 if back_to_one else 2,
            **_error_context(exc),
        )
    start_person_session(request, person)
    return HttpResponseRedirect(f"/{person.province}/me/?welcome=1")


def me(request: HttpRequest, province: str) -> HttpResponse:
    profile = _profile(province)
    person = request.person  # type: ignore[attr-defined]
    if not person:
        return HttpResponseRedirect(f"/{profile.code}/login/")
    if person.province != profile.code:
        return HttpResponseRedirect(f"/{person.province}/me/")
    id_type = code_list("id_types").label(person.id_type) or person.id_type
    return _page(request, "me.html", profile, person=person, id_type=id_type, welcome=request.GET.get("welcome"))


@require_POST
def logout(request: HttpRequest, province: str) -> HttpResponse:
    profile = _profile(province)
    person = request.person  # type: ignore[attr-defined]
    if person:
        log_event(f"person:{person.pk}", "signed_out", ip=client_ip(request))
    end_person_session(request)
    return HttpResponseRedirect(f"/{profile.code}/")


def oidc_start(request: HttpRequest, province: str) -> HttpResponse:
    """Off to the province's identity provider (HN 统一身份认证); it comes back to oidc_callback."""
    profile = _profile(province)
    try:
        limit_by_ip(request, "sessions")
        client = oidc_client(profile)
        return client.authorize_redirect(request, request.build_absolute_uri(f"/{profile.code}/oidc/callback/"))
    except DomainError as exc:
        return _page(
            request,
            "login.html",
            profile,
            values={},
            status=exc.status,
            **_error_context(exc),
            **_login_context(profile, profile.sign_in.methods[0]),
        )


def oidc_callback(request: HttpRequest, province: str) -> HttpResponse:
    profile = _profile(province)
    method = next(m for m in profile.sign_in.methods if m != "oidc")
    try:
        token = oidc_client(profile).authorize_access_token(request)
        person = sign_in_with_claims(profile, dict(token.get("userinfo") or {}), ip=client_ip(request))
    except DomainError as exc:
        return _page(
            request,
            "login.html",
            profile,
            values={},
            status=exc.status,
            **_error_context(exc),
            **_login_context(profile, method),
        )
    except Exception as exc:  # the provider's answer could not be used: state, signature, network
        log_event("anonymous", "sign_in.oidc_failed", ip=client_ip(request), reason=type(exc).__name__)
        failed = DomainError("oidc_failed", "统一身份认证未能完成，请重试或改用其他登录方式")
        return _page(
            request,
            "login.html",
            profile,
            values={},
            status=400,
            **_error_context(failed),
            **_login_context(profile, method),
        )
    start_person_session(request, person)
    return HttpResponseRedirect(f"/{person.province}/me/")
