"""Protection of ID numbers and mobiles (敏感个人信息): encrypted at rest, found by a keyed hash,
masked on screens. Keys come from the environment (docs/decisions/0008)."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    # The first key encrypts; every key decrypts, so keys can be rotated without downtime.
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def lookup_hash(kind: str, value: str) -> str:
    """A keyed hash for lookup and uniqueness; without the key it reveals nothing, even for the
    small space of valid ID numbers."""
    message = f"{kind}:{value.upper()}".encode()
    return hmac.new(settings.LOOKUP_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()


def mask_id_number(number: str) -> str:
    """410***********1234: the first three and last four characters stay visible."""
    if len(number) <= 7:
        return number[:1] + "*" * (len(number) - 1)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_mobile(mobile: str) -> str:
    """138****5678."""
    if len(mobile) < 8:
        return "*" * len(mobile)
    return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]
