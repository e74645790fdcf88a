"""Identity verification before a password reset where the province asks for it (HN 2.1: name,
ID number and captcha, then a face check in the 豫事办 app). The external check is a pluggable
backend chosen by IDENTITY_VERIFIER; `DevelopmentVerifier` stands in for it on one machine."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.utils.module_loading import import_string

from .models import Person

LIFETIME_SECONDS = 600


@dataclass(frozen=True)
class Verification:
    id: str
    status: str  # "pending" | "passed" | "failed"
    person_id: int | None = None
    instructions: str = ""


class IdentityVerifier(Protocol):
    def start(self, person: Person) -> Verification:
        """Begin verifying that whoever is at the device is `person`."""

    def result(self, verification_id: str) -> Verification | None:
        """The verification's current state, or None when unknown or expired."""


class DevelopmentVerifier:
    """Passes at once: on one machine there is no face check to run. A real backend returns
    "pending" with instructions (a QR code to scan) and learns the outcome from the provider."""

    def start(self, person: Person) -> Verification:
        verification = Verification(secrets.token_urlsafe(16), "passed", person.pk, "开发环境：已模拟通过人脸核验")
        shared_cache.set(f"idv:{verification.id}", verification, LIFETIME_SECONDS)
        return verification

    def result(self, verification_id: str) -> Verification | None:
        return shared_cache.get(f"idv:{verification_id}")


@cache
def identity_verifier() -> IdentityVerifier:
    return import_string(settings.IDENTITY_VERIFIER)()
