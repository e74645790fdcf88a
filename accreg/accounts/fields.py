"""Model fields for secrets kept encrypted at rest (docs/decisions/0008, 0021)."""

from __future__ import annotations

from typing import Any

from django.db import models

from .sensitive import decrypt, encrypt


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A secret the code reads in plain (a TOTP secret) but the database holds only as Fernet
    ciphertext with the keys of FIELD_ENCRYPTION_KEYS, so a copy of the database does not give
    away the second factor. Randomised: the column cannot be filtered on. Empty stays empty."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
