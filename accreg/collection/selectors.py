"""Reading the record: its sections, and how complete each step is (第3步，共8步)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from accreg.accounts.models import Person
from accreg.codelists.registry import code_list
from accreg.plain_sql import fetch_one
from accreg.provinces.fields import EXTRA_STEPS
from accreg.provinces.loader import all_profiles

from .archive_prefill import archive_sections
from .models import Record
from .rules import OPTIONAL_SECTIONS, Context, SectionResult, check_section


def record_of(person: Person) -> Record:
    """The person's record, created (from the archive for a legacy person) on first use."""
    record = fetch_one(Record, "person_id = %s", [person.pk])
    if record is not None:
        return record
    return Record.objects.get_or_create(person=person, defaults={"sections": archive_sections(person)})[0]


def step_states(
    person: Person, record: Record, *, checked: dict[str, SectionResult] | None = None
) -> list[dict[str, Any]]:
    """Each step of the province in order, with its state: complete, incomplete (saved with fields
    missing), empty (not saved yet) or optional (a section nobody has to fill, not saved).
    `checked` holds sections the caller has just checked and stored as they are (the save's own
    result), which are not checked a second time."""
    checked = checked or {}
    profile = all_profiles()[person.province]
    ctx = Context(profile, person, record.sections, timezone.localdate())
    steps = []
    for number, key in enumerate(profile.steps, start=1):
        title = profile.sections[key].title if key in profile.sections else EXTRA_STEPS[key]
        step: dict[str, Any] = {"number": number, "key": key, "title": title, "missing": {}}
        if key == "notice":
            step["state"] = "complete" if record.notice_accepted_at else "empty"
        elif key == "attachments":
            step["missing"] = missing_materials(profile, record)
            step["state"] = "incomplete" if step["missing"] else "complete"
        elif key == "commitment":
            step["state"] = "complete" if record.status != "draft" else "empty"
        elif key not in record.sections:
            step["state"] = "optional" if key in OPTIONAL_SECTIONS else "empty"
            if key not in OPTIONAL_SECTIONS:
                step["missing"] = check_section(key, {}, ctx).missing
        else:
            result = checked.get(key) or check_section(key, record.sections[key], ctx)
            step["missing"] = {**result.missing, **result.errors}
            step["state"] = "incomplete" if step["missing"] else "complete"
        steps.append(step)
    return steps


def missing_materials(profile: Any, record: Record) -> dict[str, list[str]]:
    """Required materials not uploaded, or fixed by the system and not yet looked at."""
    from accreg.uploads.models import Material
    from accreg.uploads.requirements import material_requirements

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, item, confirmed FROM {Material._meta.db_table} WHERE record_id = %s", [record.pk])
        confirmed = {(kind, item): bool(ok) for kind, item, ok in cursor.fetchall()}
    missing: dict[str, list[str]] = {}
    for req in material_requirements(profile, record.sections):
        key = f"material:{req.kind}" + (f"#{req.item}" if req.item else "")
        stored = confirmed.get((req.kind, req.item))
        if req.required and stored is None:
            missing[key] = [f"请上传{req.label}"]
        elif stored is False:
            missing[key] = [f"请查看系统处理后的{req.label}并确认"]
    return missing


def _with_derived_facts(person: Person, sections: dict[str, Any]) -> dict[str, Any]:
    """The sections, with the gender and birth date a 居民身份证 number gives already in `personal`
    (never typed, so known from registration on, not only once the section is saved)."""
    derived = {"birth_date": person.birth_date.isoformat() if person.birth_date else None, "gender": person.gender}
    derived = {k: v for k, v in derived.items() if v}
    if not derived:
        return sections
    return {**sections, "personal": {**derived, **(sections.get("personal") or {})}}


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
        "sections": _with_derived_facts(person, record.sections),
        "steps": step_states(person, record),
        "rules": {
            "steps": list(profile.steps),
            "sections": {
                key: {"title": s.title, "required": list(s.required), "note": s.note, "labels": dict(s.labels)}
                for key, s in profile.sections.items()
            },
            "employment_statuses": [s.model_dump(mode="json") for s in profile.employment_statuses],
            "validation": profile.validation.model_dump(mode="json"),
            # The words a client shows for `status` and the commitment it asks to read (API values stay).
            "status_words": profile.status_words.model_dump(mode="json"),
            "commitment": profile.commitment.model_dump(mode="json", exclude={"source"}),
        },
    }
