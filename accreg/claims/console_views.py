"""The console's 证件号占用申诉 pages (1440 px): the list and the detail, the claim beside the
account it names, with approve or refuse. Every read goes through accreg.claims.selectors, so the
pages see exactly what the API sees (outside the jurisdiction: 404)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from accreg.accounts.models import Staff
from accreg.audit.services import client_ip
from accreg.errors import DomainError, NotFoundError
from accreg.review.views import staff_page

from .decisions import ClaimDecision, decide_claim
from .models import ClaimStatus
from .selectors import RECORD_LABELS, account_facts, claim_for, claim_photo, reviewable_claims

TABS = (("pending", "待处理"), ("approved", "已通过"), ("refused", "未通过"))


@staff_page
def claim_list(request: HttpRequest, staff: Staff) -> HttpResponse:
    status = request.GET.get("status", "pending")
    status = status if status in dict(TABS) else "pending"
    tabs = [(key, label, reviewable_claims(staff, status=key).count()) for key, label in TABS]
    claims = list(reviewable_claims(staff, status=status)[:200])
    decided = request.GET.get("decided", "")
    note = ""
    if decided.isdigit():
        try:
            done = claim_for(staff, int(decided))
        except NotFoundError:
            done = None
        if done is not None and done.status != ClaimStatus.PENDING:
            verb = "已通过，账户已交由申请人" if done.status == ClaimStatus.APPROVED else "未通过"
            note = f"申诉 {done.reference}（{done.name}）{verb}，已短信通知。"
    context = {"staff": staff, "claims": claims, "tabs": tabs, "current": status, "note": note}
    return render(request, "claims/list.html", context)


@staff_page
def claim_detail_page(request: HttpRequest, staff: Staff, claim_id: int) -> HttpResponse:
    context: dict[str, Any] = {"staff": staff}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        version = request.POST.get("version", "")
        try:
            decide_claim(
                staff,
                claim_id,
                ClaimDecision(
                    decision="approve" if action == "approve" else "refuse",
                    version=int(version) if version.isdigit() else -1,
                    reason=request.POST.get("reason", ""),
                ),
                ip=client_ip(request),
            )
            return HttpResponseRedirect(f"/review/id-claims/?decided={claim_id}")
        except NotFoundError:
            raise Http404("没有这条申诉，或不在您的管辖范围内") from None
        except DomainError as exc:
            context.update(error=exc.message, field_errors=exc.fields, posted=request.POST)
            status = exc.status
    try:
        claim = claim_for(staff, claim_id)
    except NotFoundError:
        raise Http404("没有这条申诉，或不在您的管辖范围内") from None
    account = account_facts(claim)
    for key in ("registered_at", "last_sign_in_at"):
        account[key] = _local(account.get(key))
    context.update(
        claim=claim,
        account=account,
        record_label=RECORD_LABELS.get(account.get("record_status", ""), ""),
        names_differ=claim.name != account.get("name"),
    )
    return render(request, "claims/detail.html", context, status=status)


def _local(iso: object) -> str:
    if not isinstance(iso, str) or not iso:
        return ""
    return timezone.localtime(datetime.datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M")


@staff_page
def photo(request: HttpRequest, staff: Staff, claim_id: int, kind: str) -> FileResponse:
    try:
        return claim_photo(staff, claim_id, kind)
    except NotFoundError:
        raise Http404("没有这张照片") from None
