"""证件号占用申诉 over the API (issue 15 item 4): filing from the registration page, looking a
claim up and setting the password without an account; the staff side under /review/, where every
read and decision goes through the jurisdiction helper for people (outside it: 404)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile

from accreg.accounts.limits import limit_by_ip
from accreg.accounts.models import Staff
from accreg.accounts.services.tokens import issue_token
from accreg.audit.services import client_ip
from accreg.claims.decisions import ClaimDecision, decide_claim
from accreg.claims.filing import ClaimForm, file_claim, find_claim, set_claimant_password
from accreg.claims.models import ClaimStatus, IdClaim
from accreg.claims.selectors import claim_detail, claim_for, claim_photo, claim_summary, reviewable_claims
from accreg.errors import PayloadTooLargeError
from accreg.uploads.imaging import MAX_UPLOAD_BYTES

from .auth import StaffToken
from .schemas import IMAGE_200, ObjectIn, errors

router = Router(tags=["证件号占用申诉"], auth=None)
staff_router = Router(tags=["证件号占用申诉（管理部门）"], auth=StaffToken)


def photo_bytes(field: str, upload: UploadedFile | None) -> bytes | None:
    if upload is None:
        return None
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        msg = f"照片超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请上传较小的照片"
        raise PayloadTooLargeError("file_too_large", msg, fields={field: [msg]})
    return upload.read()


class ClaimIn(Schema):
    province: str
    name: str
    id_type: str = "111"
    id_number: str
    mobile: str
    sms_code: str
    statement: str = ""


class ClaimFiledOut(Schema):
    reference: str
    status: str


@router.post(
    "/id-claims",
    response={201: ClaimFiledOut, **errors(400, 409, 413, 429)},
    summary="证件号被占用：提交申诉（multipart：字段及 id_card_photo、holding_photo 两张照片）",
)
def post_claim(
    request: HttpRequest,
    payload: Form[ClaimIn],
    id_card_photo: UploadedFile | None = File(None),  # type: ignore[type-arg]  # noqa: B008 (ninja's way to an optional file)
    holding_photo: UploadedFile | None = File(None),  # type: ignore[type-arg]  # noqa: B008
) -> Status:
    limit_by_ip(request, "id-claims")
    claim = file_claim(
        ClaimForm(**payload.dict()),
        id_card_photo=photo_bytes("id_card_photo", id_card_photo),
        holding_photo=photo_bytes("holding_photo", holding_photo),
        ip=client_ip(request),
    )
    return Status(201, {"reference": claim.reference, "status": claim.status})


class ClaimLookupIn(ObjectIn):
    reference: str
    mobile: str


class ClaimStatusOut(Schema):
    reference: str
    status: Literal["pending", "approved", "refused"]
    filed_at: str
    decided_at: str | None
    reason: str | None
    password_set: bool


def status_out(claim: IdClaim) -> dict[str, Any]:
    return {
        "reference": claim.reference,
        "status": claim.status,
        "filed_at": claim.filed_at.isoformat(),
        "decided_at": claim.decided_at.isoformat() if claim.decided_at else None,
        "reason": claim.reason if claim.status == ClaimStatus.REFUSED else None,
        "password_set": claim.password_set_at is not None,
    }


@router.post(
    "/id-claims/status",
    response={200: ClaimStatusOut, **errors(400, 404, 429)},
    summary="申诉进度查询（受理编号 + 申请时的手机号）",
)
def post_claim_status(request: HttpRequest, payload: ClaimLookupIn) -> dict[str, Any]:
    limit_by_ip(request, "id-claims")
    return status_out(find_claim(payload.reference, payload.mobile))


class ClaimPasswordIn(ObjectIn):
    reference: str
    mobile: str
    sms_code: str
    new_password: str


class TokenOut(Schema):
    token: str


@router.post(
    "/id-claims/password",
    response={201: TokenOut, **errors(400, 404, 409, 429)},
    summary="申诉通过后设置密码（reset 验证码发至申请时的手机号），设置后即登录",
)
def post_claim_password(request: HttpRequest, payload: ClaimPasswordIn) -> Status:
    limit_by_ip(request, "password-resets")
    person = set_claimant_password(
        payload.reference,
        mobile=payload.mobile,
        sms_code=payload.sms_code,
        new_password=payload.new_password,
        ip=client_ip(request),
    )
    return Status(201, {"token": issue_token(person=person)})


def _staff(request: HttpRequest) -> Staff:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@staff_router.get(
    "/review/id-claims",
    response={200: list[dict], **errors(400, 401)},
    summary="证件号占用申诉列表（仅管辖范围内的账户）",
)
def list_claims(
    request: HttpRequest, status: Literal["pending", "approved", "refused", ""] = "pending"
) -> list[dict[str, Any]]:
    return [claim_summary(claim) for claim in reviewable_claims(_staff(request), status=status)[:200]]


@staff_router.get(
    "/review/id-claims/{claim_id}", response={200: dict, **errors(400, 401, 404)}, summary="申诉详情与当前账户"
)
def get_claim(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    return claim_detail(claim_for(_staff(request), claim_id))


@staff_router.get(
    "/review/id-claims/{claim_id}/photos/{kind}",
    response=errors(400, 401, 404),
    summary="申诉照片（证件照片 id_card、手持证件照片 holding）",
    openapi_extra=IMAGE_200,
)
def get_claim_photo(request: HttpRequest, claim_id: int, kind: str) -> FileResponse:
    return claim_photo(_staff(request), claim_id, kind)


class ClaimDecisionIn(ObjectIn):
    decision: Literal["approve", "refuse"]
    version: int
    reason: str = ""


@staff_router.post(
    "/review/id-claims/{claim_id}/decision",
    response={200: dict, **errors(400, 401, 404, 409)},
    summary="处理申诉：通过（账户交给申请人）或不予通过（须填原因）",
)
def post_claim_decision(request: HttpRequest, claim_id: int, payload: ClaimDecisionIn) -> dict[str, Any]:
    claim = decide_claim(
        _staff(request),
        claim_id,
        ClaimDecision(decision=payload.decision, version=payload.version, reason=payload.reason),
        ip=client_ip(request),
    )
    return claim_detail(claim)
