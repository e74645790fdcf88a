"""Finding people by their protected identifiers, and reading those identifiers back."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from .identity import IdentityFacts
from .models import Person
from .sensitive import decrypt, encrypt, lookup_hash, mask_id_number, mask_mobile

# People whose name the identity provider verified differently (Person.name_mismatch), for a
# staff page's filter: Person.objects.filter(NAME_MISMATCH).
NAME_MISMATCH = ~Q(verified_name="") & ~Q(verified_name=F("name"))


def id_hash(number: str) -> str:
    return lookup_hash("id", number)


def mobile_hash(mobile: str) -> str:
    return lookup_hash("mobile", mobile)


def person_by_id_number(number: str) -> Person | None:
    return Person.objects.filter(id_number_hash=id_hash(number)).first()


def person_by_mobile(mobile: str) -> Person | None:
    return Person.objects.filter(mobile_hash=mobile_hash(mobile)).first()


def set_identity(person: Person, facts: IdentityFacts) -> None:
    """Set the ID type and number, and what the number tells (birth date, gender)."""
    person.id_type = facts.id_type
    person.id_number_encrypted = encrypt(facts.number)
    person.id_number_hash = id_hash(facts.number)
    person.id_number_masked = mask_id_number(facts.number)
    if facts.birth_date:
        person.birth_date = facts.birth_date
    if facts.gender:
        person.gender = facts.gender


def set_mobile(person: Person, mobile: str) -> None:
    person.mobile_encrypted = encrypt(mobile)
    person.mobile_hash = mobile_hash(mobile)
    person.mobile_masked = mask_mobile(mobile)


def id_number_of(person: Person) -> str:
    """The whole ID number: only for the person themselves or an authorised, audited action."""
    return decrypt(person.id_number_encrypted)


def mobile_of(person: Person) -> str:
    return decrypt(person.mobile_encrypted) if person.mobile_encrypted else ""


def verified_name_note(person: Person) -> dict[str, str] | None:
    """For staff: the name the identity provider verified, when it differs from the account's."""
    if not person.name_mismatch:
        return None
    verified_at = timezone.localtime(person.verified_name_at) if person.verified_name_at else None
    return {
        "verified_name": person.verified_name,
        "account_name": person.name,
        "verified_at": verified_at.isoformat() if verified_at else "",
        "verified_local": verified_at.strftime("%Y-%m-%d %H:%M") if verified_at else "",
    }
