"""账户安全 on the account page (issue 15 item 5): 修改密码 and 更换手机号, each its own small page
calling the same service as `POST /api/v1/me/password` and `POST /api/v1/me/mobile`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from accreg.accounts.limits import limit_by_ip
from accreg.accounts.middleware import start_person_session
from accreg.accounts.services.self_service import change_mobile, change_password, refuse_own_mobile
from accreg.audit.services import client_ip
from accreg.errors import DomainError

from .account_views import _error_context, _kept, _page, _profile, _send_code, _values


def _signed_in(request: HttpRequest, province: str, page: str) -> HttpResponse | None:
    person = request.person  # type: ignore[attr-defined]
    if not person:
        return HttpResponseRedirect(f"/{province}/login/")
    if person.province != province:
        return HttpResponseRedirect(f"/{person.province}/me/{page}/")
    return None


def password(request: HttpRequest, province: str) -> HttpResponse:
    """修改密码: this browser stays signed in (its session takes the new password's fingerprint);
    every other session and every token ends."""
    profile = _profile(province)
    if away := _signed_in(request, profile.code, "password"):
        return away
    person = request.person  # type: ignore[attr-defined]
    if request.method != "POST":
        return _page(request, "change_password.html", profile, values={})
    values = _values(request, "old_password", "new_password")
    values["old_password"] = request.POST.get("old_password", "")  # a password is taken as typed
    values["new_password"] = request.POST.get("new_password", "")
    try:
        limit_by_ip(request, "passwords")
        changed = change_password(
            person, old_password=values["old_password"], new_password=values["new_password"], ip=client_ip(request)
        )
    except DomainError as exc:
        return _page(
            request, "change_password.html", profile, values=_kept(values), status=exc.status, **_error_context(exc)
        )
    start_person_session(request, changed)
    return HttpResponseRedirect(f"/{profile.code}/me/?changed=password")


def mobile(request: HttpRequest, province: str) -> HttpResponse:
    """更换手机号: a `bind` code to the new number; the old number is told."""
    profile = _profile(province)
    if away := _signed_in(request, profile.code, "mobile"):
        return away
    person = request.person  # type: ignore[attr-defined]
    if request.method != "POST":
        return _page(request, "change_mobile.html", profile, values={}, person=person)
    values = _values(request, "mobile", "sms_code")
    try:
        if request.POST.get("action") == "send_code":
            refuse_own_mobile(person, values["mobile"])
            notice = _send_code(request, values["mobile"], "bind", profile)
            return _page(request, "change_mobile.html", profile, values=values, person=person, notice=notice)
        limit_by_ip(request, "mobiles")
        changed = change_mobile(person, mobile=values["mobile"], sms_code=values["sms_code"], ip=client_ip(request))
    except DomainError as exc:
        return _page(
            request,
            "change_mobile.html",
            profile,
            values=_kept(values),
            person=person,
            status=exc.status,
            **_error_context(exc),
        )
    start_person_session(request, changed)  # this browser stays signed in; the others follow the old number out
    return HttpResponseRedirect(f"/{profile.code}/me/?changed=mobile")
