"""Brute-force protection for one account: N failed attempts within M minutes lock password
sign-in for M minutes (provinces/*.toml `sign_in.lockout_*`; staff: STAFF_LOCKOUT_*).

The failures are rows, not cache counters: shared by every server worker, exact over a sliding
window, and kept for the security record. Per-IP request limits are django-ratelimit's job
(accreg/accounts/limits.py).
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


def ensure_not_locked(account_key: str, rule: LockoutRule) -> None:
    """Raise 429 with the seconds left while the account is locked."""
    now = timezone.now()
    window = datetime.timedelta(minutes=rule.minutes)
    # The lock starts at the N-th failure within a window and lasts a window from then.
    failures = list(
        SignInFailure.objects.filter(account_key=account_key, at__gt=now - 2 * window)
        .order_by("-at")
        .values_list("at", flat=True)[: rule.attempts]
    )
    if len(failures) < rule.attempts:
        return
    latest, nth_back = failures[0], failures[rule.attempts - 1]
    if latest - nth_back < window and now < latest + window:
        retry_after = int((latest + window - now).total_seconds()) + 1
        minutes = max(1, (retry_after + 59) // 60)
        raise RateLimitedError(
            "account_locked",
            f"密码错误次数过多，账户已临时锁定，请{minutes}分钟后再试，或通过“忘记密码”重设密码",
            retry_after=retry_after,
        )


def attempts_left(account_key: str, rule: LockoutRule) -> int:
    """How many more failures the account can take before it locks (counted over the window)."""
    since = timezone.now() - datetime.timedelta(minutes=rule.minutes)
    recent = SignInFailure.objects.filter(account_key=account_key, at__gt=since).count()
    return max(0, rule.attempts - recent)


def record_failure(account_key: str, *, ip: str | None) -> None:
    SignInFailure.objects.create(account_key=account_key, ip=ip, at=timezone.now())


def clear_failures(account_key: str) -> None:
    SignInFailure.objects.filter(account_key=account_key).delete()
