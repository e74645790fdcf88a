"""The notice step (须知, timed on the server), submitting (报送) and the status the person sees."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accreg.accounts.models import Person
from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError
from accreg.provinces.loader import all_profiles
from accreg.regions.models import Department

from . import counters
from .amendments import open_request
from .archive_prefill import archive_sections
from .certificate_numbers import index_submission
from .models import Record, RecordStatus, RequestKind, Submission, SubmissionStatus
from .selectors import record_of, step_states
from .working_days import add_working_days


@transaction.atomic
def open_notice(person: Person) -> Record:
    """The person sees the notice; the reading time counts from the first time (HN 3.1)."""
    record = Record.objects.select_for_update().get_or_create(
        person=person, defaults={"sections": archive_sections(person)}
    )[0]
    if record.notice_shown_at is None:
        record.notice_shown_at = timezone.now()
        record.save(update_fields=["notice_shown_at", "updated_at"])
    return record


@transaction.atomic
def accept_notice(person: Person) -> Record:
    """ "我已阅读并同意": refused until the province's reading seconds have passed since the notice
    was first shown, counted here and not in the page. Safe to repeat."""
    profile = all_profiles()[person.province]
    record = Record.objects.select_for_update().get_or_create(
        person=person, defaults={"sections": archive_sections(person)}
    )[0]
    if record.notice_accepted_at:
        return record
    now = timezone.now()
    shown = record.notice_shown_at or now
    if record.notice_shown_at is None:
        record.notice_shown_at = now
        record.save(update_fields=["notice_shown_at", "updated_at"])
    ready = shown + datetime.timedelta(seconds=profile.notice.min_read_seconds)
    if now < ready:
        wait = int((ready - now).total_seconds()) + 1
        msg = f"请认真阅读须知，{wait}秒后可勾选同意"
        raise DomainError("notice_too_soon", msg, fields={"accept": [msg]})
    record.notice_accepted_at = now
    record.save(update_fields=["notice_accepted_at", "updated_at"])
    return record


def missing_for_submission(person: Person, record: Record) -> dict[str, list[str]]:
    """What must still be filled or uploaded before the record can be submitted, keyed as the
    API's field errors ("work.unit_name", "material:photo")."""
    missing: dict[str, list[str]] = {}
    for step in step_states(person, record):
        if step["key"] == "notice" and step["state"] != "complete":
            missing["notice"] = ["请先阅读并同意信息采集须知"]
        elif step["key"] == "attachments":
            missing.update(step["missing"])
        elif step["state"] in ("empty", "incomplete"):
            missing.update({f"{step['key']}.{key}": messages for key, messages in step["missing"].items()})
    return missing


def search_fields(person: Person, sections: dict[str, Any]) -> dict[str, str]:
    """What the review queue filters and searches on, copied from the record as submitted."""
    work = sections.get("work") or {}
    levels = [item.get("level", "") for item in sections.get("qualifications") or []]
    return {
        "person_name": person.name,
        "unit_name": work.get("unit_name", ""),
        "employment": work.get("employment", ""),
        "qualification_level": max(levels, default=""),  # 01 初级 … 04 正高级
    }


