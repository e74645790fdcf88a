"""The accountant's record over the API (API.md): read it whole, save one section at a time."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from accreg.accounts.models import Person
from accreg.collection.amendments import open_change, request_transfer, withdraw_change
from accreg.collection.selectors import record_of, record_view, step_states
from accreg.collection.self_check import self_check
from accreg.collection.services import save_section
from accreg.collection.submission import accept_notice, open_notice, record_status, submit_record
from accreg.documents.pdf import private_pdf_response
from accreg.documents.work_proof import work_proof_pdf
from accreg.errors import DomainError, NotFoundError
from accreg.provinces.loader import all_profiles

from .auth import PersonToken
from .schemas import PDF_200, ObjectIn, errors

router = Router(tags=["信息采集"], auth=PersonToken)


@router.get(
    "/me/record", response={200: dict, **errors(401)}, summary="我的信息档案：各信息项、状态、各步骤完成情况、适用规则"
)
def get_record(request: HttpRequest) -> dict[str, Any]:
    return record_view(request.auth)  # type: ignore[attr-defined]


@router.put(
    "/me/record/sections/{section}",
    response={200: dict, **errors(400, 401, 404, 409)},
    summary="保存一个信息项（草稿）",
    description="Body: the section's fields (FIELDS.md) as a JSON object; list sections take a JSON array "
    'or {"items": [...]}. 400 names every bad field; required fields still empty come back in `missing`.',
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {}}}, "required": True}},
)
def put_section(request: HttpRequest, section: str) -> dict[str, Any]:
    person: Person = request.auth  # type: ignore[attr-defined]
    try:
        raw = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DomainError("invalid", "请求内容不是有效的 JSON", fields={"body": ["请求内容不是有效的 JSON"]}) from exc
    record, result = save_section(person, section, raw)
    return {
        "section": section,
        "data": result.data,
        "missing": result.missing,
        "version": record.version,
        # The section just saved was checked by the save: its result stands (the name moves to the
        # account when the personal section is saved, so that one is checked again as stored).
        "steps": step_states(person, record, checked={} if section == "personal" else {section: result}),
    }


def _notice_out(person: Person) -> dict[str, Any]:
    profile = all_profiles()[person.province]
    record = open_notice(person)
    shown = record.notice_shown_at
    assert shown is not None  # open_notice sets it
    ready = shown + datetime.timedelta(seconds=profile.notice.min_read_seconds)
    return {
        "title": profile.notice.title,
        "text": profile.notice.text,
        "conditions": list(profile.notice.conditions),
        "min_read_seconds": profile.notice.min_read_seconds,
        "shown_at": shown.isoformat(),
        "can_accept_at": ready.isoformat(),
        "accepted": record.notice_accepted_at is not None,
    }


@router.get("/me/record/notice", response={200: dict, **errors(401)}, summary="信息采集须知（首次打开时开始计时）")
def get_notice(request: HttpRequest) -> dict[str, Any]:
    return _notice_out(request.auth)  # type: ignore[attr-defined]


class NoticeIn(ObjectIn):
    accept: bool


@router.post(
    "/me/record/notice",
    response={200: dict, **errors(400, 401, 409)},
    summary="我已阅读并同意（须满足本省规定的阅读时间）",
)
def post_notice(request: HttpRequest, payload: NoticeIn) -> dict[str, Any]:
    if not payload.accept:
        msg = "请勾选“我已阅读并同意”"
        raise DomainError("invalid", msg, fields={"accept": [msg]})
    accept_notice(request.auth)  # type: ignore[attr-defined]
    return _notice_out(request.auth)  # type: ignore[attr-defined]


class SubmitIn(ObjectIn):
    accept_commitment: bool = False


@router.post("/me/record/submission", response={200: dict, 201: dict, **errors(400, 401, 409)}, summary="提交审核")
def post_submission(request: HttpRequest, payload: SubmitIn) -> Status:
    person: Person = request.auth  # type: ignore[attr-defined]
    submission, created = submit_record(person, accept_commitment=payload.accept_commitment)
    body = {
        "id": submission.pk,
        "status": submission.status,
        "due_by": submission.due_by.isoformat(),
        "kind": submission.kind,
        "department": {"code": submission.department.code, "name": submission.department.name},
        "message": all_profiles()[person.province].texts.submitted,
    }
    return Status(201 if created else 200, body)


@router.get("/me/record/status", response={200: dict, **errors(401)}, summary="审核状态")
def get_status(request: HttpRequest) -> dict[str, Any]:
    return record_status(request.auth)  # type: ignore[attr-defined]


@router.get(
    "/me/record/self-check",
    response={200: dict, **errors(401)},
    summary="提交前自查：可能被退回的内容",
    description="The usual return reasons (code list `return_reasons`) a machine can check on the saved record "
    'and the readings of its pictures: {"items": [{"reason", "label", "message", "step", "field"}]}. '
    "Informs only; submitting is not refused for these.",
)
def get_self_check(request: HttpRequest) -> dict[str, Any]:
    person: Person = request.auth  # type: ignore[attr-defined]
    return {"items": self_check(person, record_of(person), profile=all_profiles()[person.province])}


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        raw = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DomainError("invalid", "请求内容不是有效的 JSON", fields={"body": ["请求内容不是有效的 JSON"]}) from exc
    if not isinstance(raw, dict):
        raise DomainError("invalid", "请求内容应为 JSON 对象", fields={"body": ["请求内容应为 JSON 对象"]})
    return raw


_OBJECT_BODY = {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}, "required": False}}


@router.post(
    "/me/record/changes",
    response={201: dict, **errors(400, 401, 409)},
    summary="申请信息变更（审核通过后）",
    description='Body (optional): {"reason"}. 409 before approval or while a change or transfer is open; '
    "400 if it names the ID number, ID type or name, which a change cannot touch.",
    openapi_extra=_OBJECT_BODY,
)
def post_change(request: HttpRequest) -> Status:
    change = open_change(request.auth, _json_body(request))  # type: ignore[attr-defined]
    return Status(201, {"id": change.pk, "kind": change.kind, "status": change.status})


@router.delete(
    "/me/record/changes/{change_id}",
    response={200: dict, **errors(400, 401, 404, 409)},
    summary="撤回信息变更（未提交或被退回时）",
)
def delete_change(request: HttpRequest, change_id: int) -> dict[str, Any]:
    change = withdraw_change(request.auth, change_id)  # type: ignore[attr-defined]
    return {"id": change.pk, "kind": change.kind, "status": change.status}


@router.post(
    "/me/record/transfers",
    response={201: dict, **errors(400, 401, 404, 409)},
    summary="申请调转到其他管理部门",
    description='Body: {"department", "reason"}. 400 for the same department or one outside this deployment; '
    "409 before approval or while a change or transfer is open.",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}, "required": True}},
)
def post_transfer(request: HttpRequest) -> Status:
    transfer = request_transfer(request.auth, _json_body(request))  # type: ignore[attr-defined]
    return Status(201, {"id": transfer.pk, "kind": transfer.kind, "status": transfer.status})


@router.get(
    "/me/record/templates/work-proof",
    response=errors(401, 404),
    summary="工作证明模板（本省格式，已填好姓名、证件号码和单位）",
    openapi_extra=PDF_200,
)
def work_proof_template(request: HttpRequest) -> HttpResponse:
    person: Person = request.auth  # type: ignore[attr-defined]
    profile = all_profiles()[person.province]
    if "work_proof" not in profile.documents:
        raise NotFoundError("no_template", f"{profile.name}没有工作证明模板")
    pdf = work_proof_pdf(profile, person, record_of(person), today=timezone.localdate())
    return private_pdf_response(pdf, "work-proof")
