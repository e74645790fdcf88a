"""Reading the record: its sections, and how complete each step is (第3步，共8步)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from django.db import connection
from django.utils import timezone

from accreg.accounts.models import Person
from accreg.codelists.registry import code_list
from accreg.plain_sql import fetch_one
from accreg.provinces.fields import EXTRA_STEPS
from accreg.provinces.loader import all_profiles

from .archive_prefill import archive_sections
from .clean_stamps import clean_sections
from .models import Record
from .rules import OPTIONAL_SECTIONS, Context, SectionResult, check_section


def record_of(person: Person, *, with_materials: bool = False) -> Record:
    """The person's record, created (from the archive for a legacy person) on first use. With
    `with_materials`, its materials' states come in the same statement, for a caller that shows
    the steps before anything else changes (they are not refreshed afterwards)."""
    annotations = material_states() if with_materials else None
    record = fetch_one(Record, "person_id = %s", [person.pk], annotations=annotations)
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
    stored_clean = replace(ctx, values_clean=True)
    clean = clean_sections(profile, record.sections, record.clean_stamps or {})
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
            result = checked.get(key) or check_section(key, record.sections[key], stored_clean if key in clean else ctx)
            step["missing"] = {**result.missing, **result.errors}
            step["state"] = "incomplete" if step["missing"] else "complete"
        steps.append(step)
    return steps


def material_states() -> dict[str, str]:
    """For `plain_sql.fetch_one(Record, ..., annotations=material_states())`: the record's
    materials as `[[kind, item, confirmed], ...]` in JSON, selected in the record's own statement
    (one round trip fewer for the record read and the section save, issue 16)."""
    from accreg.uploads.models import Material

    table, record = Material._meta.db_table, Record._meta.db_table
    if connection.vendor == "postgresql":
        rows = "COALESCE(json_agg(json_build_array(m.kind, m.item, m.confirmed)), '[]')::text"
    else:
        rows = "json_group_array(json_array(m.kind, m.item, m.confirmed))"
    return {"material_states": f"(SELECT {rows} FROM {table} m WHERE m.record_id = {record}.id)"}


def _confirmed_materials(record: Record) -> dict[tuple[str, int], bool]:
    """Each stored material of the record, and whether the person has confirmed it: from the
    record's own statement when it selected them (`material_states`), otherwise read now."""
    from accreg.uploads.models import Material

    selected = getattr(record, "material_states", None)
    if selected is not None:
        return {(kind, item): bool(ok) for kind, item, ok in json.loads(selected)}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, item, confirmed FROM {Material._meta.db_table} WHERE record_id = %s", [record.pk])
        return {(kind, item): bool(ok) for kind, item, ok in cursor.fetchall()}


def missing_materials(profile: Any, record: Record) -> dict[str, list[str]]:
    """Required materials not uploaded, or fixed by the system and not yet looked at."""
    from accreg.uploads.requirements import material_requirements

    confirmed = _confirmed_materials(record)
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
    record = record_of(person, with_materials=True)
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
        "rules": rules_view(profile),
    }


_rules_views: dict[str, tuple[Any, dict[str, Any]]] = {}


def rules_view(profile: Any) -> dict[str, Any]:
    """The rules a client needs to show the province's steps and forms (the `rules` key of the
    record). They change only with the rules file, so they are built once per loaded profile and
    rebuilt when the profiles are loaded again; callers must not change what they get."""
    cached = _rules_views.get(profile.code)
    if cached is not None and cached[0] is profile:
        return cached[1]
    rules = {
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
    }
    _rules_views[profile.code] = (profile, rules)
    return rules
