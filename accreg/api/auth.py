"""Bearer-token authentication for accountants and staff (API.md: `Authorization: Bearer <token>`)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja.security import HttpBearer

from accreg.accounts.services.tokens import active_token


class TokenAuth(HttpBearer):
    """A valid token of the given holder: sets request.person or request.staff, and request.raw_token."""

    def __init__(self, holder: Literal["person", "staff", "any"]):
        super().__init__()
        self.holder = holder

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = active_token(token)
        if found is None or (found.staff is not None and not found.staff.is_active):
            return None
        who = found.person or found.staff
        if self.holder != "any" and getattr(found, self.holder) is None:
            return None
        setattr(request, "person" if found.person else "staff", who)
        request.raw_token = token  # type: ignore[attr-defined]
        return who


PersonToken = TokenAuth("person")
StaffToken = TokenAuth("staff")
AnyToken = TokenAuth("any")
