"""After approval (SPEC §5, API "After approval"): a change (信息变更, YN 11, HN 3.7) edits the record
on a copy while the archive stays as approved; a transfer (调转) asks another management department
of the deployment to take the record. Both are reviewed like a first collection."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accreg.accounts.models import Person
from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError, NotFoundError
from accreg.provinces.loader import all_profiles, profile_for_region
from accreg.provinces.schema import Province
from accreg.regions.models import Department

from . import counters
from .models import ChangeRequest, Record, RecordStatus, RequestKind, RequestStatus, Submission, SubmissionStatus
from .province_move import sections_in
from .working_days import add_working_days

# Never changed by the person (FIELDS.md: the ID number is the archive number for life; the name and
# the ID type are corrected by the department, not in a change).
LOCKED_KEYS = {
    "id_number": "证件号码是终身档案号，不能变更",
    "id_type": "证件类型不能自行变更，请联系管理部门",
    "name": "姓名不能自行变更，请持证明材料联系管理部门",
    "mobile": "手机号请在“我的账户”中更换",
}
MAX_REASON = 500


def open_request(record: Record) -> ChangeRequest | None:
    return record.requests.filter(status=RequestStatus.OPEN).select_related("to_department", "from_department").first()


def why_not_open(record: Record | None) -> ConflictError | None:
    """Why a change or transfer cannot be opened now (None when it can): the one place the rule
    lives, for the services and for the pages that offer the buttons."""
    if record is None or record.archive_id is None:
        return ConflictError("not_approved", "信息审核通过后才能申请变更或调转")
    current = open_request(record)
    if current is not None:
        msg = f"您已有一项{current.get_kind_display()}正在办理，办结或撤回后才能再次申请"
        return ConflictError("request_open", msg)
    if record.status != RecordStatus.APPROVED:
        return ConflictError("not_approved", "信息正在审核中，审核通过后才能申请变更或调转")
    return None


def _approved_record(person: Person) -> Record:
    """The person's record, locked, if it has an approved archive and nothing else is open."""
    record = Record.objects.select_for_update().filter(person=person).first()
    refusal = why_not_open(record)
    if refusal is not None:
        raise refusal
    assert record is not None
    return record


def _archive_id(record: Record) -> int:
    assert record.archive_id is not None  # checked by _approved_record
    return record.archive_id


def _department_id(record: Record) -> str:
    assert record.department_id is not None  # an approved record has its department
    return record.department_id


def _locked(payload: dict[str, Any]) -> dict[str, list[str]]:
    return {key: [msg] for key, msg in LOCKED_KEYS.items() if key in payload}


def _reason(payload: dict[str, Any]) -> str:
    reason = str(payload.get("reason") or "").strip()
    if len(reason) > MAX_REASON:
        msg = f"申请理由不能超过{MAX_REASON}字"
        raise DomainError("invalid", msg, fields={"reason": [msg]})
    return reason


def open_change(person: Person, payload: dict[str, Any] | None = None) -> ChangeRequest:
    """信息变更: the sections become editable again; the archive stays as approved until the change
    itself is approved. 409 before approval or while another change or transfer is open."""
    payload = payload or {}
    locked = _locked(payload)
    if locked:
        raise DomainError("locked_field", "证件号码、证件类型和姓名不能通过信息变更修改", fields=locked)
    reason = _reason(payload)
    with transaction.atomic():
        record = _approved_record(person)
        try:
            with transaction.atomic():
                change = ChangeRequest.objects.create(
                    record=record,
                    kind=RequestKind.CHANGE,
                    base_id=_archive_id(record),
                    from_department_id=_department_id(record),
                    reason=reason,
                )
        except IntegrityError as exc:  # opened twice at once
            raise ConflictError("request_open", "您已有一项信息变更正在办理") from exc
        record.status = RecordStatus.DRAFT
        record.save(update_fields=["status", "updated_at"])
        log_event(
            f"person:{person.pk}", "change.opened", target=f"request:{change.pk}", department=record.department_id
        )
    return change


def withdraw_change(person: Person, request_id: int) -> ChangeRequest:
    """撤回变更: the edits are dropped and the record is the archive again, materials included.
    A change under review cannot be withdrawn (the reviewer may be reading it)."""
    from accreg.uploads.services import restore_materials  # uploads builds on collection

    with transaction.atomic():
        record = Record.objects.select_for_update().filter(person=person).first()
        change = (
            record.requests.filter(pk=request_id, kind=RequestKind.CHANGE).select_related("base").first()
            if record
            else None
        )
        if record is None or change is None:
            raise NotFoundError("not_found", "没有这项信息变更")
        if change.status != RequestStatus.OPEN:
            raise ConflictError("request_closed", f"这项信息变更已{change.get_status_display()}，不能撤回")
        if record.status == RecordStatus.PENDING:
            raise ConflictError("request_in_review", "信息变更正在审核中，不能撤回；如有问题请联系管理部门")
        archive = change.base.snapshot
        record.sections = archive["sections"]
        record.status = RecordStatus.APPROVED
        record.version += 1
        record.save(update_fields=["sections", "status", "version", "updated_at"])
        restore_materials(record, archive.get("materials", []))
        change.status, change.closed_at = RequestStatus.WITHDRAWN, timezone.now()
        change.save(update_fields=["status", "closed_at"])
        # A returned change withdrawn is no longer anyone's work: it leaves 已退回 and its counts
        # (its history stays readable); the archive's own item stays where it is.
        counters.superseded(record.pk, change.pk)
        log_event(f"person:{person.pk}", "change.withdrawn", target=f"request:{change.pk}")
    return change


