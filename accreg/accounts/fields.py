"""Model fields for secrets kept encrypted at rest (docs/decisions/0008, 0021)."""

from __future__ import annotations

import json
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


class EncryptedJSONField(EncryptedTextField):
    """A JSON object the code reads in plain but the database holds only as Fernet ciphertext:
    what OCR read off an ID card (its number, the holder's address) is sensitive personal
    information, kept like the ID numbers themselves (decision 0008). Randomised: the column
    cannot be filtered on. An empty column reads as {}."""

    _pyi_private_set_type: Any  # for django-stubs: a dict goes in and comes out, not a str
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return json.loads(decrypt(value)) if value else {}

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))
