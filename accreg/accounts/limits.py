"""Per-IP request limits on the endpoints that take codes and passwords (django-ratelimit).

Account lock-out is a separate rule on the account itself (accreg/accounts/services/lockout.py).
"""

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from accreg.audit.services import client_ip
from accreg.errors import RateLimitedError


def _client_key(group: str, request: HttpRequest) -> str:
    # Requests without an address (a unix socket, some proxies) share one bucket rather than fail.
    return client_ip(request) or "unknown"


def limit_by_ip(request: HttpRequest, group: str) -> None:
    """Count this request against the IP's limit for `group`; 429 with Retry-After beyond it."""
    usage = get_usage(
        request,
        group=group,
        key=_client_key,
        rate=settings.RATE_LIMITS[group],
        method=["POST", "DELETE"],
        increment=True,
    )
    if usage and usage["should_limit"]:
        raise RateLimitedError("too_many_requests", "操作过于频繁，请稍后再试", retry_after=usage["time_left"])
