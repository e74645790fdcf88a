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


def identity_fields(facts: IdentityFacts, *, known_hash: str = "") -> dict[str, object]:
    """The stored fields of an ID type and number, and what the number tells (birth date, gender);
    known_hash is id_hash(facts.number) when the caller has it already."""
    fields: dict[str, object] = {
        "id_type": facts.id_type,
        "id_number_encrypted": encrypt(facts.number),
        "id_number_hash": known_hash or id_hash(facts.number),
        "id_number_masked": mask_id_number(facts.number),
    }
    if facts.birth_date:
        fields["birth_date"] = facts.birth_date
    if facts.gender:
        fields["gender"] = facts.gender
    return fields


def mobile_fields(mobile: str, *, known_hash: str | None = None) -> dict[str, str]:
    return {
        "mobile_encrypted": encrypt(mobile),
        "mobile_hash": known_hash or mobile_hash(mobile),
        "mobile_masked": mask_mobile(mobile),
    }


def set_identity(person: Person, facts: IdentityFacts) -> None:
    """Set the ID type and number, and what the number tells (birth date, gender)."""
    for name, value in identity_fields(facts).items():
        setattr(person, name, value)


def set_mobile(person: Person, mobile: str) -> None:
    for name, value in mobile_fields(mobile).items():
        setattr(person, name, value)


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
