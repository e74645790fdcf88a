"""Bearer-token authentication for accountants and staff (API.md: `Authorization: Bearer <token>`)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja.security import HttpBearer

from accreg.accounts.models import Person
from accreg.accounts.services.tokens import token_holder


class TokenAuth(HttpBearer):
    """A valid token of the given holder: sets request.person or request.staff, and request.raw_token."""

    def __init__(self, holder: Literal["person", "staff", "any"]):
        super().__init__()
        self.holder = holder

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        who = token_holder(token, self.holder)
        if who is None:
            return None
        kind = "person" if isinstance(who, Person) else "staff"
        if self.holder not in ("any", kind):
            return None
        setattr(request, kind, who)
        request.raw_token = token  # type: ignore[attr-defined]
        return who


PersonToken = TokenAuth("person")
StaffToken = TokenAuth("staff")
AnyToken = TokenAuth("any")
