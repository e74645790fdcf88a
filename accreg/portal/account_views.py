"""The accountant's account pages (注册, 登录, 找回密码, 原有用户设置密码, 我的账户), mobile first.

Each view parses the form, calls the same service as the API, and on a DomainError shows one
clear message on top and the fields' messages beside them, with everything typed kept (passwords
excepted: the page asks for them again).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from accreg.accounts.captchas import new_captcha
from accreg.accounts.identity import normalise_mobile
from accreg.accounts.limits import limit_by_ip
from accreg.accounts.middleware import end_person_session, start_person_session
from accreg.accounts.oidc import (
    VerifiedIdentity,
    oidc_client,
    open_account,
    provider_for,
    sign_in_verified,
    verified_identity,
)
from accreg.accounts.sensitive import mask_id_number, seal, unseal
from accreg.accounts.services.recovery import (
    activate_legacy_person,
    find_legacy_person,
    reset_password,
    reset_password_with_identity,
)
from accreg.accounts.services.registration import Registration, refuse_taken_id_number, register_person
from accreg.accounts.services.sign_in import METHOD_LABELS, Credentials, sign_in_person
from accreg.accounts.services.sms_codes import request_code
from accreg.audit.services import client_ip, log_event
from accreg.codelists.registry import code_list
from accreg.collection.selectors import record_of, step_states
from accreg.collection.submission import record_status
from accreg.errors import DomainError
from accreg.provinces.loader import served_profile
from accreg.provinces.schema import Province

from .returned import returned_flags

# Never sent back into a page. An SMS code is kept: it stays valid for minutes and costs a message.
SECRET_FIELDS = ("password", "old_password", "new_password", "captcha")
CAPTCHA_ERRORS = frozenset({"captcha_required", "captcha_expired", "captcha_wrong"})
SHOWN_FIELDS = frozenset(
    {"name", "id_type", "id_number", "mobile", "sms_code", "password", "new_password", "captcha"}
    | {"old_password", "reference", "statement", "id_card_photo", "holding_photo"}
)
# The name and ID number wait in the session sealed (encrypted), never in plain (issue 13 item 12).
ACTIVATION_PREFILL = "activation_prefill"  # name and ID typed at sign-in, for activation step 1
ACTIVATION_FOUND = "activation_found"  # the identity found in step 1, for step 2
ACTIVATION_SECONDS = 30 * 60  # after this, activation starts again at step 1
OIDC_IDENTITY = "oidc_identity"  # the provider's verified identity, waiting for a mobile to open the account


def _profile(code: str) -> Province:
    profile = served_profile(code)
    if profile is None:
        raise Http404("未开通该省份")
    return profile


def _values(request: HttpRequest, *keys: str) -> dict[str, str]:
    return {key: request.POST.get(key, "").strip() for key in keys}


def _kept(values: dict[str, str]) -> dict[str, Any]:
    """What goes back into the form: everything but secrets, and a note to type the password
    again when one was cleared."""
    kept: dict[str, Any] = {k: v for k, v in values.items() if k not in SECRET_FIELDS}
    kept["retype_password"] = any(values.get(k) for k in ("password", "old_password", "new_password"))
    return kept


def _page(request: HttpRequest, template: str, profile: Province, **context: Any) -> HttpResponse:
    status = context.pop("status", 200)
    return render(request, f"portal/account/{template}", {"province": profile, **context}, status=status)


def _error_context(exc: DomainError) -> dict[str, Any]:
    """Several bad fields: a summary on top and each message beside its field. One problem: its
    message on top, said once, with the field outlined."""
    elsewhere = [m for key, messages in exc.fields.items() if key not in SHOWN_FIELDS for m in messages]
    if exc.code == "invalid":
        beside = {key: messages for key, messages in exc.fields.items() if key in SHOWN_FIELDS}
        return {"errors": beside, "form_error": "请检查标出的内容", "other_errors": elsewhere}
    beside = {
        key: [m for m in messages if m != exc.message] or [""]
        for key, messages in exc.fields.items()
        if key in SHOWN_FIELDS
    }
    return {"errors": beside, "form_error": exc.message, "other_errors": [m for m in elsewhere if m != exc.message]}


def _send_code(request: HttpRequest, mobile: str, purpose: str, profile: Province) -> str:
    """The no-JavaScript path of the 获取验证码 button: send, and say so."""
    limit_by_ip(request, "sms-codes")
    request_code(normalise_mobile(mobile), purpose=purpose, ip=client_ip(request), province=profile.code)
    return "验证码已发送，5分钟内有效"


def register(request: HttpRequest, province: str) -> HttpResponse:
    profile = _profile(province)
    if profile.sign_in.register_at_provider and provider_for(profile) is not None:
        # HN 2.1: people register on the unified identity platform; coming back from it opens the account.
        return _page(request, "register_at_provider.html", profile)
    page = {"id_types": code_list("id_types").items}
    if request.method != "POST":
        return _page(request, "register.html", profile, values={"id_type": "111"}, **page)
    values = _values(request, "name", "id_type", "id_number", "mobile", "sms_code", "password")
    try:
        if request.POST.get("action") == "send_code":
            refuse_taken_id_number(profile.code, values["id_type"], values["id_number"])
            notice = _send_code(request, values["mobile"], "register", profile)
            return _page(request, "register.html", profile, values=_kept(values), notice=notice, **page)
        limit_by_ip(request, "accounts")
        person = register_person(Registration(province=profile.code, **values), ip=client_ip(request))
    except DomainError as exc:
        context = _error_context(exc)
        context["claimable"] = exc.code == "id_number_taken"  # 申请找回该证件号码的账户
        return _page(request, "register.html", profile, values=_kept(values), status=exc.status, **context, **page)
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
    action = request.POST.get("action")
    try:
        if action == "send_code":
            notice = _send_code(request, values["mobile"], "login", profile)
            return _page(
                request, "login.html", profile, values=_kept(values), notice=notice, **_login_context(profile, method)
            )
        if action == "new_captcha":  # without JavaScript, the picture is a button that brings a new one
            return _page(request, "login.html", profile, values=_kept(values), **_login_context(profile, method))
        limit_by_ip(request, "sessions")
        person = sign_in_person(Credentials(method=method, portal=profile.code, **values), ip=client_ip(request))
    except DomainError as exc:
        if exc.code == "legacy_activation_required":
            request.session[ACTIVATION_PREFILL] = seal({"name": values["name"], "id_number": values["id_number"]})
            return HttpResponseRedirect(f"/{profile.code}/activate/?legacy=1")
        kept = _kept(values)
        if exc.code in CAPTCHA_ERRORS:  # the password was not even checked: keep it, only the picture is new
            kept.update(password=values["password"], keep_password=True, retype_password=False)
        return _page(
            request,
            "login.html",
            profile,
            values=kept,
            status=exc.status,
            **_error_context(exc),
            **_login_context(profile, method),
        )
    start_person_session(request, person)
    return HttpResponseRedirect(f"/{person.province}/me/")


def password_reset(request: HttpRequest, province: str) -> HttpResponse:
    profile = _profile(province)
    page = {"needs_identity": profile.sign_in.identity_verification_on_reset}
    if request.method != "POST":
        return _page(request, "password_reset.html", profile, values={}, **page)
    values = _values(request, "name", "id_number", "mobile", "sms_code", "new_password")
    ip = client_ip(request)
    try:
        if request.POST.get("action") == "send_code":
            notice = _send_code(request, values["mobile"], "reset", profile)
            return _page(request, "password_reset.html", profile, values=_kept(values), notice=notice, **page)
        limit_by_ip(request, "password-resets")
        if page["needs_identity"]:
            limit_by_ip(request, "identity-verifications")
            reset_password_with_identity(
                values["name"],
                values["id_number"],
                mobile=values["mobile"],
                sms_code=values["sms_code"],
                new_password=values["new_password"],
                ip=ip,
            )
        else:
            reset_password(values["mobile"], sms_code=values["sms_code"], new_password=values["new_password"], ip=ip)
    except DomainError as exc:
        return _page(
            request,
            "password_reset.html",
            profile,
            values=_kept(values),
            status=exc.status,
            **_error_context(exc),
            **page,
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
    """原有会计人员: step 1 name + ID number; step 2 bind a mobile and set a password. The identity
    found in step 1 waits in the session, not in the page."""
    profile = _profile(province)
    if not profile.sign_in.legacy_activation:
        raise Http404("本省未开通原有用户设置密码")
    if request.method != "POST":
        prefill = unseal(request.session.pop(ACTIVATION_PREFILL, None), max_age=ACTIVATION_SECONDS)
        return _page(request, "activate.html", profile, values=prefill, step=1, legacy=request.GET.get("legacy"))
    found = unseal(request.session.get(ACTIVATION_FOUND), max_age=ACTIVATION_SECONDS)
    step = 2 if request.POST.get("step") == "2" and found else 1
    values = _values(request, "name", "id_number") if step == 1 else dict(found)
    values.update(_values(request, "mobile", "sms_code", "password"))
    ip = client_ip(request)
    try:
        limit_by_ip(request, "legacy-activations")
        if step == 1:
            find_legacy_person(values["name"], values["id_number"], ip=ip)
            request.session[ACTIVATION_FOUND] = seal({"name": values["name"], "id_number": values["id_number"]})
            return _page(request, "activate.html", profile, values={"name": values["name"]}, step=2)
        if request.POST.get("action") == "send_code":
            notice = _send_code(request, values["mobile"], "bind", profile)
            return _page(request, "activate.html", profile, values=_kept(values), step=2, notice=notice)
        person = activate_legacy_person(
            values["name"],
            values["id_number"],
            mobile=values["mobile"],
            sms_code=values["sms_code"],
            password=values["password"],
            ip=ip,
        )
    except DomainError as exc:
        back_to_one = step == 1 or exc.code in ("name_mismatch", "already_active")
        if back_to_one:
            request.session.pop(ACTIVATION_FOUND, None)
        return _page(
            request,
            "activate.html",
            profile,
            values=_kept(values),
            status=exc.status,
            step=1 if back_to_one else 2,
            **_error_context(exc),
        )
    request.session.pop(ACTIVATION_FOUND, None)
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
    record = record_of(person)
    steps = step_states(person, record)
    done = sum(1 for step in steps if step["state"] == "complete")
    required = sum(1 for step in steps if step["state"] != "optional")
    return _page(
        request,
        "me.html",
        profile,
        person=person,
        id_type=id_type,
        welcome=request.GET.get("welcome"),
        changed=request.GET.get("changed"),
        steps=steps,
        done=done,
        required=required,
        review=record_status(person),
        flags=returned_flags(profile, record),
    )


def logout(request: HttpRequest, province: str) -> HttpResponse:
    """Sign out (POST). A direct visit, from a bookmark, lands on the account page and its button."""
    profile = _profile(province)
    if request.method != "POST":
        return HttpResponseRedirect(f"/{profile.code}/me/")
    person = request.person  # type: ignore[attr-defined]
    if person:
        log_event(f"person:{person.pk}", "signed_out", ip=client_ip(request))
    end_person_session(request)
    return HttpResponseRedirect(f"/{profile.code}/")


def _login_failed(request: HttpRequest, profile: Province, exc: DomainError) -> HttpResponse:
    """Back on the login page with the reason, as after a wrong password."""
    method = next(m for m in profile.sign_in.methods if m != "oidc")
    return _page(
        request,
        "login.html",
        profile,
        values={},
        status=exc.status,
        **_error_context(exc),
        **_login_context(profile, method),
    )


def oidc_start(request: HttpRequest, province: str) -> HttpResponse:
    """Off to the province's identity provider (HN 统一身份认证); it comes back to oidc_callback."""
    profile = _profile(province)
    try:
        limit_by_ip(request, "sessions")
        client = oidc_client(profile)
        return client.authorize_redirect(request, request.build_absolute_uri(f"/{profile.code}/oidc/callback/"))
    except DomainError as exc:
        return _login_failed(request, profile, exc)
    except Exception as exc:  # the provider cannot be reached (discovery over the network)
        log_event("anonymous", "sign_in.oidc_unreachable", ip=client_ip(request), reason=type(exc).__name__)
        msg = "统一身份认证平台暂时无法连接，请稍后重试或改用其他方式登录"
        return _login_failed(request, profile, DomainError("oidc_unreachable", msg))


