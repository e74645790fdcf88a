"""What the department's desk does to an account (issue 15): end a sign-in lockout, and send the
person a code to reset their password. Both for people in the staff member's jurisdiction only,
both audited with the staff member and the reason."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accreg.accounts.models import Staff
from accreg.accounts.people import mobile_of
from accreg.accounts.services.lockout import clear_failures, locked_accounts
from accreg.accounts.services.sign_in import lockout_rule
from accreg.accounts.services.sms_codes import CHINA, request_code
from accreg.audit.models import AuditEvent
from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError, RateLimitedError
from accreg.provinces.loader import all_profiles

from .selectors import desk_person

# On top of the SMS limits of every code (60 s apart, SMS_DAILY_LIMIT_PER_MOBILE a day): a desk
# cannot flood a person with reset messages.
DESK_RESETS_PER_DAY = 3


def checked_reason(reason: str) -> str:
    """Every desk action carries why it was done (the audit shows it); at most 500 characters."""
    reason = " ".join((reason or "").split())
    if not reason:
        msg = "请填写原因（如：本人来电、持身份证到窗口办理）"
        raise DomainError("invalid", msg, fields={"reason": [msg]})
    if len(reason) > 500:
        msg = "原因不能超过500个字"
        raise DomainError("invalid", msg, fields={"reason": [msg]})
    return reason


def desk_name(staff: Staff) -> str:
    return staff.department.name if staff.department else "管理部门"


@transaction.atomic
def unlock_person(staff: Staff, person_id: int, *, reason: str, ip: str | None) -> dict[str, object]:
    """解除锁定: the person's failed sign-ins are forgotten, so the lock ends and the count starts
    again. Safe to repeat (an account that is not locked stays unlocked; the act is audited)."""
    person = desk_person(staff, person_id)
    reason = checked_reason(reason)
    key = f"person:{person.pk}"
    was_locked = key in locked_accounts({key: lockout_rule(all_profiles().get(person.province))})
    clear_failures(key)
    log_event(f"staff:{staff.pk}", "desk.unlocked", target=key, ip=ip, reason=reason, was_locked=was_locked)
    return {"id": person.pk, "locked": False, "was_locked": was_locked}


def send_reset_code(staff: Staff, person_id: int, *, reason: str, ip: str | None) -> dict[str, object]:
    """发送重设密码短信: the recovery flow's reset code, sent to the person's own mobile with a
    message that says which department sent it; the person resets on the "忘记密码" page as
    usual. The code's own limits apply, and at most DESK_RESETS_PER_DAY desk messages a day. The
    staff member's address is not counted against the per-IP limit meant for the public."""
    person = desk_person(staff, person_id)
    reason = checked_reason(reason)
    mobile = mobile_of(person)
    if not mobile:
        msg = "该人员尚未绑定手机号，无法发送短信；如需绑定，请更正手机号"
        raise ConflictError("no_mobile", msg)
    key = f"person:{person.pk}"
    midnight = timezone.now().astimezone(CHINA).replace(hour=0, minute=0, second=0, microsecond=0)
    sent_today = AuditEvent.objects.filter(target=key, action="desk.reset_sent", at__gte=midnight).count()
    if sent_today >= DESK_RESETS_PER_DAY:
        left = int((midnight + datetime.timedelta(days=1) - timezone.now()).total_seconds())
        raise RateLimitedError(
            "desk_reset_limit", f"今天已为该人员发送{DESK_RESETS_PER_DAY}次重设密码短信，请明天再试", retry_after=left
        )
    with transaction.atomic():
        request_code(mobile, purpose="reset", ip=None, province=person.province, sent_by=desk_name(staff))
        log_event(
            f"staff:{staff.pk}", "desk.reset_sent", target=key, ip=ip, reason=reason, sent_to=person.mobile_masked
        )
    return {"id": person.pk, "sent_to": person.mobile_masked}
