"""Per-IP request limits on the endpoints that take codes and passwords (django-ratelimit).

Account lock-out is a separate rule on the account itself (accreg/accounts/services/lockout.py).
"""

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from accreg.errors import RateLimitedError


def limit_by_ip(request: HttpRequest, group: str) -> None:
    """Count this request against the IP's limit for `group`; 429 with Retry-After beyond it."""
    usage = get_usage(
        request,
        group=group,
        key="ip",
        rate=settings.RATE_LIMITS[group],
        method=["POST", "DELETE"],
        increment=True,
    )
    if usage and usage["should_limit"]:
        raise RateLimitedError("too_many_requests", "操作过于频繁，请稍后再试", retry_after=usage["time_left"])
