"""The department's desk (API.md "The department's desk"): find an accountant in the staff
member's jurisdiction, end a lockout, send a reset code, correct identity fields with a second
staff member's approval for name and ID number. Outside the jurisdiction a person is 404."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode
from ninja import Router, Schema, Status

from accreg.accounts.models import Staff
from accreg.audit.services import client_ip
from accreg.desk.corrections import CorrectionRequest, decide_correction, request_correction
from accreg.desk.selectors import (
    PAGE_SIZE,
    correction_for_desk,
    correction_out,
    find_people,
    pending_corrections,
    person_detail,
)
from accreg.desk.services import send_reset_code, unlock_person

from .auth import StaffToken
from .schemas import ObjectIn, errors

router = Router(tags=["管理部门服务台"], auth=StaffToken)


def _staff(request: HttpRequest) -> Staff:
    return request.auth  # type: ignore[attr-defined,no-any-return]


class PersonRow(Schema):
    id: int
    name: str
    id_number: str
    mobile: str
    province: str
    province_name: str
    status: str
    status_label: str
    locked: bool
    last_sign_in_at: datetime.datetime | None
    department: dict[str, str] | None


@router.get(
    "/review/people",
    response={200: list[PersonRow], **errors(400, 401)},
    summary="查找会计人员（完整证件号码、手机号或姓名开头；仅本部门及下级）",
)
def get_people(
    request: HttpRequest, response: HttpResponse, q: str = "", after: str = "", limit: int = PAGE_SIZE
) -> list[dict[str, Any]]:
    """One page, by name; the next page's address is in the `Link` header (rel="next")."""
    rows, following = find_people(_staff(request), q, after=after, limit=limit)
    if following:
        response["Link"] = f'<{request.path}?{_query(q=q, after=following, limit=limit)}>; rel="next"'
    return rows


def _query(**params: object) -> str:
    return urlencode({key: str(value) for key, value in params.items()})


@router.get(
    "/review/people/{person_id}", response={200: dict, **errors(400, 401, 404)}, summary="会计人员账户详情与历史"
)
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return person_detail(_staff(request), person_id)


class ReasonIn(ObjectIn):
    reason: str = ""


@router.post(
    "/review/people/{person_id}/unlock",
    response={200: dict, **errors(400, 401, 404)},
    summary="解除登录锁定（留痕）",
)
def post_unlock(request: HttpRequest, person_id: int, payload: ReasonIn) -> dict[str, Any]:
    return unlock_person(_staff(request), person_id, reason=payload.reason, ip=client_ip(request))


@router.post(
    "/review/people/{person_id}/password-reset",
    response={202: dict, **errors(400, 401, 404, 409, 429)},
    summary="向本人发送重设密码短信（留痕）",
)
def post_password_reset(request: HttpRequest, person_id: int, payload: ReasonIn) -> Status:
    return Status(202, send_reset_code(_staff(request), person_id, reason=payload.reason, ip=client_ip(request)))


class CorrectionIn(ObjectIn):
    field: Literal["name", "id_type", "id_number", "mobile"]
    value: str
    reason: str = ""
    id_type: str = ""  # with an ID number whose type is wrong too


@router.post(
    "/review/people/{person_id}/corrections",
    response={201: dict, **errors(400, 401, 404, 409)},
    summary="更正姓名、证件类型、证件号码或手机号（姓名和证件号码须另一位工作人员审批）",
)
def post_correction(request: HttpRequest, person_id: int, payload: CorrectionIn) -> Status:
    form = CorrectionRequest(field=payload.field, value=payload.value, reason=payload.reason, id_type=payload.id_type)
    correction = request_correction(_staff(request), person_id, form, ip=client_ip(request))
    return Status(201, {**correction_out(correction, _staff(request)), "id": correction.pk, "state": correction.state})


@router.get("/review/corrections", response={200: list[dict], **errors(400, 401)}, summary="待审批的身份信息更正")
def get_corrections(request: HttpRequest) -> list[dict[str, Any]]:
    staff = _staff(request)
    return [correction_out(c, staff) for c in pending_corrections(staff)[:200]]


@router.get(
    "/review/corrections/{correction_id}", response={200: dict, **errors(400, 401, 404)}, summary="一条更正申请"
)
def get_correction(request: HttpRequest, correction_id: int) -> dict[str, Any]:
    staff = _staff(request)
    return correction_out(correction_for_desk(staff, correction_id), staff)


class CorrectionDecisionIn(ObjectIn):
    decision: Literal["approve", "refuse", "withdraw"]
    reason: str = ""


@router.post(
    "/review/corrections/{correction_id}/decision",
    response={200: dict, **errors(400, 401, 403, 404, 409)},
    summary="审批更正：批准、不批准（须说明原因），或由申请人撤回",
)
def post_correction_decision(request: HttpRequest, correction_id: int, payload: CorrectionDecisionIn) -> dict[str, Any]:
    staff = _staff(request)
    correction = decide_correction(
        staff, correction_id, decision=payload.decision, reason=payload.reason, ip=client_ip(request)
    )
    return correction_out(correction, staff)
