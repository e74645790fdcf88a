"""The client's address when a proxy in front of the application forwards the request.

Behind nginx (deploy/serve), every request reaches gunicorn from nginx, so REMOTE_ADDR is nginx's
(empty on a Unix socket). Rate limits and audit records need the phone's own address: nginx puts it
in a header, and this middleware takes that header only from a proxy the settings trust. A client
that sends the header itself, straight to the application, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def forwarded_client_address(meta: dict[str, str], header: str, trusted: list[str]) -> str | None:
    """The address the trusted proxy saw, or None to keep REMOTE_ADDR as it is."""
    if not header or meta.get("REMOTE_ADDR", "") not in trusted:
        return None
    forwarded = meta.get("HTTP_" + header.upper().replace("-", "_"), "").strip()
    return forwarded or None


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.header = settings.TRUSTED_PROXY_HEADER
        self.trusted = settings.TRUSTED_PROXIES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = forwarded_client_address(request.META, self.header, self.trusted)
        if address:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
