"""Writing audit events; call inside the transaction of the action being recorded."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the server saw it (a trusted proxy would set REMOTE_ADDR)."""
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def log_event(actor: str, action: str, *, target: str = "", ip: str | None = None, **details: Any) -> AuditEvent:
    """Append one audit event. `details` must never hold a full ID number, mobile or password."""
    return AuditEvent.objects.create(actor=actor, action=action, target=target, ip=ip, details=details)
