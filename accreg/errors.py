"""The one error type for broken rules; the API and the pages render it, nothing else invents one."""


class DomainError(Exception):
    """A rule was not met. `message` is shown to the person as written (Chinese)."""

    status = 400

    def __init__(self, code: str, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields or {}


class NotFoundError(DomainError):
    status = 404  # also for records outside a reviewer's jurisdiction


class ConflictError(DomainError):
    status = 409  # duplicate, stale version, wrong state


class RateLimitedError(DomainError):
    status = 429  # too many attempts; the answer carries Retry-After

    def __init__(
        self, code: str, message: str, *, retry_after: int, fields: dict[str, list[str]] | None = None
    ):
        super().__init__(code, message, fields=fields)
        self.retry_after = max(1, int(retry_after))


def merge_field_errors(*errors: DomainError) -> dict[str, list[str]]:
    """All the bad fields of several checks, so a person sees every problem at once."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        for key, messages in error.fields.items():
            fields.setdefault(key, []).extend(messages)
    return fields
