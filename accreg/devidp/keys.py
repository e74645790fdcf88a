"""The development provider's signing key and client secret, generated once into DATA_DIR and read by
both processes: the provider signs with the key, the site authenticates with the secret."""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "accreg-dev"


def _private_file(path: Path, make: bytes) -> bytes:
    if not path.exists():
        path.write_bytes(make)
        path.chmod(0o600)
    return path.read_bytes()


def signing_key_pem(data_dir: Path) -> str:
    path = data_dir / "dev-idp-key.pem"
    if path.exists():
        return path.read_text()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return _private_file(path, pem).decode()


def secret_in(data_dir: Path, name: str) -> str:
    return _private_file(data_dir / name, secrets.token_urlsafe(32).encode()).decode().strip()


def client_secret(data_dir: Path) -> str:
    return secret_in(data_dir, "dev-idp-client-secret")
