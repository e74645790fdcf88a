"""人员档案 (LN 11) and what follows approval: the archive as approved with its history, opening or
withdrawing a change (信息变更), and asking for a transfer (调转) to another department."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from accreg.accounts.models import Person
from accreg.collection.amendments import open_change, open_request, request_transfer, why_not_open, withdraw_change
from accreg.collection.display import section_rows
from accreg.collection.models import SUBMISSION_KINDS, Record
from accreg.collection.selectors import record_of, step_states
from accreg.errors import DomainError
from accreg.notices.selectors import directory
from accreg.provinces.fields import MATERIAL_KINDS
from accreg.provinces.loader import served_profiles
from accreg.provinces.schema import Province
from accreg.uploads.requirements import material_requirements

from .record_views import person_page


@person_page
def archive(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    """The record as last approved, its materials, every submission with its decision (when, which
    department, the reason of each return), and what the person can do next."""
    record = record_of(person)
    shown = record.archive.snapshot if record.archive else None
    summary = (
        [
            {"title": profile.sections[key].title, "groups": section_rows(key, shown["sections"].get(key), profile)}
            for key in profile.section_steps
        ]
        if shown
        else []
    )
    labels = {req.kind: req.rule.label for req in material_requirements(profile, shown["sections"])} if shown else {}
    history = list(record.submissions.select_related("handled_by", "department").order_by("-submitted_at"))
    for item in history:
        item.kind_label = SUBMISSION_KINDS.get(item.kind, item.kind)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/archive.html",
        {
            "province": profile,
            "person": person,
            "record": record,
            "approved": record.archive,
            "current": open_request(record),
            "can_open": why_not_open(record) is None,
            "withdrawn": record.requests.filter(status="withdrawn").order_by("-closed_at"),
            "summary": summary,
            "materials": [
                {**m, "label": labels.get(m["kind"], MATERIAL_KINDS.get(m["kind"], m["kind"]))}
                for m in (shown or {}).get("materials", [])
            ],
            "history": history,
            "lacking": _lacking(person, record) if record.archive else [],
        },
    )


def _lacking(person: Person, record: Record) -> list[dict[str, str]]:
    """What this province asks for and the approved record lacks: after a move from another
    province, or when the province's rules have grown since the approval."""
    return [
        {"step": step["title"], "message": message}
        for step in step_states(person, record)
        for messages in step["missing"].values()
        for message in messages
    ]


def _back_to_archive(profile: Province) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"/{profile.code}/archive/")


@require_POST
@person_page
def start_change(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    try:
        open_change(person, {"reason": request.POST.get("reason", "")})
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back_to_archive(profile)
    messages.success(request, "已开始信息变更：请修改需要变更的内容，再到最后一步提交审核。审核通过前原档案保持不变。")
    return HttpResponseRedirect(f"/{profile.code}/record/")


@require_POST
@person_page
def withdraw(request: HttpRequest, profile: Province, person: Person, request_id: int) -> HttpResponse:
    try:
        withdraw_change(person, request_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "信息变更已撤回，档案保持原样。")
    return _back_to_archive(profile)


@require_http_methods(["GET", "POST"])
@person_page
def transfer(request: HttpRequest, profile: Province, person: Person) -> HttpResponse:
    """调转: choose the province of the deployment, then the receiving department (grouped by city),
    and say why. Works without JavaScript: changing the province reloads the list."""
    record = record_of(person)
    refusal = why_not_open(record)
    if refusal is not None:
        messages.error(request, refusal.message)
        return _back_to_archive(profile)
    provinces = served_profiles()
    data: dict[str, Any] = request.POST if request.method == "POST" else request.GET
    chosen = provinces.get(str(data.get("province", ""))) or profile
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and "choose_province" not in request.POST:
        try:
            request_transfer(person, {"department": data.get("department", ""), "reason": data.get("reason", "")})
        except DomainError as exc:
            errors = exc.fields or {"department": [exc.message]}
        else:
            messages.success(request, "调转申请已提交，等待调入部门审核。审核通过前，您的档案仍由原部门管理。")
            return _back_to_archive(profile)
    return render(
        request,
        "portal/transfer.html",
        {
            "province": profile,
            "person": person,
            "record": record,
            "provinces": provinces.values(),
            "chosen": chosen,
            "groups": directory(chosen),
            "department": data.get("department", ""),
            "reason": data.get("reason", ""),
            "errors": errors,
        },
        status=400 if errors else 200,
    )
