"""Reading the record: its sections, and how complete each step is (第3步，共8步)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accreg.accounts.models import Person
from accreg.codelists.registry import code_list
from accreg.provinces.fields import EXTRA_STEPS, SECTIONS
from accreg.provinces.loader import all_profiles

from .models import Record
from .rules import OPTIONAL_SECTIONS, Context, check_section


def record_of(person: Person) -> Record:
    return Record.objects.get_or_create(person=person)[0]


def step_states(person: Person, record: Record) -> list[dict[str, Any]]:
    """Each step of the province in order, with its state: complete, incomplete (saved with fields
    missing), empty (not saved yet) or pending (steps built in a later capability)."""
    profile = all_profiles()[person.province]
    ctx = Context(profile, person, record.sections, timezone.localdate())
    steps = []
    for number, key in enumerate(profile.steps, start=1):
        title = profile.sections[key].title if key in profile.sections else EXTRA_STEPS[key]
        step: dict[str, Any] = {"number": number, "key": key, "title": title, "missing": {}}
        if key == "notice":
            step["state"] = "complete" if record.notice_accepted_at else "empty"
        elif key not in SECTIONS:
            step["state"] = "pending"  # TODO(#5): attachments and commitment come with uploads and submission
        elif key not in record.sections:
            step["state"] = "complete" if key in OPTIONAL_SECTIONS else "empty"
            if key not in OPTIONAL_SECTIONS:
                step["missing"] = check_section(key, {}, ctx).missing
        else:
            result = check_section(key, record.sections[key], ctx)
            step["missing"] = {**result.missing, **result.errors}
            step["state"] = "incomplete" if step["missing"] else "complete"
        steps.append(step)
    return steps


def record_view(person: Person) -> dict[str, Any]:
    """The whole record for the person themselves (GET /api/v1/me/record)."""
    profile = all_profiles()[person.province]
    record = record_of(person)
    return {
        "status": record.status,
        "version": record.version,
        "province": profile.code,
        "registration": {
            "name": person.name,
            "id_type": person.id_type,
            "id_type_label": code_list("id_types").label(person.id_type) or person.id_type,
            "id_number": person.id_number_masked,
            "mobile": person.mobile_masked,
        },
        "sections": record.sections,
        "steps": step_states(person, record),
        "rules": {
            "steps": list(profile.steps),
            "sections": {
                key: {"title": s.title, "required": list(s.required), "note": s.note}
                for key, s in profile.sections.items()
            },
            "employment_statuses": [s.model_dump(mode="json") for s in profile.employment_statuses],
            "validation": profile.validation.model_dump(mode="json"),
        },
    }
