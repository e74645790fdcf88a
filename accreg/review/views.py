"""The review console (审核工作台), for a 1440 px desktop: sign-in with the second factor, the
queue with filters and counts, and the detail with images, what changed, and the decision.

Every view calls accreg.review's services with the signed-in staff member, so the pages see
exactly what the API sees: nothing outside the reviewer's subtree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accreg.accounts.limits import limit_by_ip
from accreg.accounts.models import Staff
from accreg.accounts.services.sign_in import sign_in_staff
from accreg.audit.services import client_ip, log_event
from accreg.codelists.registry import code_list
from accreg.collection.models import Submission
from accreg.errors import DomainError, NotFoundError, RateLimitedError
from accreg.regions.jurisdiction import within_jurisdiction
from accreg.regions.models import Department

from .decisions import Decision, decide
from .detail import reveal_id_number, snapshot_file, submission_detail
from .exports import download_name, expired_message, export_of, may_export_roster, record_download, start_export
from .navigation import decided_note, neighbours, next_after_decision
from .provinces import employment_labels, employment_options
from .queue import KINDS, QueueFilters, queue_page
from .statistics import scoped_department, statistics
from .workload import Period, workload, workload_period

STATUS_TABS = (("pending", "待审核"), ("returned", "已退回"), ("approved", "已通过"))


def staff_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated or not isinstance(user, Staff) or not user.is_active:
            return HttpResponseRedirect(f"/review/login/?next={request.path}")
        return view(request, user, *args, **kwargs)

    return wrapper


def sign_in(request: HttpRequest) -> HttpResponse:
    values = {"username": request.POST.get("username", "").strip()}
    error = ""
    if request.method == "POST":
        try:
            limit_by_ip(request, "sessions")
            staff = sign_in_staff(
                values["username"],
                request.POST.get("password", ""),
                request.POST.get("otp") or None,
                ip=client_ip(request),
            )
        except DomainError as exc:
            error = exc.message
        else:
            login(request, staff, backend="django.contrib.auth.backends.ModelBackend")
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
            return HttpResponseRedirect(target if safe and target.startswith("/review/") else "/review/")
    return render(request, "review/login.html", {"values": values, "error": error}, status=400 if error else 200)


def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.user.is_authenticated:
        log_event(f"staff:{request.user.pk}", "signed_out", ip=client_ip(request))
        logout(request)
    return HttpResponseRedirect("/review/login/")


def _date(raw: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _departments(staff: Staff) -> list[Department]:
    return list(within_jurisdiction(Department.objects.order_by("path"), staff, via="")[:400])


def _queue_status(asked: str | None, *, searching: bool) -> str:
    """The tab: the one asked for ("all" for every status); without one, every status while
    searching (a name is looked for wherever its item stands) and 待审核 otherwise."""
    if asked == "all" or (asked is None and searching):
        return ""
    return asked if asked in dict(STATUS_TABS) else "pending"


QUEUE_KEYS = ("status", "q", "department", "from", "to", "level", "employment", "kind", "outgoing", "escalated")


def _queue_filters(get: QueryDict) -> QueueFilters:
    """The queue's tab and filters as the address carries them (the queue, and each item opened from it)."""
    return QueueFilters(
        status=_queue_status(get.get("status"), searching=bool(get.get("q", "").strip())),
        q=get.get("q", "").strip(),
        department=get.get("department", ""),
        after=get.get("after", ""),
        submitted_from=_date(get.get("from", "")),
        submitted_to=_date(get.get("to", "")),
        qualification_level=get.get("level", ""),
        employment=get.get("employment", ""),
        kind=get.get("kind", "") if get.get("kind", "") in KINDS else "",
        outgoing=get.get("outgoing") == "1",
        escalated=get.get("escalated") == "1",
    )


def _queue_query(get: QueryDict) -> str:
    """The tab and filters only (no page cursor, no note), for links that keep the reviewer's queue."""
    return urlencode([(key, str(get.get(key))) for key in QUEUE_KEYS if get.get(key)])


