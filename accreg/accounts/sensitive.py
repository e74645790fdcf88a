"""Protection of ID numbers and mobiles (敏感个人信息): encrypted at rest, found by a keyed hash,
masked on screens. Keys come from the environment (docs/decisions/0008)."""

from __future__ import annotations

import hmac
import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    # The first key encrypts; every key decrypts, so keys can be rotated without downtime.
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def seal(data: dict[str, str]) -> str:
    """Ciphertext of a small object of personal data that has to wait somewhere stored in plain,
    such as a session between two steps of a page (django_session is not encrypted)."""
    return encrypt(json.dumps(data, ensure_ascii=False))


def unseal(token: object, *, max_age: int) -> dict[str, str]:
    """What `seal` sealed, if it is at most max_age seconds old; {} if missing, altered or old."""
    if not isinstance(token, str) or not token:
        return {}
    try:
        data = json.loads(_fernet().decrypt(token.encode(), ttl=max_age))
    except (InvalidToken, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def lookup_hash(kind: str, value: str) -> str:
    """A keyed hash for lookup and uniqueness; without the key it reveals nothing, even for the
    small space of valid ID numbers."""
    message = f"{kind}:{value.upper()}".encode()
    return hmac.digest(settings.LOOKUP_HASH_KEY.encode(), message, "sha256").hex()


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