def oidc_callback(request: HttpRequest, province: str) -> HttpResponse:
    """Back from the provider: sign in the account of the verified ID number, or, for someone
    without one, keep the verified identity (sealed) and ask for the mobile (oidc_complete)."""
    profile = _profile(province)
    ip = client_ip(request)
    try:
        token = oidc_client(profile).authorize_access_token(request)
    except DomainError as exc:
        return _login_failed(request, profile, exc)
    except Exception as exc:  # the provider's answer could not be used: state, signature, network
        log_event("anonymous", "sign_in.oidc_failed", ip=ip, reason=type(exc).__name__)
        return _login_failed(
            request, profile, DomainError("oidc_failed", "统一身份认证未能完成，请重试或改用其他登录方式")
        )
    try:
        identity = verified_identity(profile, dict(token.get("userinfo") or {}))
        person = sign_in_verified(identity, ip=ip)
    except DomainError as exc:
        return _login_failed(request, profile, exc)
    if person is None:
        request.session[OIDC_IDENTITY] = identity.sealed()
        return HttpResponseRedirect(f"/{profile.code}/oidc/complete/")
    request.session.pop(OIDC_IDENTITY, None)
    start_person_session(request, person)
    return HttpResponseRedirect(f"/{person.province}/me/")


def oidc_complete(request: HttpRequest, province: str) -> HttpResponse:
    """完成账户开通 (HN 2.1): the provider's verified name and ID number shown, not typed; the
    mobile and its SMS code asked for; then the account is opened and the person signed in."""
    profile = _profile(province)
    identity = VerifiedIdentity.unsealed(request.session.get(OIDC_IDENTITY), max_age=ACTIVATION_SECONDS)
    if identity is None or identity.province != profile.code:
        request.session.pop(OIDC_IDENTITY, None)
        msg = "统一身份认证的核验结果已过期，请重新点击“统一身份认证登录”"
        return _login_failed(request, profile, DomainError("oidc_expired", msg))
    page = {
        "identity": identity,
        "id_type": code_list("id_types").label(identity.id_type) or identity.id_type,
        "id_number_masked": mask_id_number(identity.id_number),
    }
    if request.method != "POST":
        return _page(request, "oidc_complete.html", profile, values={}, **page)
    values = _values(request, "mobile", "sms_code")
    try:
        if request.POST.get("action") == "send_code":
            notice = _send_code(request, values["mobile"], "register", profile)
            return _page(request, "oidc_complete.html", profile, values=values, notice=notice, **page)
        limit_by_ip(request, "accounts")
        person = open_account(identity, mobile=values["mobile"], sms_code=values["sms_code"], ip=client_ip(request))
    except DomainError as exc:
        context = _error_context(exc)
        return _page(request, "oidc_complete.html", profile, values=values, status=exc.status, **context, **page)
    request.session.pop(OIDC_IDENTITY, None)
    start_person_session(request, person)
    return HttpResponseRedirect(f"/{person.province}/me/?welcome=1")
