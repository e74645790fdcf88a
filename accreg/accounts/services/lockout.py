"""Brute-force protection for one account: N failed attempts within M minutes lock password
sign-in for M minutes (provinces/*.toml `sign_in.lockout_*`; staff: STAFF_LOCKOUT_*).

The failures are rows, not cache counters: shared by every server worker, exact over a sliding
window, and kept for the security record. An attempt writes its row before the password is
checked (`claim_attempt`), so simultaneous attempts cannot all pass the count first: on SQLite
and PostgreSQL alike at most N passwords are checked per window (docs/decisions/0021).
Per-IP request limits are django-ratelimit's job (accreg/accounts/limits.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accreg.errors import RateLimitedError

from ..models import SignInFailure


@dataclass(frozen=True)
class LockoutRule:
    attempts: int
    minutes: int


def _locked(retry_after: int) -> RateLimitedError:
    minutes = max(1, (retry_after + 59) // 60)
    return RateLimitedError(
        "account_locked",
        f"密码错误次数过多，账户已临时锁定，请{minutes}分钟后再试，或通过“忘记密码”重设密码",
        retry_after=retry_after,
    )


def _seconds_locked(failures: list[datetime.datetime], rule: LockoutRule, now: datetime.datetime) -> int:
    """Seconds left of the lock given the account's latest failures, newest first (0: not locked).
    The lock starts at the N-th failure within a window and lasts a window from then."""
    if len(failures) < rule.attempts:
        return 0
    window = datetime.timedelta(minutes=rule.minutes)
    latest, nth_back = failures[0], failures[rule.attempts - 1]
    if latest - nth_back < window and now < latest + window:
        return int((latest + window - now).total_seconds()) + 1
    return 0


def ensure_not_locked(account_key: str, rule: LockoutRule) -> None:
    """Raise 429 with the seconds left while the account is locked."""
    now = timezone.now()
    window = datetime.timedelta(minutes=rule.minutes)
    failures = list(
        SignInFailure.objects.filter(account_key=account_key, at__gt=now - 2 * window)
        .order_by("-at")
        .values_list("at", flat=True)[: rule.attempts]
    )
    if seconds := _seconds_locked(failures, rule, now):
        raise _locked(seconds)


def locked_accounts(rules: dict[str, LockoutRule]) -> dict[str, int]:
    """Which of these accounts (key → its rule) are locked now, with the seconds left: one query
    for a page of people, the same rule as `ensure_not_locked`."""
    if not rules:
        return {}
    now = timezone.now()
    longest = max(datetime.timedelta(minutes=rule.minutes) for rule in rules.values())
    failures: dict[str, list[datetime.datetime]] = {}
    rows = SignInFailure.objects.filter(account_key__in=list(rules), at__gt=now - 2 * longest).order_by("-at")
    for key, at in rows.values_list("account_key", "at"):
        failures.setdefault(key, []).append(at)
    found = {key: _seconds_locked(times, rules[key], now) for key, times in failures.items()}
    return {key: seconds for key, seconds in found.items() if seconds}


def claim_attempt(account_key: str, rule: LockoutRule, *, ip: str | None) -> SignInFailure:
    """Count one attempt before its secret is checked, and return its row: it stays as the failure
    if the attempt fails; a success clears the account's rows (`clear_failures`), a check that
    turns out not to be a failure gives it back (`release_attempt`).

    Why a row first: checking an Argon2 hash takes a fraction of a second, and attempts that each
    counted the failures before any had recorded one all went ahead (6 checks out of 40 parallel
    tries on SQLite). Each row is committed before the count that includes it, so of the attempts
    that go ahead the N+1-th always counts N+1 rows and is refused; a refused attempt takes its
    row back, so hammering a locked account does not lengthen the lock. Safe under autocommit
    only: inside an outer transaction the row would not be visible to other attempts."""
    ensure_not_locked(account_key, rule)
    claim = SignInFailure.objects.create(account_key=account_key, ip=ip, at=timezone.now())
    window = datetime.timedelta(minutes=rule.minutes)
    counted = SignInFailure.objects.filter(account_key=account_key, at__gt=claim.at - window)
    if counted.count() > rule.attempts:
        release_attempt(claim)
        raise _locked(rule.minutes * 60)
    return claim


def release_attempt(claim: SignInFailure) -> None:
    """The claimed attempt was not a failure after all (a right name, a replayed one-time code)."""
    SignInFailure.objects.filter(pk=claim.pk).delete()


def attempts_left(account_key: str, rule: LockoutRule) -> int:
    """How many more failures the account can take before it locks (counted over the window)."""
    since = timezone.now() - datetime.timedelta(minutes=rule.minutes)
    recent = SignInFailure.objects.filter(account_key=account_key, at__gt=since).count()
    return max(0, rule.attempts - recent)


def record_failure(account_key: str, *, ip: str | None) -> None:
    SignInFailure.objects.create(account_key=account_key, ip=ip, at=timezone.now())


def clear_failures(account_key: str) -> None:
    SignInFailure.objects.filter(account_key=account_key).delete()