@staff_page
def queue(request: HttpRequest, staff: Staff) -> HttpResponse:
    get = request.GET
    filters = _queue_filters(get)
    error = ""
    try:
        page = queue_page(staff, filters)
    except DomainError as exc:
        error, page = exc.message, {"items": [], "next": None, "counts": {}}
    query = _queue_query(get)
    narrowing = urlencode([(key, str(get.get(key))) for key in QUEUE_KEYS if key != "status" and get.get(key)])
    counts = page["counts"]
    tabs = [("all", "全部", sum(counts.values()))] + [(key, label, counts.get(key, 0)) for key, label in STATUS_TABS]
    return render(
        request,
        "review/queue.html",
        {
            "staff": staff,
            "page": page,
            "filters": filters,
            "values": get,
            "error": error,
            "tabs": tabs,
            "current_tab": filters.status or "all",
            "narrowing": narrowing,
            "decided_note": decided_note(staff, int(get["decided"])) if get.get("decided", "").isdigit() else "",
            "departments": _departments(staff),
            "levels": code_list("qualification_levels").items,
            "employment": employment_options(staff),
            "kinds": KINDS.items(),
            "base_query": query,
        },
        status=400 if error else 200,
    )


@staff_page
def detail(request: HttpRequest, staff: Staff, submission_id: int) -> HttpResponse:
    context: dict[str, Any] = {"staff": staff}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "reveal":
                context["id_number"] = reveal_id_number(staff, submission_id, ip=client_ip(request))
            elif action in ("approve", "return"):
                decided = decide(staff, submission_id, _posted_decision(request, action), ip=client_ip(request))
                return HttpResponseRedirect(_after_decision(request, staff, decided))
        except NotFoundError:
            raise Http404("没有这条报送，或不在您的管辖范围内") from None
        except DomainError as exc:
            context.update(error=exc.message, field_errors=exc.fields, posted=request.POST)
            status = exc.status
    try:
        context["s"] = submission_detail(staff, submission_id)
    except NotFoundError:
        raise Http404("没有这条报送，或不在您的管辖范围内") from None
    context["reasons"] = code_list("return_reasons").items
    just = request.GET.get("decided", "")
    context["decided_note"] = decided_note(staff, int(just)) if just.isdigit() else ""
    context["queue_query"] = _queue_query(request.GET)
    context["around"] = neighbours(staff, _queue_filters(request.GET), submission_id)
    return render(request, "review/detail.html", context, status=status)


def _after_decision(request: HttpRequest, staff: Staff, decided: Submission) -> str:
    """The next item of the queue the reviewer works (same tab and filters), or the queue itself
    when nothing is left; either page says what was just decided."""
    query = _queue_query(request.GET)
    note = f"decided={decided.pk}"
    following = next_after_decision(staff, _queue_filters(request.GET), decided)
    if following is None:
        return f"/review/?{query}&{note}" if query else f"/review/?{note}"
    return f"/review/submissions/{following}/?{query}&{note}" if query else f"/review/submissions/{following}/?{note}"


def _posted_decision(request: HttpRequest, action: str) -> Decision:
    post = request.POST
    fields = []
    for key in post.getlist("flag"):
        fields.append({"field": key, "reason": post.get(f"flag_reason:{key}", "").strip()})
    version = post.get("version", "")
    return Decision(
        decision="approve" if action == "approve" else "return",
        version=int(version) if version.isdigit() else -1,
        reason=post.get("reason", ""),
        reason_codes=tuple(post.getlist("reason_codes")),
        fields=tuple(fields),
    )


@staff_page
def material(request: HttpRequest, staff: Staff, submission_id: int, kind: str, item: int) -> FileResponse:
    try:
        return snapshot_file(staff, submission_id, kind, item)
    except NotFoundError:
        raise Http404("没有这项材料") from None


STAT_LISTS = {
    "by_status": ("按状态", None),
    "by_qualification_level": ("按专业技术资格级别", "qualification_levels"),
    "by_education_level": ("按全日制最高学历", "education_levels"),
    "by_employment": ("按在岗状态", "employment"),
    "by_age_band": ("按年龄段", None),
}
STATUS_LABELS = {"draft": "未提交", "pending": "待审核", "approved": "审核通过", "returned": "审核退回"}


