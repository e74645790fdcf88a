"""The reviewer API (API.md "Reviewer endpoints"): everything goes through accreg.review, whose
every query is limited to the reviewer's department subtree; outside it a submission is 404."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import FileResponse, HttpRequest
from ninja import Router, Schema, Status

from accreg.accounts.models import Staff
from accreg.audit.services import client_ip
from accreg.errors import NotFoundError
from accreg.review.decisions import Decision, decide, decision_out
from accreg.review.detail import reveal_id_number, snapshot_file, submission_detail
from accreg.review.exports import (
    download_name,
    expired_message,
    export_of,
    export_out,
    record_download,
    start_export,
)
from accreg.review.queue import PAGE_SIZE, QueueFilters, queue_page
from accreg.review.statistics import statistics

from .auth import StaffToken
from .schemas import IMAGE_200, ObjectIn, errors, file_response

router = Router(tags=["审核"], auth=StaffToken)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff(request: HttpRequest) -> Staff:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.get(
    "/review/submissions", response={200: dict, **errors(400, 401, 404)}, summary="待审核列表（仅本部门及下级）"
)
def list_submissions(
    request: HttpRequest,
    status: Literal["pending", "approved", "returned", ""] | None = None,
    q: str = "",
    department: str = "",
    after: str = "",
    submitted_from: datetime.date | None = None,
    submitted_to: datetime.date | None = None,
    qualification_level: str = "",
    employment: str = "",
    kind: Literal["collection", "change", "transfer", ""] = "",
    outgoing: bool = False,
    limit: int = PAGE_SIZE,
) -> dict[str, Any]:
    filters = QueueFilters(
        # Like the console: without a status, a search looks in every status and a listing is 待审核.
        status=("" if q.strip() else "pending") if status is None else status,
        q=q,
        department=department,
        after=after,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        qualification_level=qualification_level,
        employment=employment,
        kind=kind,
        outgoing=outgoing,
        limit=limit,
    )
    return queue_page(_staff(request), filters)


@router.get(
    "/review/submissions/{submission_id}",
    response={200: dict, **errors(400, 401, 404)},
    summary="报送详情（提交时的信息与材料）",
)
def get_submission(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    return submission_detail(_staff(request), submission_id)


class FieldToFix(Schema):
    field: str
    reason: str = ""


class DecisionIn(ObjectIn):
    decision: Literal["approve", "return"]
    version: int
    reason: str = ""
    reason_codes: list[str] = []
    fields: list[FieldToFix] = []


@router.post(
    "/review/submissions/{submission_id}/decision",
    response={200: dict, **errors(400, 401, 403, 404, 409)},
    summary="审核：通过或退回",
)
def post_decision(request: HttpRequest, submission_id: int, payload: DecisionIn) -> dict[str, Any]:
    decision = Decision(
        decision=payload.decision,
        version=payload.version,
        reason=payload.reason,
        reason_codes=tuple(payload.reason_codes),
        fields=tuple(f.dict() for f in payload.fields),
    )
    return decision_out(decide(_staff(request), submission_id, decision, ip=client_ip(request)))


@router.post(
    "/review/submissions/{submission_id}/id-number",
    response={200: dict[str, str], **errors(400, 401, 404)},
    summary="查看完整证件号码（留痕）",
)
def post_reveal(request: HttpRequest, submission_id: int) -> dict[str, str]:
    return {"id_number": reveal_id_number(_staff(request), submission_id, ip=client_ip(request))}


@router.get(
    "/review/submissions/{submission_id}/materials/{kind}",
    response=errors(400, 401, 404),
    summary="报送时的材料图片",
    openapi_extra=IMAGE_200,
)
def get_material(request: HttpRequest, submission_id: int, kind: str, item: int = 0) -> FileResponse:
    return snapshot_file(_staff(request), submission_id, kind, item)


@router.get("/review/statistics", response={200: dict, **errors(400, 401, 404)}, summary="本部门及下级的统计")
def get_statistics(request: HttpRequest, department: str = "") -> dict[str, Any]:
    return statistics(_staff(request), department)


class ExportIn(ObjectIn):
    department: str = ""
    status: str = ""
    roster: bool = False  # 正式名册: full ID numbers and every section, administrators only
    reason: str = ""  # required with roster; audited and printed on the file


@router.post(
    "/review/exports", response={202: dict, **errors(400, 401, 403, 404, 429)}, summary="导出Excel（后台生成）"
)
def post_export(request: HttpRequest, payload: ExportIn) -> Status:
    export = start_export(
        _staff(request),
        department=payload.department,
        status=payload.status,
        roster=payload.roster,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return Status(202, {"id": export.pk, "state": export.state})


@router.get("/review/exports/{export_id}", response={200: dict, **errors(400, 401, 404)}, summary="导出进度与下载地址")
def get_export(request: HttpRequest, export_id: int) -> dict[str, Any]:
    return export_out(export_of(_staff(request), export_id))


@router.get(
    "/review/exports/{export_id}/file",
    response=errors(400, 401, 404),
    summary="下载导出的Excel",
    openapi_extra=file_response("Excel 文件", XLSX),
)
def get_export_file(request: HttpRequest, export_id: int) -> FileResponse:
    export = export_of(_staff(request), export_id)
    if export.file_deleted_at:
        raise NotFoundError("export_expired", expired_message())
    if export.state != "done" or not export.file:
        raise NotFoundError("not_ready", "导出尚未完成")
    record_download(export, ip=client_ip(request))
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=download_name(export),
        content_type=XLSX,
    )
