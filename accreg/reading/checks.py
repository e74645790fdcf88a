"""Checks worked out from a reading's facts against the record, for the person and the reviewer.

A check informs; it never blocks a submission by itself (OCR can be wrong). Each kind of material
has its own function; the keys are fixed by issue 17: `face`, `background` (photo); `id_name`,
`id_number` (ID front); `id_valid` (ID back); `certificate_number` (certificates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from .models import Reading, ReadingState


@dataclass(frozen=True)
class Check:
    key: str
    ok: bool
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Subject:
    """What the material is checked against: the registered name and full ID number, and the
    record's sections (the saved record for the person, the snapshot for the reviewer)."""

    name: str
    id_number: str
    sections: dict[str, Any]


CheckFunction = Callable[[Reading, Subject], list[Check]]

# kind → its checks; filled in by the modules that read each kind (photo, ID card, certificates).
CHECKS: dict[str, CheckFunction] = {}


def checks_for(reading: Reading, subject: Subject) -> list[Check]:
    if reading.state != ReadingState.DONE:
        return []
    function = CHECKS.get(reading.kind)
    return function(reading, subject) if function else []


def reading_out(reading: Reading | None, subject: Subject) -> dict[str, Any] | None:
    """The `reading` key of a material in the API and the reviewer's detail."""
    if reading is None:
        return None
    return {"state": reading.state, "checks": [c.as_dict() for c in checks_for(reading, subject)]}


def subject_of(person: Any, sections: dict[str, Any]) -> Subject:
    """The subject for `person` (an accounts.Person) with the given sections."""
    from accreg.accounts.people import id_number_of

    return Subject(name=person.name, id_number=id_number_of(person), sections=sections)
