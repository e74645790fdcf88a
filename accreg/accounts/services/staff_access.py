"""An administrator's acts on staff accounts below them: disabling, enabling, resetting the second
factor. Each act is limited to the administrator's subtree, whatever rows were asked for, and is
written to the audit log in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
from django.db import transaction
from django.db.models import QuerySet

from accreg.audit.services import log_event
from accreg.regions.jurisdiction import within_jurisdiction

from ..models import Staff
from .staff import otp_provisioning_uri
from .tokens import revoke_all_tokens


@dataclass(frozen=True)
class AccessChange:
    """What an act did: the accounts changed and those left alone, each with why."""

    changed: tuple[Staff, ...]
    skipped: tuple[tuple[Staff, str], ...] = ()


@dataclass(frozen=True)
class NewOtpSecret:
    """A new TOTP secret, shown once to the administrator who passes it on to the staff member."""

    staff: Staff
    secret: str
    uri: str


def _manageable(actor: Staff, staff: QuerySet[Staff]) -> QuerySet[Staff]:
    """The asked-for accounts that lie in the actor's subtree; superusers only by a superuser."""
    asked = list(staff.values_list("pk", flat=True))  # a fresh query: no joins under FOR UPDATE
    rows = within_jurisdiction(Staff.objects.filter(pk__in=asked), actor)
    if not actor.is_superuser:
        rows = rows.filter(is_superuser=False)
    return rows.select_for_update().order_by("username")


@transaction.atomic
def disable_staff(actor: Staff, *, staff: QuerySet[Staff], ip: str | None) -> AccessChange:
    """停用: the accounts can no longer sign in, and their API tokens are revoked. An administrator
    cannot disable themself (no one could then undo it below a superuser)."""
    changed: list[Staff] = []
    skipped: list[tuple[Staff, str]] = []
    for member in _manageable(actor, staff):
        if member.pk == actor.pk:
            skipped.append((member, "不能停用自己的账号"))
        elif not member.is_active:
            skipped.append((member, "账号已是停用状态"))
        else:
            changed.append(member)
    ids = [member.pk for member in changed]
    Staff.objects.filter(pk__in=ids).update(is_active=False)
    for member in changed:
        revoke_all_tokens(member)
        member.is_active = False
        log_event(f"staff:{actor.pk}", "staff.disabled", target=f"staff:{member.pk}", ip=ip, username=member.username)
    return AccessChange(tuple(changed), tuple(skipped))


@transaction.atomic
def enable_staff(actor: Staff, *, staff: QuerySet[Staff], ip: str | None) -> AccessChange:
    """启用: disabled accounts may sign in again (with their password and second factor)."""
    changed: list[Staff] = []
    skipped: list[tuple[Staff, str]] = []
    for member in _manageable(actor, staff):
        if member.is_active:
            skipped.append((member, "账号已是启用状态"))
        else:
            changed.append(member)
    Staff.objects.filter(pk__in=[member.pk for member in changed]).update(is_active=True)
    for member in changed:
        member.is_active = True
        log_event(f"staff:{actor.pk}", "staff.enabled", target=f"staff:{member.pk}", ip=ip, username=member.username)
    return AccessChange(tuple(changed), tuple(skipped))


@transaction.atomic
def reset_staff_otp(actor: Staff, *, staff: QuerySet[Staff], ip: str | None) -> list[NewOtpSecret]:
    """重置动态口令: each account gets a new TOTP secret (the old authenticator entry stops working),
    any time step may be used again, and its API tokens are revoked (whoever held the old factor
    may hold a token too). Sign-in has no enrollment step, so the new secret is
    returned for the administrator to pass on once; it is never logged."""
    secrets: list[NewOtpSecret] = []
    for member in _manageable(actor, staff):
        member.otp_secret = pyotp.random_base32()
        member.otp_last_step = 0
        member.save(update_fields=["otp_secret", "otp_last_step"])
        revoke_all_tokens(member)
        log_event(f"staff:{actor.pk}", "staff.otp_reset", target=f"staff:{member.pk}", ip=ip, username=member.username)
        secrets.append(NewOtpSecret(member, member.otp_secret, otp_provisioning_uri(member)))
    return secrets
