"""Bearer tokens for API clients: random, stored only as a hash, expiring, revocable."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Literal

from django.conf import settings
from django.utils import timezone

from accreg.plain_sql import fetch_one

from ..models import AccessToken, Person, Staff


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, person: Person | None = None, staff: Staff | None = None) -> str:
    """A new token for one holder, valid TOKEN_LIFETIME_HOURS; the raw value is returned once."""
    raw = secrets.token_urlsafe(32)
    lifetime = datetime.timedelta(hours=settings.TOKEN_LIFETIME_HOURS)
    AccessToken.objects.create(key_hash=_digest(raw), person=person, staff=staff, expires_at=timezone.now() + lifetime)
    return raw


def token_holder(raw: str, holder: Literal["person", "staff", "any"] = "any") -> Person | Staff | None:
    """Who holds the token, if it exists, is not revoked and has not expired (and, for staff, the
    account is active), looked up only among the holders the route takes. Every API request asks
    this first, so an accountant's token is looked up with its person in one plain SQL statement
    rather than through the ORM's query compiler, which cost three times the database's own time
    (issue 16, bench/record_api_profile.py)."""
    key, now = _digest(raw), timezone.now()
    if holder == "staff":
        return _staff_holder(key, now)
    person = fetch_one(
        Person,
        f"id = (SELECT person_id FROM {AccessToken._meta.db_table}"
        " WHERE key_hash = %s AND revoked_at IS NULL AND expires_at > %s)",
        [key, now],
    )
    if person is not None or holder == "person":
        return person
    return _staff_holder(key, now)


def _staff_holder(key: str, now: datetime.datetime) -> Staff | None:
    token = (
        AccessToken.objects.select_related("staff")
        .filter(key_hash=key, staff__isnull=False, revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    return token.staff if token is not None and token.staff is not None and token.staff.is_active else None


def revoke_token(raw: str) -> bool:
    return bool(
        AccessToken.objects.filter(key_hash=_digest(raw), revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def revoke_all_tokens(holder: Person | Staff) -> None:
    """After a password change (and, for staff, a disable or a second-factor reset) every device
    signs in again. Safe to repeat."""
    tokens = AccessToken.objects.filter(revoked_at__isnull=True)
    tokens = tokens.filter(person=holder) if isinstance(holder, Person) else tokens.filter(staff=holder)
    tokens.update(revoked_at=timezone.now())


def revoke_other_tokens(holder: Person, *, keep: str = "") -> None:
    """After the person changed their own password: every device but the one that did signs in
    again. Safe to repeat."""
    tokens = AccessToken.objects.filter(person=holder, revoked_at__isnull=True)
    if keep:
        tokens = tokens.exclude(key_hash=_digest(keep))
    tokens.update(revoked_at=timezone.now())
