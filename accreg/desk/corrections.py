"""Corrections of an accountant's identity fields with evidence (更正, issue 15 item 3).

A staff member corrects a name, ID type, ID number or mobile with the reason and evidence. The ID
type and the mobile apply at once; a name or an ID number waits for a second staff member of the
requester's department or one above it (four eyes), who approves or refuses it. A new ID number
is checked as at registration and must not belong to anyone else; a mobile likewise. The person
is told by SMS (a new mobile: both numbers). Submitted snapshots stay as they were (the archive
keeps its history) and the correction row keeps the old value, sealed as Person keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accreg.accounts.identity import IdentityFacts, check_id_number, check_name, normalise_mobile
from accreg.accounts.models import Person, Staff
from accreg.accounts.people import (
    id_number_of,
    mobile_of,
    person_by_id_number,
    person_by_mobile,
    set_identity,
    set_mobile,
)
from accreg.accounts.sensitive import decrypt, encrypt, mask_id_number, mask_mobile
from accreg.accounts.services.sms_codes import PLATFORM_SIGNATURE
from accreg.accounts.services.tokens import revoke_all_tokens
from accreg.audit.services import log_event
from accreg.codelists.registry import code_list
from accreg.collection.models import Submission
from accreg.errors import ConflictError, DomainError, ForbiddenError
from accreg.notifications.tasks import queue_sms
from accreg.provinces.loader import served_profile

from .models import FOUR_EYES, Correction, CorrectionField, CorrectionState
from .selectors import approval_refusal, correction_for_desk, desk_person, id_type_label
from .services import checked_reason, desk_name

ID_TAKEN = "该证件号码已被其他会计人员使用，不能更正为此号码；如属被他人冒用，请按证件号码被占用的办法处理"
MOBILE_TAKEN = "该手机号已绑定其他会计人员，不能更正为此号码"


@dataclass(frozen=True)
class CorrectionRequest:
    field: str
    value: str
    reason: str
    id_type: str = ""  # with an ID number: the type it is of, when the type is wrong too


def _on_value(exc: DomainError) -> DomainError:
    """A registration check names its own field (name, id_number, mobile); here it is `value`."""
    messages = [m for key, ms in exc.fields.items() if key != "id_type" for m in ms] or [exc.message]
    fields = {"value": messages}
    if "id_type" in exc.fields:
        fields = {"id_type": exc.fields["id_type"], **({"value": messages} if len(exc.fields) > 1 else {})}
    return DomainError(exc.code, exc.message, fields=fields)


def _same(what: str) -> DomainError:
    msg = f"与现在的{what}相同，无需更正"
    return DomainError("unchanged", msg, fields={"value": [msg]})


def _checked_id_number(person: Person, id_type: str, value: str) -> IdentityFacts:
    """The new number checked as registration checks it, and owned by nobody else."""
    try:
        facts = check_id_number(id_type, value)
    except DomainError as exc:
        raise _on_value(exc) from exc
    owner = person_by_id_number(facts.number)
    if owner is not None and owner.pk != person.pk:
        raise ConflictError("id_number_taken", ID_TAKEN, fields={"value": [ID_TAKEN]})
    return facts


def _checked_mobile(person: Person, value: str) -> str:
    try:
        mobile = normalise_mobile(value)
    except DomainError as exc:
        raise _on_value(exc) from exc
    owner = person_by_mobile(mobile)
    if owner is not None and owner.pk != person.pk:
        raise ConflictError("mobile_taken", MOBILE_TAKEN, fields={"value": [MOBILE_TAKEN]})
    return mobile


def _new_correction(person: Person, staff: Staff, form: CorrectionRequest, reason: str) -> Correction:
    """The correction row, with what it changes from and to (numbers sealed and masked)."""
    c = Correction(person=person, field=form.field, reason=reason, requested_by=staff)
    if form.field == CorrectionField.NAME:
        try:
            name = check_name(form.value)
        except DomainError as exc:
            raise _on_value(exc) from exc
        if name == person.name:
            raise _same("姓名")
        c.old_shown, c.new_shown = person.name, name
    elif form.field == CorrectionField.ID_TYPE:
        id_type = (form.value or "").strip()
        if id_type not in {item.code for item in code_list("id_types").items}:
            raise DomainError("invalid", "请选择证件类型", fields={"value": ["请选择证件类型"]})
        if id_type == person.id_type:
            raise _same("证件类型")
        try:
            check_id_number(id_type, id_number_of(person))
        except DomainError as exc:
            msg = f"现在的证件号码不是有效的{id_type_label(id_type)}号码：请改为更正证件号码，并选择证件类型"
            raise DomainError("id_type_mismatch", msg, fields={"value": [msg]}) from exc
        c.old_shown, c.new_shown = person.id_type, id_type
    elif form.field == CorrectionField.ID_NUMBER:
        id_type = (form.id_type or "").strip() or person.id_type
        facts = _checked_id_number(person, id_type, form.value)
        if facts.number == id_number_of(person) and facts.id_type == person.id_type:
            raise _same("证件号码")
        c.old_shown, c.new_shown = person.id_number_masked, mask_id_number(facts.number)
        c.old_encrypted, c.new_encrypted = person.id_number_encrypted, encrypt(facts.number)
        c.new_id_type = facts.id_type if facts.id_type != person.id_type else ""
    elif form.field == CorrectionField.MOBILE:
        mobile = _checked_mobile(person, form.value)
        if mobile == mobile_of(person):
            raise _same("手机号")
        c.old_shown, c.new_shown = person.mobile_masked, mask_mobile(mobile)
        c.old_encrypted, c.new_encrypted = person.mobile_encrypted, encrypt(mobile)
    else:
        msg = "只能更正姓名、证件类型、证件号码或手机号"
        raise DomainError("invalid", msg, fields={"field": [msg]})
    return c


@transaction.atomic
def request_correction(staff: Staff, person_id: int, form: CorrectionRequest, *, ip: str | None) -> Correction:
    """更正申请: checks the new value as registration would and records the request. The ID type
    and the mobile take effect at once; a name or ID number is pending until a second staff member
    approves it. One pending correction per person and field (409 otherwise). Locks the person."""
    desk_person(staff, person_id)  # 404 outside the jurisdiction, before anything is said
    person = Person.objects.select_for_update().get(pk=person_id)
    reason = checked_reason(form.reason)
    correction = _new_correction(person, staff, form, reason)
    if Correction.objects.filter(person=person, field=form.field, state=CorrectionState.PENDING).exists():
        raise _already_pending(correction)
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError as exc:  # requested twice at once
        raise _already_pending(correction) from exc
    log_event(
        f"staff:{staff.pk}",
        "desk.correction_requested",
        target=f"person:{person.pk}",
        ip=ip,
        correction=correction.pk,
        field=correction.field,
        new=correction.new_shown,
        reason=reason,
    )
    if correction.field not in FOUR_EYES:
        _apply(correction, person, by=staff, ip=ip)
    return correction


def _already_pending(correction: Correction) -> ConflictError:
    msg = f"该人员已有一项待审批的{correction.get_field_display()}更正，请先审批或撤回"
    return ConflictError("correction_pending", msg, fields={"field": [msg]})


def _apply(correction: Correction, person: Person, *, by: Staff, ip: str | None) -> None:
    """Make the correction the person's own and tell them. The new number is checked again: it may
    have been taken while the correction waited."""
    field = correction.field
    if field == CorrectionField.NAME:
        person.name = correction.new_shown
    elif field == CorrectionField.ID_TYPE:
        set_identity(person, check_id_number(correction.new_shown, id_number_of(person)))
    elif field == CorrectionField.ID_NUMBER:
        id_type = correction.new_id_type or person.id_type
        set_identity(person, _checked_id_number(person, id_type, decrypt(correction.new_encrypted)))
    else:
        old_mobile = mobile_of(person)
        set_mobile(person, _checked_mobile(person, decrypt(correction.new_encrypted)))
        person.mobile_verified_at = None  # confirmed by the desk on evidence, not by a code
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # the same number corrected or registered at the same moment
        msg = ID_TAKEN if field == CorrectionField.ID_NUMBER else MOBILE_TAKEN
        raise ConflictError(f"{field}_taken", msg, fields={"value": [msg]}) from exc
    if field == CorrectionField.NAME:
        # The queue searches the name copied onto each submission: a reviewer looks for the person by
        # the corrected name from now on. The snapshots keep the name as it was submitted (history).
        Submission.objects.filter(record__person=person).update(person_name=person.name)
    now = timezone.now()
    approver = by if field in FOUR_EYES else None
    done = Correction.objects.filter(pk=correction.pk, state=CorrectionState.PENDING).update(
        state=CorrectionState.APPLIED, decided_by=approver, decided_at=now
    )
    if not done:
        raise ConflictError("correction_decided", "该更正申请已被他人处理，请刷新页面")
    correction.state, correction.decided_by, correction.decided_at = CorrectionState.APPLIED, approver, now
    log_event(
        f"staff:{by.pk}",
        "desk.correction_applied",
        target=f"person:{person.pk}",
        ip=ip,
        correction=correction.pk,
        field=field,
        old=correction.old_shown,
        new=correction.new_shown,
        requested_by=correction.requested_by_id,
        approved_by=approver.pk if approver else None,
    )
    if field == CorrectionField.MOBILE:
        revoke_all_tokens(person)  # a lost phone's sessions end with its number
        _tell_mobile_change(person, old_mobile, correction, desk_name(correction.requested_by))
    else:
        _tell(person, correction, desk_name(correction.requested_by))


def _signature(person: Person) -> str:
    profile = served_profile(person.province)
    return profile.review.sms_signature if profile else PLATFORM_SIGNATURE


def _tell(person: Person, correction: Correction, desk: str) -> None:
    mobile = mobile_of(person)
    if not mobile:
        return
    if correction.field == CorrectionField.NAME:
        what = f"姓名已更正为“{correction.new_shown}”"
    elif correction.field == CorrectionField.ID_TYPE:
        what = f"证件类型已更正为{id_type_label(correction.new_shown)}"
    else:
        what = f"证件号码已更正为{correction.new_shown}，请使用新的证件号码登录"
    text = f"{_signature(person)}您在会计人员信息采集平台的{what}（{desk}办理）。如有疑问，请联系{desk}。"
    queue_sms(mobile, text)


def _tell_mobile_change(person: Person, old_mobile: str, correction: Correction, desk: str) -> None:
    signature = _signature(person)
    if old_mobile:
        queue_sms(
            old_mobile,
            f"{signature}您在会计人员信息采集平台的账户绑定的手机号已由{desk}更正为{correction.new_shown}，"
            f"本号码不再用于登录和接收通知。如非本人申请，请立即联系{desk}。",
        )
    queue_sms(
        mobile_of(person),
        f"{signature}{person.name}，您的会计人员信息采集平台账户已绑定本手机号（{desk}办理），"
        f"可用于登录和找回密码。如非本人申请，请联系{desk}。",
    )


def decide_correction(
    staff: Staff, correction_id: int, *, decision: str, reason: str = "", ip: str | None
) -> Correction:
    """审批更正: approve (it takes effect) or refuse (with a reason) a pending correction, by a
    staff member other than the requester, of the requester's department or one above it, who has
    the person in their jurisdiction; the requester may withdraw it instead (with a reason).
    Decided once: a second decision is 409. Locks the correction and the person."""
    correction = correction_for_desk(staff, correction_id)  # 404 outside the jurisdiction
    with transaction.atomic():
        locked = Correction.objects.select_for_update(of=("self",))  # not the staff's nullable department
        correction = locked.select_related("requested_by__department").get(pk=correction.pk)
        if correction.state != CorrectionState.PENDING:
            msg = f"该更正申请已处理（{correction.get_state_display()}），请刷新页面"
            raise ConflictError("correction_decided", msg)
        if decision == "withdraw":
            if correction.requested_by_id != staff.pk:
                raise ForbiddenError("not_requester", "只有提出更正申请的工作人员可以撤回")
            return _close(correction, staff, CorrectionState.WITHDRAWN, checked_reason(reason), ip=ip)
        if problem := approval_refusal(staff, correction):
            raise ForbiddenError("four_eyes", problem)
        if decision == "refuse":
            return _close(correction, staff, CorrectionState.REFUSED, checked_reason(reason), ip=ip)
        if decision != "approve":
            msg = "请选择批准、不批准或撤回"
            raise DomainError("invalid", msg, fields={"decision": [msg]})
        person = Person.objects.select_for_update().get(pk=correction.person_id)
        _apply(correction, person, by=staff, ip=ip)
        correction.person = person
    return correction


def _close(correction: Correction, staff: Staff, state: str, reason: str, *, ip: str | None) -> Correction:
    now = timezone.now()
    Correction.objects.filter(pk=correction.pk, state=CorrectionState.PENDING).update(
        state=state, decided_by=staff, decided_at=now, decision_reason=reason
    )
    correction.state, correction.decided_by, correction.decided_at = state, staff, now
    correction.decision_reason = reason
    action = "desk.correction_refused" if state == CorrectionState.REFUSED else "desk.correction_withdrawn"
    log_event(
        f"staff:{staff.pk}",
        action,
        target=f"person:{correction.person_id}",
        ip=ip,
        correction=correction.pk,
        field=correction.field,
        new=correction.new_shown,
        reason=reason,
    )
    return correction