def _labelled(staff: Staff, key: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    """Each count with the label a person reads (the reviewer's province's own), blanks as 未填写."""
    list_name = STAT_LISTS[key][1]
    if list_name == "employment":
        labels = employment_labels(staff)
    elif list_name:
        labels = {item.code: item.label for item in code_list(list_name).items}
    else:
        labels = STATUS_LABELS
    return [(labels.get(code, code) or "未填写", n) for code, n in counts.items()]


@staff_page
def statistics_page(request: HttpRequest, staff: Staff) -> HttpResponse:
    get = request.GET
    code = get.get("department", "")
    basis = "decided" if get.get("basis") == "decided" else "submitted"
    period = Period(basis=basis, start=_date(get.get("from", "")), end=_date(get.get("to", "")))
    try:
        stats = statistics(staff, code, period=period)
        department = scoped_department(staff, code)
    except NotFoundError:
        raise Http404("没有这个部门，或不在您的管辖范围内") from None
    loads = workload(staff, department, period)
    load_from, load_to = workload_period(period, timezone.localdate())
    charts = [
        {"key": key, "title": title, "rows": _labelled(staff, key, stats[key])}
        for key, (title, _list) in STAT_LISTS.items()
    ]
    return render(
        request,
        "review/statistics.html",
        {
            "staff": staff,
            "stats": stats,
            "charts": charts,
            "chart_data": {c["key"]: {"title": c["title"], "rows": c["rows"]} for c in charts},
            "departments": _departments(staff),
            "selected": code,
            "period": period,
            "loads": loads,
            "load_period": (load_from, load_to),
            "may_export_roster": may_export_roster(staff),
        },
    )


@staff_page
def export_page(request: HttpRequest, staff: Staff, export_id: int | None = None) -> HttpResponseBase:
    """POST starts an export of the chosen department; the page then shows its progress."""
    if request.method == "POST":
        asked = {
            "department": request.POST.get("department", ""),
            "status": request.POST.get("status", ""),
            "reason": request.POST.get("reason", ""),
        }
        try:
            export = start_export(
                staff,
                department=asked["department"],
                status=asked["status"],
                roster=request.POST.get("roster") == "1",
                reason=asked["reason"],
                ip=client_ip(request),
            )
        except NotFoundError:
            raise Http404("没有这个部门，或不在您的管辖范围内") from None
        except RateLimitedError as exc:
            response = render(request, "review/export.html", {"staff": staff, "refused": exc.message}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except DomainError as exc:
            # A roster without a reason, or asked for by a reviewer: the form again, with what was typed.
            context = {"staff": staff, "asking_roster": True, "asked": asked, "error": exc.message, **_retention()}
            return render(request, "review/export.html", context, status=exc.status)
        return HttpResponseRedirect(f"/review/exports/{export.pk}/")
    if export_id is None:
        if not may_export_roster(staff):
            raise Http404("只有管理员可以导出正式名册")
        asked = {"department": request.GET.get("department", ""), "status": request.GET.get("status", "")}
        context = {"staff": staff, "asking_roster": True, "asked": asked, **_retention()}
        return render(request, "review/export.html", context)
    try:
        export = export_of(staff, export_id or 0)
    except NotFoundError:
        raise Http404("没有这个导出任务") from None
    return render(request, "review/export.html", {"staff": staff, "export": export, **_retention()})


def _retention() -> dict[str, int]:
    return {"retention_days": settings.EXPORT_RETENTION_DAYS}


@staff_page
def export_file(request: HttpRequest, staff: Staff, export_id: int) -> FileResponse:
    try:
        export = export_of(staff, export_id)
    except NotFoundError:
        raise Http404("没有这个导出任务") from None
    if export.file_deleted_at:
        raise Http404(expired_message())
    if export.state != "done" or not export.file:
        raise Http404("导出尚未完成")
    record_download(export, ip=client_ip(request))
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=download_name(export))
