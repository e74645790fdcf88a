"""The development provider's signing key and client secret, generated once into DATA_DIR."""

from __future__ import annotations

import secrets
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from joserfc.jwk import RSAKey

KEY_ID = "accreg-dev-1"


@cache
def signing_key() -> RSAKey:
    path = settings.DATA_DIR / "dev-idp-key.pem"
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    return RSAKey.import_key(path.read_bytes(), {"use": "sig", "kid": KEY_ID, "alg": "RS256"})


@cache
def dev_client_secret() -> str:
    path = settings.DATA_DIR / "dev-idp-client-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()
