"""Headers every page and API answer carries (issue 13, docs/decisions/0020).

- Cache-Control: `private, no-store` unless the view chose its own. Almost every answer is
  personal (a record, an ID number revealed, an export, the review console), so the rule is the
  default rather than something each view must remember; static files are served by WhiteNoise
  before this middleware and keep their long public caching.
- Content-Security-Policy: scripts and styles from this site only, no inline code, no plugins, no
  framing. The pages keep their scripts in static files; `<script type="application/json">` data
  blocks are not run and need no allowance.
- Permissions-Policy: the pages use no sensor, camera, microphone or payment API.
Both policies go on HTML answers only.
HSTS comes from Django's SecurityMiddleware (SECURE_HSTS_SECONDS), on HTTPS answers only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PRIVATE = "private, no-store"


def content_security_policy(path: str) -> str:
    """The policy for `path`: the strict one, or a page's own where settings name one by prefix."""
    for prefix, policy in settings.CONTENT_SECURITY_POLICY_BY_PATH.items():
        if path.startswith(prefix):
            return str(policy)
    return str(settings.CONTENT_SECURITY_POLICY)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = PRIVATE
        # The policies govern documents; on a PDF, an image or JSON they would only get in the way of
        # the browser's own viewers (Chromium's PDF viewer is a plugin, and object-src is 'none').
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", content_security_policy(request.path))
            response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
