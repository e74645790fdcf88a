"""The decision (审核): approve, or return with reasons and the exact fields to fix. One
transaction holds the decision, the record's status, the audit record and the queued SMS; a
decision made on a version someone else already decided is refused (409) naming who did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from accreg.accounts.models import Staff
from accreg.accounts.people import mobile_of
from accreg.audit.services import log_event
from accreg.codelists.registry import code_list
from accreg.collection import counters
from accreg.collection.amendments import approve_transfer
from accreg.collection.models import RecordStatus, RequestKind, RequestStatus, Submission, SubmissionStatus
from accreg.collection.submission import counted_as
from accreg.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from accreg.notifications.tasks import queue_sms
from accreg.provinces.fields import MATERIAL_KINDS, SECTION_FIELDS
from accreg.provinces.loader import all_profiles
from accreg.provinces.schema import Province

from .queue import outgoing_transfers, reviewable

MAX_REASON = 500


@dataclass(frozen=True)
class Decision:
    decision: Literal["approve", "return"]
    version: int
    reason: str = ""
    reason_codes: tuple[str, ...] = ()
    fields: tuple[dict[str, str], ...] = field(default_factory=tuple)


def _known_field(key: str, profile: Province) -> bool:
    """ "work.unit_name", "education.full_time.level", "qualifications.0.level" or "material:photo",
    among the sections and materials the person's province collects (provinces/*.toml): a return
    cannot ask a Henan accountant for a work proof Henan never asked for."""
    if key.startswith("material:"):
        kind = key.removeprefix("material:")
        return kind in MATERIAL_KINDS and kind in profile.materials
    section, _, rest = key.partition(".")
    if section not in SECTION_FIELDS or section not in profile.sections:
        return False
    parts = rest.split(".")
    if len(parts) == 2 and parts[0].isdigit():
        rest = parts[1]
    return rest in SECTION_FIELDS[section]


def _return_reason(decision: Decision, profile: Province) -> tuple[str, list[dict[str, str]]]:
    errors: dict[str, list[str]] = {}
    reasons = code_list("return_reasons")
    labels = []
    for code in decision.reason_codes:
        label = reasons.label(code)
        if label is None:
            errors.setdefault("reason_codes", []).append(f"没有这个常用退回原因：{code}")
        else:
            labels.append(label)
    text = decision.reason.strip()
    if len(text) > MAX_REASON:
        errors.setdefault("reason", []).append(f"退回原因不能超过{MAX_REASON}字")
    fields = []
    for index, item in enumerate(decision.fields):
        key, why = str(item.get("field", "")).strip(), str(item.get("reason", "")).strip()
        if not _known_field(key, profile):
            errors.setdefault(f"fields.{index}.field", []).append("没有这一项，请从信息项或材料中选择")
        if not why:
            errors.setdefault(f"fields.{index}.reason", []).append("请写明这一项需要怎样修改")
        fields.append({"field": key, "reason": why[:MAX_REASON]})
    if not labels and not text:
        errors.setdefault("reason", []).append("退回时请选择常用原因或填写退回原因")
    if errors:
        raise DomainError("invalid", "请检查退回原因", fields=errors)
    return "；".join([*labels, *([text] if text else [])]), fields


@transaction.atomic
def decide(staff: Staff, submission_id: int, decision: Decision, *, ip: str | None) -> Submission:
    """Approve or return a pending submission, as of the version the reviewer saw."""
    if decision.decision not in ("approve", "return"):
        msg = "请选择审核通过或退回"
        raise DomainError("invalid", msg, fields={"decision": [msg]})
    submission = (
        reviewable(staff)
        .select_for_update(of=("self",))
        .select_related("record__person", "request__to_department")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        if outgoing_transfers(staff).filter(pk=submission_id).exists():
            raise ForbiddenError("read_only", "调转由调入部门审核，调出部门只能查看")
        raise NotFoundError("not_found", "没有这条报送，或不在您的管辖范围内")
    if submission.version != decision.version or submission.status != SubmissionStatus.PENDING:
        raise ConflictError("stale_version", _already_decided(submission))
    profile = all_profiles()[submission.record.person.province]
    reason, fields = ("", []) if decision.decision == "approve" else _return_reason(decision, profile)
    approved = decision.decision == "approve"
    changes = {
        "status": SubmissionStatus.APPROVED if approved else SubmissionStatus.RETURNED,
        "reason": reason,
        "fields": fields,
        "decided_at": timezone.now(),
        "decided_by": staff,
        "version": decision.version + 1,
    }
    # Conditional on the version seen: on a database without row locks (SQLite) the second of two
    # simultaneous decisions still finds no row to change.
    won = Submission.objects.filter(pk=submission.pk, version=decision.version, status=SubmissionStatus.PENDING)
    if won.update(**changes) == 0:
        submission.refresh_from_db()
        raise ConflictError("stale_version", _already_decided(submission))
    for name, value in changes.items():
        setattr(submission, name, value)
    counters.moved(submission.department_id, SubmissionStatus.PENDING, submission.status)
    _apply(submission, approved)
    log_event(
        f"staff:{staff.pk}",
        "review.approved" if approved else "review.returned",
        target=f"submission:{submission.pk}",
        ip=ip,
        department=submission.department_id,
        reason=reason,
        fields=[f["field"] for f in fields],
    )
    _notify(submission, approved, reason)
    return submission


def _apply(submission: Submission, approved: bool) -> None:
    """What the decision does to the record, by kind. Approved: the submission becomes the archive
    (a transfer also moves the record). Returned: a collection or a change goes back to the person
    to edit; a returned transfer ends, and the archive stays where it was."""
    record = submission.record
    request = submission.request
    if approved:
        if submission.kind == RequestKind.TRANSFER:
            approve_transfer(submission)
        elif submission.kind == RequestKind.CHANGE:
            counted_as(record, submission)
        record.archive = submission
        record.status = RecordStatus.APPROVED
        person = record.person
        person.department = submission.department
        person.save(update_fields=["department"])
    elif submission.kind == RequestKind.TRANSFER:
        record.status = RecordStatus.APPROVED
    else:
        record.status = RecordStatus.RETURNED
    record.save(
        update_fields=["archive", "status", "employment", "qualification_level", "education_level", "updated_at"]
    )
    if request is not None and (approved or submission.kind == RequestKind.TRANSFER):
        request.status = RequestStatus.APPROVED if approved else RequestStatus.RETURNED
        request.closed_at = submission.decided_at
        request.save(update_fields=["status", "closed_at"])


def _already_decided(submission: Submission) -> str:
    if submission.decided_by is None:
        return "该报送已更新，请刷新后重新审核"
    who = submission.decided_by.get_full_name() or submission.decided_by.username
    when = timezone.localtime(submission.decided_at).strftime("%Y-%m-%d %H:%M") if submission.decided_at else ""
    return f"该报送已由{who}于{when}{submission.get_status_display()}，请刷新后查看"


def _notify(submission: Submission, approved: bool, reason: str) -> None:
    person = submission.record.person
    profile = all_profiles()[person.province]
    mobile = mobile_of(person)
    if not profile.review.notify_by_sms or not mobile:
        return
    department = submission.department.name
    reason = reason_clause(reason)
    what = {"change": "信息变更申请", "transfer": "调转申请"}.get(submission.kind, "会计人员信息")
    # The status in the words the person reads on the portal (YN 11: 审核成功, 审核失败).
    words = profile.status_words
    if approved:
        text = f"{profile.review.sms_signature}您的{what}已由{department}{words.approved}。"
    elif submission.kind == RequestKind.TRANSFER:
        text = f"{profile.review.sms_signature}您的调转申请未被{department}通过，原因：{reason}。原档案不变。"
    else:
        text = (
            f"{profile.review.sms_signature}您的{what}{words.returned}（{department}），原因：{reason}。"
            "请登录修改后重新提交。"
        )
    queue_sms(mobile, text)


def reason_clause(reason: str) -> str:
    """A reviewer's reason as a clause of a text message: at most 60 characters, without the
    closing punctuation the message adds itself (no "。。")."""
    return reason.strip()[:60].rstrip("。．.！!；;，,、 ")


def decision_out(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "status": submission.status,
        "version": submission.version,
        "reason": submission.reason,
        "fields": submission.fields,
        "decided_at": submission.decided_at.isoformat() if submission.decided_at else None,
    }
