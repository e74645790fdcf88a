"""The one error type for broken rules; the API and the pages render it, nothing else invents one."""

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A rule was not met. `message` is shown to the person as written (Chinese)."""

    status = 400

    def __init__(self, code: str, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields or {}


class NotFoundError(DomainError):
    status = 404  # also for records outside a reviewer's jurisdiction


class ForbiddenError(DomainError):
    status = 403  # seen but not theirs to act on (the sending department of a transfer)


class ConflictError(DomainError):
    status = 409  # duplicate, stale version, wrong state


class PayloadTooLargeError(DomainError):
    status = 413  # an upload over the size refused before reading it


class RateLimitedError(DomainError):
    status = 429  # too many attempts; the answer carries Retry-After

    def __init__(self, code: str, message: str, *, retry_after: int, fields: dict[str, list[str]] | None = None):
        super().__init__(code, message, fields=fields)
        self.retry_after = max(1, int(retry_after))


class FieldChecks:
    """Runs several checks and reports every bad field at once, so a person fixes all in one go:

    checks = FieldChecks()
    name = checks.run(check_name, raw_name)
    mobile = checks.run(normalise_mobile, raw_mobile)
    checks.raise_if_any()
    """

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def run(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return check(*args, **kwargs)
        except DomainError as exc:
            self.errors.append(exc)
            return None

    def add(self, field: str, message: str) -> None:
        self.errors.append(DomainError("invalid", message, fields={field: [message]}))

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainError("invalid", "请检查标出的内容", fields=merge_field_errors(*self.errors))


def merge_field_errors(*errors: DomainError) -> dict[str, list[str]]:
    """All the bad fields of several checks, so a person sees every problem at once."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        for key, messages in error.fields.items():
            fields.setdefault(key, []).extend(messages)
    return fields