def change_locks(record: Record, person: Person, section: str, data: dict[str, Any]) -> dict[str, list[str]]:
    """What a section saved during a change may not alter: the name (LN lets it be corrected only
    before the first approval) and the management department (that is a transfer)."""
    errors: dict[str, list[str]] = {}
    if section == "personal" and data.get("name", person.name) != person.name:
        errors["name"] = [LOCKED_KEYS["name"]]
    if section == "work" and data.get("department") and data["department"] != record.department_id:
        errors["department"] = ["信息变更不能更换管理部门；调到其他地区的单位请申请调转"]
    return errors


def request_transfer(person: Person, payload: dict[str, Any]) -> ChangeRequest:
    """调转: the receiving department reviews the move at once (a submission of kind "transfer",
    frozen from the archive with the new department); the sending one sees it read only."""
    code = str(payload.get("department") or "").strip()
    reason = _reason(payload)
    errors: dict[str, list[str]] = {}
    department = Department.objects.filter(code=code).first() if code else None
    profile = profile_for_region(department.code) if department else None
    if not code:
        errors["department"] = ["请选择调入的管理部门"]
    elif department is None or profile is None:
        errors["department"] = ["没有这个管理部门，或该部门不在本平台服务的省份"]
    if not reason:
        errors["reason"] = ["请填写调转原因（如：工作单位变动到外地）"]
    if errors:
        raise DomainError("invalid", "请检查调转申请", fields=errors)
    assert department is not None and profile is not None
    with transaction.atomic():
        record = _approved_record(person)
        if department.code == record.department_id:
            msg = "调入部门与现管理部门相同，无需调转；单位信息有变化请申请信息变更"
            raise DomainError("same_department", msg, fields={"department": [msg]})
        base = record.archive
        assert base is not None
        try:
            with transaction.atomic():
                transfer = ChangeRequest.objects.create(
                    record=record,
                    kind=RequestKind.TRANSFER,
                    base=base,
                    from_department_id=_department_id(record),
                    to_department=department,
                    reason=reason,
                )
        except IntegrityError as exc:
            raise ConflictError("request_open", "您已有一项调转正在办理") from exc
        snapshot = moved_snapshot(base.snapshot, department, all_profiles()[record.person.province])
        snapshot["transfer"] = {"from": record.department_id, "to": department.code, "reason": reason}
        submission = Submission.objects.create(
            record=record,
            kind=RequestKind.TRANSFER,
            request=transfer,
            snapshot=snapshot,
            record_version=record.version,
            department=department,
            handled_by=department,
            due_by=add_working_days(timezone.localdate(), profile.review.service_days),
            person_name=base.person_name,
            unit_name=base.unit_name,
            employment=base.employment,
            qualification_level=base.qualification_level,
        )
        counters.moved(department.code, None, SubmissionStatus.PENDING)
        record.status = RecordStatus.PENDING
        record.save(update_fields=["status", "updated_at"])
        log_event(
            f"person:{person.pk}",
            "transfer.requested",
            target=f"request:{transfer.pk}",
            department=record.department_id,
            to=department.code,
            submission=submission.pk,
        )
    return transfer


def moved_snapshot(snapshot: dict[str, Any], department: Department, source: Province) -> dict[str, Any]:
    """The archive as it will read after the move: managed by `department`, collected in its region,
    read by the rules of the province it moves to."""
    sections = {**snapshot["sections"]}
    sections["work"] = {**(sections.get("work") or {}), "department": department.code, "region": department.region_id}
    registration = {**snapshot["registration"]}
    province = profile_for_region(department.code)
    if province is not None:
        registration["province"] = province.code
        sections = sections_in(sections, source, province)
    return {**snapshot, "sections": sections, "registration": registration}


def approve_transfer(submission: Submission) -> None:
    """The move, in the caller's transaction: the record, its person and every earlier submission
    now belong to the receiving department, so the sending one no longer sees them anywhere."""
    record = submission.record
    transfer = submission.request
    assert transfer is not None and transfer.to_department is not None
    to = transfer.to_department
    earlier = record.submissions.exclude(pk=submission.pk)
    for old_department, status in earlier.filter(latest=True).values_list("department_id", "status"):
        counters.moved(old_department, status, None)
        counters.moved(to.code, None, status)
    earlier.update(department=to)
    source = all_profiles()[record.person.province]
    record.sections = moved_snapshot({"sections": record.sections, "registration": {}}, to, source)["sections"]
    record.department = to
    record.version += 1
    person = record.person
    person.department = to
    province = profile_for_region(to.code)
    if province is not None and province.code != person.province:
        person.province = province.code
    person.save(update_fields=["department", "province"])
    record.save(update_fields=["sections", "department", "version", "updated_at"])
