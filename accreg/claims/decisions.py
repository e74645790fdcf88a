"""Deciding a claim (处理证件号占用申诉): approve, and the account passes to the claimant; or refuse
with a reason the claimant is told. One transaction holds the decision, the account's change, the
audit record and the queued text messages; a claim decided already is a conflict (409)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accreg.accounts.models import Person, Staff
from accreg.accounts.people import mobile_of, person_by_mobile, set_mobile
from accreg.accounts.sensitive import decrypt
from accreg.accounts.services.lockout import clear_failures
from accreg.accounts.services.registration import MOBILE_TAKEN
from accreg.accounts.services.tokens import revoke_all_tokens
from accreg.audit.services import log_event
from accreg.collection import counters
from accreg.collection.models import Record, RecordStatus, RequestKind, RequestStatus, Submission, SubmissionStatus
from accreg.errors import ConflictError, DomainError
from accreg.notifications.tasks import queue_sms
from accreg.provinces.loader import all_profiles

from .models import ClaimStatus, IdClaim
from .selectors import account_facts, claim_for

MAX_REASON = 500
# What the record's pending submission (filed by the old holder) says once it is handed back.
HANDED_BACK = "该账户已通过证件号占用申诉交由证件号码本人使用，原提交的信息已退回，请本人核对、修改后重新提交"


@dataclass(frozen=True)
class ClaimDecision:
    decision: Literal["approve", "refuse"]
    version: int
    reason: str = ""


def _reason(decision: ClaimDecision) -> str:
    reason = decision.reason.strip()
    if decision.decision == "refuse" and not reason:
        msg = "不予通过时请填写原因，申请人将收到该原因"
        raise DomainError("invalid", msg, fields={"reason": [msg]})
    if len(reason) > MAX_REASON:
        msg = f"原因不能超过{MAX_REASON}字"
        raise DomainError("invalid", msg, fields={"reason": [msg]})
    return reason


def _already_decided(claim: IdClaim) -> ConflictError:
    who = (claim.decided_by.get_full_name() or claim.decided_by.username) if claim.decided_by else "他人"
    return ConflictError("stale_version", f"该申诉已由{who}处理（{claim.get_status_display()}），请刷新后查看")


@transaction.atomic
def decide_claim(staff: Staff, claim_id: int, decision: ClaimDecision, *, ip: str | None) -> IdClaim:
    """Approve or refuse a pending claim, as of the version the staff member saw. Only the staff
    whose jurisdiction holds the account may (404 otherwise). Locks the claim and the account."""
    if decision.decision not in ("approve", "refuse"):
        msg = "请选择通过或不予通过"
        raise DomainError("invalid", msg, fields={"decision": [msg]})
    seen = claim_for(staff, claim_id)  # the jurisdiction check; the lock below is by key alone
    claim = IdClaim.objects.select_for_update().get(pk=seen.pk)
    if claim.status != ClaimStatus.PENDING or claim.version != decision.version:
        raise _already_decided(claim)
    reason = _reason(decision)
    person = Person.objects.select_for_update().get(pk=claim.person_id)
    approved = decision.decision == "approve"
    claimant_mobile = decrypt(claim.mobile_encrypted)
    if approved:
        owner = person_by_mobile(claimant_mobile)
        if owner is not None and owner.pk != person.pk:
            msg = "申请人的手机号已绑定其他账户，无法将本账户交给该手机号；请不予通过并说明原因"
            raise ConflictError("mobile_taken", msg, fields={"mobile": [MOBILE_TAKEN]})
    now = timezone.now()
    changes = {
        "status": ClaimStatus.APPROVED if approved else ClaimStatus.REFUSED,
        "reason": reason,
        "decided_at": now,
        "decided_by": staff,
        "version": F("version") + 1,
        "account_before": account_facts(claim) if approved else {},
    }
    won = IdClaim.objects.filter(pk=claim.pk, version=decision.version, status=ClaimStatus.PENDING)
    if not won.update(**changes):  # SQLite has no row lock: the second of two decisions finds nothing
        claim.refresh_from_db()
        raise _already_decided(claim)
    claim.refresh_from_db()
    if approved:
        _hand_over(claim, person, staff, claimant_mobile, ip=ip)
    else:
        log_event(
            f"staff:{staff.pk}",
            "id_claim.refused",
            target=f"person:{person.pk}",
            ip=ip,
            claim=claim.reference,
            reason=reason,
        )
        _tell_claimant(claim, claimant_mobile)
    return claim


def _hand_over(claim: IdClaim, person: Person, staff: Staff, claimant_mobile: str, *, ip: str | None) -> None:
    """The account passes to the claimant: their mobile bound, the old one unbound, the password
    cleared (every browser session ends with it: the session keeps a fingerprint of the password),
    every token revoked. The name stays: changing it is the desk's correction, which a second staff
    member approves. The record stays as evidence; a submission waiting for review goes back."""
    old_mobile = mobile_of(person)
    old_masked = person.mobile_masked
    set_mobile(person, claimant_mobile)
    person.mobile_verified_at = timezone.now()
    person.password = ""
    person.save(update_fields=["mobile_encrypted", "mobile_hash", "mobile_masked", "mobile_verified_at", "password"])
    revoke_all_tokens(person)
    clear_failures(f"person:{person.pk}")
    handed_back = _hand_back_pending(person, staff)
    log_event(
        f"staff:{staff.pk}",
        "id_claim.approved",
        target=f"person:{person.pk}",
        ip=ip,
        claim=claim.reference,
        old_mobile=old_masked,
        new_mobile=claim.mobile_masked,
        returned_submission=handed_back,
    )
    profile = all_profiles()[person.province]
    if old_mobile and old_mobile != claimant_mobile:
        queue_sms(
            old_mobile,
            f"{profile.review.sms_signature}证件号码为{person.id_number_masked}的会计人员账户，已由证件号码本人"
            f"经管理部门核实后找回，本手机号已解除绑定，原登录已全部退出。如有疑问请联系当地财政部门。",
        )
    _tell_claimant(claim, claimant_mobile)


def _hand_back_pending(person: Person, staff: Staff) -> int | None:
    """The old holder's submission still waiting for review is returned (not decided on their
    behalf), so the claimant confirms or corrects it; an approved archive stays the archive."""
    record = Record.objects.filter(person=person).first()
    if record is None:
        return None
    pending = record.submissions.select_related("request").filter(status=SubmissionStatus.PENDING).first()
    if pending is None:
        return None
    now = timezone.now()
    done = Submission.objects.filter(pk=pending.pk, status=SubmissionStatus.PENDING).update(
        status=SubmissionStatus.RETURNED,
        reason=HANDED_BACK,
        decided_at=now,
        decided_by=staff,
        version=F("version") + 1,
    )
    if not done:
        return None
    counters.moved(pending.department_id, SubmissionStatus.PENDING, SubmissionStatus.RETURNED)
    if pending.kind == RequestKind.TRANSFER:
        record.status = RecordStatus.APPROVED  # a transfer handed back ends; the archive stays where it was
        if pending.request is not None:
            pending.request.status = RequestStatus.RETURNED
            pending.request.closed_at = now
            pending.request.save(update_fields=["status", "closed_at"])
    else:
        record.status = RecordStatus.RETURNED
    record.save(update_fields=["status", "updated_at"])
    return pending.pk


def _tell_claimant(claim: IdClaim, mobile: str) -> None:
    signature = all_profiles()[claim.person.province].review.sms_signature
    if claim.status == ClaimStatus.APPROVED:
        text = (
            f"{signature}您的证件号占用申诉（受理编号{claim.reference}）已通过，账户已绑定本手机号。"
            "请在门户“申诉进度查询”中设置密码后登录，并核对、修改账户中的信息。"
        )
    else:
        reason = claim.reason.strip()[:60].rstrip("。．.！!；;，,、 ")
        text = f"{signature}您的证件号占用申诉（受理编号{claim.reference}）未通过，原因：{reason}。"
    queue_sms(mobile, text)
