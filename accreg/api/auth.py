"""Bearer-token authentication for accountants and staff (API.md: `Authorization: Bearer <token>`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from accreg.accounts.services.tokens import active_token


class PersonToken(HttpBearer):
    """An accountant's token; sets request.person."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = active_token(token)
        if found is None or found.person is None:
            return None
        request.person = found.person  # type: ignore[attr-defined]
        request.raw_token = token  # type: ignore[attr-defined]
        return found.person


class StaffToken(HttpBearer):
    """A reviewer's or administrator's token; sets request.staff."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = active_token(token)
        if found is None or found.staff is None or not found.staff.is_active:
            return None
        request.staff = found.staff  # type: ignore[attr-defined]
        request.raw_token = token  # type: ignore[attr-defined]
        return found.staff


class AnyToken(HttpBearer):
    """Either holder; for signing out."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = active_token(token)
        if found is None:
            return None
        request.raw_token = token  # type: ignore[attr-defined]
        return found.person or found.staff