def submit_record(person: Person, *, accept_commitment: bool) -> tuple[Submission, bool]:
    """Freeze the record for review by the department of the collection place (报送, SPEC §3 step 9).
    Safe to repeat: while one is pending, it is returned again with created=False. Everything is
    checked once more; one submission is created in one transaction with its snapshot."""
    profile = all_profiles()[person.province]
    with transaction.atomic():
        record = Record.objects.select_for_update().get_or_create(
            person=person, defaults={"sections": archive_sections(person)}
        )[0]
        pending = record.submissions.filter(status=SubmissionStatus.PENDING).first()
        if pending is not None:
            return pending, False
        if record.status == RecordStatus.APPROVED:
            raise ConflictError("already_approved", profile.texts.already_collected)
        if not accept_commitment:
            msg = f"请阅读并勾选“{profile.commitment.tick}”"
            raise DomainError("commitment_required", msg, fields={"accept_commitment": [msg]})
        missing = missing_for_submission(person, record)
        if missing:
            raise DomainError("record_incomplete", "信息尚未填写完整，请按提示补充后再提交", fields=missing)
        change = open_request(record)
        if change is not None and change.kind != RequestKind.CHANGE:
            raise ConflictError("request_open", "调转正在办理中，办结后才能提交")
        # A change is reviewed by the record's own department (API "After approval").
        department = (
            change.from_department if change else Department.objects.get(code=record.sections["work"]["department"])
        )
        snapshot = {
            "registration": {
                "name": person.name,
                "id_type": person.id_type,
                "id_number": person.id_number_masked,
                "mobile": person.mobile_masked,
                "province": person.province,
            },
            "sections": record.sections,
            "materials": [
                {
                    "kind": m.kind,
                    "item": m.item,
                    "file": m.file.name,
                    "format": m.format,
                    "width": m.width,
                    "height": m.height,
                    "bytes": m.size,
                }
                for m in record.materials.order_by("kind", "item")
            ],
        }
        counters.superseded(record.pk, change.pk if change else None)
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    record=record,
                    kind=change.kind if change else "collection",
                    request=change,
                    handled_by=department,
                    snapshot=snapshot,
                    record_version=record.version,
                    department=department,
                    due_by=add_working_days(timezone.localdate(), profile.review.service_days),
                    **search_fields(person, record.sections),
                )
        except IntegrityError:  # pressed twice at once: the other press made it
            return record.submissions.get(status=SubmissionStatus.PENDING), False
        counters.moved(department.code, None, SubmissionStatus.PENDING)
        index_submission(submission)  # the duplicate guard's certificate numbers (decision 0029)
        record.status = RecordStatus.PENDING
        if change is None:  # a change counts in the statistics once approved
            counted_as(record, submission)
        record.department = department
        record.save(
            update_fields=["status", "department", "employment", "qualification_level", "education_level", "updated_at"]
        )
        log_event(
            f"person:{person.pk}",
            "change.submitted" if change else "record.submitted",
            target=f"submission:{submission.pk}",
            department=department.code,
        )
    return submission, True


def counted_as(record: Record, submission: Submission) -> None:
    """The record's statistics fields, as the submission says (saved by the caller)."""
    record.employment = submission.employment
    record.qualification_level = submission.qualification_level
    sections = submission.snapshot["sections"]
    record.education_level = ((sections.get("education") or {}).get("full_time") or {}).get("level", "")


def record_status(person: Person) -> dict[str, Any]:
    """GET /api/v1/me/record/status: where the record stands, with the department and dates."""
    record = record_of(person)
    latest = record.submissions.select_related("department").first()
    status: dict[str, Any] = {"status": record.status, "kind": latest.kind if latest else "collection"}
    current = open_request(record)
    if current is not None:
        status["kind"] = current.kind
        status["request"] = {"id": current.pk, "kind": current.kind, "status": current.status}
        if current.to_department:
            status["request"]["to"] = {"code": current.to_department.code, "name": current.to_department.name}
        if latest is None or latest.request_id != current.pk:  # a change being edited, not yet submitted
            return {
                **status,
                "department": {"code": current.from_department.code, "name": current.from_department.name},
            }
    if latest is None:
        department = (record.sections.get("work") or {}).get("department")
        found = Department.objects.filter(code=department).first() if department else None
        status["department"] = {"code": found.code, "name": found.name} if found else None
        return status
    status.update(
        {
            "department": {"code": latest.department.code, "name": latest.department.name},
            "submitted_at": latest.submitted_at.isoformat(),
            "due_by": latest.due_by.isoformat(),
            "message": all_profiles()[person.province].texts.submitted if latest.status == "pending" else "",
        }
    )
    if latest.decided_at:
        status["decided_at"] = latest.decided_at.isoformat()
    if latest.status == SubmissionStatus.RETURNED:
        status.update({"reason": latest.reason, "fields": latest.fields})
    return status
