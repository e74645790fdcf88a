"""The claimant's pages (证件号占用申诉, issue 15 item 4), mobile first: filing the claim, reached
from the registration page with what was typed there, and 申诉进度查询, where the claim is looked
up by its reference and mobile and, once approved, the password is set."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from accreg.accounts.limits import limit_by_ip
from accreg.accounts.middleware import start_person_session
from accreg.accounts.sensitive import seal, unseal
from accreg.audit.services import client_ip
from accreg.claims.filing import (
    MAX_STATEMENT,
    ClaimForm,
    file_claim,
    find_claim,
    refuse_unclaimable,
    set_claimant_password,
)
from accreg.codelists.registry import code_list
from accreg.errors import DomainError, PayloadTooLargeError
from accreg.uploads.imaging import MAX_UPLOAD_BYTES

from .account_views import _error_context, _kept, _page, _profile, _send_code, _values

CLAIM_FILED = "claim_filed"  # the reference and mobile of the claim just filed, for the status page
FILED_SECONDS = 30 * 60
FIELDS = ("name", "id_type", "id_number", "mobile", "sms_code", "statement")
PHOTOS = ("id_card_photo", "holding_photo")


def _photo(request: HttpRequest, field: str) -> bytes | None:
    upload = request.FILES.get(field)
    if upload is None:
        return None
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        msg = f"照片超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请上传较小的照片"
        raise PayloadTooLargeError("file_too_large", msg, fields={field: [msg]})
    return upload.read()


def claim(request: HttpRequest, province: str) -> HttpResponse:
    """申请找回账户. The registration page posts its form here (action "prefill") so the name and
    ID number the person typed are kept."""
    profile = _profile(province)
    page = {"id_types": code_list("id_types").items, "max_statement": MAX_STATEMENT}
    if request.method != "POST":
        return _page(request, "claim.html", profile, values={"id_type": "111"}, **page)
    values = _values(request, *FIELDS)
    action = request.POST.get("action")
    if action == "prefill":
        kept = {key: values[key] for key in ("name", "id_type", "id_number", "mobile")}
        return _page(request, "claim.html", profile, values={**kept, "id_type": kept["id_type"] or "111"}, **page)
    had_photos = any(request.FILES.get(field) for field in PHOTOS)
    try:
        if action == "send_code":
            refuse_unclaimable(values["id_type"], values["id_number"], values["mobile"])
            notice = _send_code(request, values["mobile"], "bind", profile)
            return _page(
                request, "claim.html", profile, values=_kept(values), notice=notice, photos_lost=had_photos, **page
            )
        limit_by_ip(request, "id-claims")
        filed = file_claim(
            ClaimForm(province=profile.code, **values),
            id_card_photo=_photo(request, "id_card_photo"),
            holding_photo=_photo(request, "holding_photo"),
            ip=client_ip(request),
        )
    except DomainError as exc:
        context = _error_context(exc)
        return _page(
            request,
            "claim.html",
            profile,
            values=_kept(values),
            status=exc.status,
            photos_lost=had_photos,
            **context,
            **page,
        )
    request.session[CLAIM_FILED] = seal({"reference": filed.reference, "mobile": values["mobile"]})
    return HttpResponseRedirect(f"/{profile.code}/id-claim/status/?filed=1")


def claim_status(request: HttpRequest, province: str) -> HttpResponse:
    """申诉进度查询: reference + mobile; an approved claim whose password is not yet set offers it."""
    profile = _profile(province)
    if request.method != "POST":
        filed = unseal(request.session.pop(CLAIM_FILED, None), max_age=FILED_SECONDS)
        found = find_claim(filed["reference"], filed["mobile"]) if filed else None
        return _page(
            request,
            "claim_status.html",
            profile,
            values=filed,
            claim=found,
            filed=bool(found and request.GET.get("filed")),
        )
    values = _values(request, "reference", "mobile", "sms_code", "new_password")
    action = request.POST.get("action") or ("set_password" if "new_password" in request.POST else "lookup")
    found = None
    try:
        limit_by_ip(request, "id-claims")
        found = find_claim(values["reference"], values["mobile"])
        if action == "send_code":
            notice = _send_code(request, values["mobile"], "reset", profile)
            return _page(request, "claim_status.html", profile, values=_kept(values), claim=found, notice=notice)
        if action == "set_password":
            limit_by_ip(request, "password-resets")
            person = set_claimant_password(
                values["reference"],
                mobile=values["mobile"],
                sms_code=values["sms_code"],
                new_password=values["new_password"],
                ip=client_ip(request),
            )
            start_person_session(request, person)
            return HttpResponseRedirect(f"/{person.province}/me/?welcome=1")
    except DomainError as exc:
        return _page(
            request,
            "claim_status.html",
            profile,
            values=_kept(values),
            claim=found,
            status=exc.status,
            **_error_context(exc),
        )
    return _page(request, "claim_status.html", profile, values=_kept(values), claim=found)
