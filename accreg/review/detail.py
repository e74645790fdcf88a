"""One submission as the reviewer reads it: the snapshot section by section, its images, what
changed since the submission before it (flagged fields first), and the ID number masked unless
revealed, which is audited."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils import timezone

from accreg.accounts.models import Staff
from accreg.accounts.people import id_number_of, verified_name_note
from accreg.audit.services import log_event
from accreg.collection.display import changed_field, section_rows
from accreg.collection.models import Submission
from accreg.errors import NotFoundError
from accreg.provinces.fields import MATERIAL_KINDS
from accreg.provinces.loader import all_profiles
from accreg.provinces.schema import Province
from accreg.reading.checks import reading_out, subject_of
from accreg.reading.services import readings_by_file

from .duplicates import submission_duplicates
from .escalation import escalation_labels
from .queue import queue_item, reviewable, visible


def reviewable_submission(staff: Staff, submission_id: int) -> Submission:
    """The submission if the staff member may read it (their subtree, or a transfer out of it);
    otherwise it does not exist (404)."""
    found = (
        visible(staff)
        .select_related(
            "department", "record__person", "decided_by", "request__from_department", "request__to_department"
        )
        .filter(pk=submission_id)
    )
    submission = found.first()
    if submission is None:
        raise NotFoundError("not_found", "没有这条报送，或不在您的管辖范围内")
    return submission


def material_url(submission: Submission, kind: str, item: int) -> str:
    return f"/api/v1/review/submissions/{submission.pk}/materials/{kind}?item={item}"


def flat(sections: dict[str, Any]) -> dict[str, Any]:
    """Every value of the record by its field key: "work.unit_name", "qualifications.0.level"."""
    values: dict[str, Any] = {}
    for section, data in sections.items():
        if isinstance(data, list):
            for index, item in enumerate(data):
                values.update({f"{section}.{index}.{k}": v for k, v in item.items()})
        elif section == "education":
            for part, item in data.items():
                values.update({f"{section}.{part}.{k}": v for k, v in item.items()})
        else:
            values.update({f"{section}.{k}": v for k, v in data.items()})
    return values


def changes_since(
    previous: Submission | None, current: Submission, *, flagged_by: Submission | None = None
) -> list[dict[str, Any]]:
    """What differs from `previous` (the returned submission, or for a change the archive): each
    field whose value differs, and each material replaced, added or removed, with both images'
    addresses; the fields the last return flagged come first."""
    if previous is None:
        return []
    flagged_by = flagged_by or previous
    old, new = flat(previous.snapshot["sections"]), flat(current.snapshot["sections"])
    changed = [
        {"field": key, "old": old.get(key), "new": new.get(key)}
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    ]
    old_files = {(m["kind"], m["item"]): m["file"] for m in previous.snapshot.get("materials", [])}
    new_files = {(m["kind"], m["item"]): m["file"] for m in current.snapshot.get("materials", [])}
    for kind, item in sorted(set(old_files) | set(new_files)):
        if old_files.get((kind, item)) != new_files.get((kind, item)):
            changed.append(
                {
                    "field": f"material:{kind}",
                    "item": item,
                    "old": old_files.get((kind, item)),
                    "new": new_files.get((kind, item)),
                    "kind": kind,
                    "old_submission": previous.pk if (kind, item) in old_files else None,
                    "new_submission": current.pk if (kind, item) in new_files else None,
                    "old_url": material_url(previous, kind, item) if (kind, item) in old_files else None,
                    "new_url": material_url(current, kind, item) if (kind, item) in new_files else None,
                }
            )
    flagged = {f["field"] for f in flagged_by.fields}
    for change in changed:
        key = str(change["field"])
        change["flagged"] = key in flagged or _section_key(key) in flagged
    return sorted(changed, key=lambda c: not c["flagged"])


def _section_key(field: str) -> str:
    """qualifications.0.level → qualifications.level, as a reviewer may flag it."""
    parts = field.split(".")
    return f"{parts[0]}.{parts[-1]}" if len(parts) == 3 and parts[1].isdigit() else field


# The record's field each check is about, by the material's kind (issue 17 item 3): the name and
# ID number are the registration's; a certificate number is the one typed for that item. Checks
# not listed (the photo's face and background, the ID card's validity) are shown on the material.
CHECKED_FIELDS: dict[str, dict[str, str]] = {
    "id_front": {"id_name": "name", "id_number": "id_number"},
    "full_time_education": {"certificate_number": "education.full_time.certificate_number"},
    "part_time_education": {"certificate_number": "education.part_time.certificate_number"},
    "qualification": {"certificate_number": "qualifications.{item}.certificate_number"},
}


def field_readings(materials: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The reading beside each field it concerns, by field key ("name", "id_number",
    "qualifications.0.certificate_number"): `{"state", "checks"}` with that field's checks; a
    reading still pending or failed is there too (识别中, 未能识别), with no checks."""
    shown: dict[str, dict[str, Any]] = {}
    for material in materials:
        reading = material.get("reading")
        if not reading:
            continue
        for key, field in CHECKED_FIELDS.get(material["kind"], {}).items():
            checks = [c for c in reading["checks"] if c["key"] == key]
            if reading["state"] != "done" or checks:
                shown[field.format(item=material["item"])] = {"state": reading["state"], "checks": checks}
    return shown


def submission_detail(staff: Staff, submission_id: int) -> dict[str, Any]:
    submission = reviewable_submission(staff, submission_id)
    person = submission.record.person
    profile = all_profiles()[person.province]
    earlier = submission.record.submissions.filter(submitted_at__lt=submission.submitted_at, status="returned")
    if submission.request_id:
        earlier = earlier.filter(request_id=submission.request_id)
    previous = earlier.order_by("-submitted_at").first()
    # A change is read against the archive it started from; a resubmission against its return.
    base = submission.request.base if submission.kind == "change" and submission.request else previous
    sections = submission.snapshot["sections"]
    readings = readings_by_file(m.get("file") or "" for m in submission.snapshot.get("materials", []))
    subject = subject_of(person, sections)
    today = timezone.localdate()
    materials = [
        {
            **{k: m[k] for k in ("kind", "item", "format", "width", "height", "bytes")},
            "label": material_label(profile, m["kind"]),
            "url": material_url(submission, m["kind"], m["item"]),
            "reading": reading_out(readings.get(m.get("file") or ""), subject),
        }
        for m in sorted(submission.snapshot.get("materials", []), key=lambda m: _material_order(profile, m))
    ]
    beside = field_readings(materials)
    detail = queue_item(submission, today)
    detail["escalated_to"] = escalation_labels([submission], today).get(submission.pk, "")
    detail.update(
        {
            "registration": submission.snapshot["registration"],
            "sections": sections,
            "shown": {
                key: {
                    "title": profile.sections[key].title,
                    "groups": [
                        [{**row.__dict__, "reading": beside.get(f"{key}.{row.key}")} for row in group]
                        for group in section_rows(key, sections.get(key), profile)
                    ],
                }
                for key in profile.section_steps
            },
            "materials": materials,
            "field_readings": beside,
            "reason": submission.reason,
            "fields": submission.fields,
            "decided_at": submission.decided_at.isoformat() if submission.decided_at else None,
            "decided_local": timezone.localtime(submission.decided_at).strftime("%Y-%m-%d %H:%M")
            if submission.decided_at
            else "",
            "decided_by": submission.decided_by.get_full_name() or submission.decided_by.username
            if submission.decided_by
            else None,
            "previous": {"id": previous.pk, "reason": previous.reason, "fields": previous.fields} if previous else None,
            "changes": [{**c, **_shown(c, profile)} for c in changes_since(base, submission, flagged_by=previous)],
            "compared_with": "archive" if base is not None and base is not previous else "returned",
            "read_only": not reviewable(staff).filter(pk=submission.pk).exists(),
            "name_mismatch": verified_name_note(person),
            "duplicates": submission_duplicates(
                staff, submission, profile=profile, readings=readings, material_label=partial(material_label, profile)
            ),
        }
    )
    return detail


def material_label(profile: Province, kind: str) -> str:
    """The material's name as the person's province file writes it (`[materials.X] label`, as the
    portal shows it), else the generic name of the kind."""
    rule = profile.materials.get(kind)
    return (rule.label if rule else "") or MATERIAL_KINDS.get(kind, kind)


def _shown(change: dict[str, Any], profile: Province) -> dict[str, str]:
    field = str(change["field"])
    if field.startswith("material:"):
        label = material_label(profile, field.removeprefix("material:"))
        item = change.get("item") or 0
        return {"label": f"{label}（第{item + 1}条）" if item else label, "old_shown": "", "new_shown": ""}
    return changed_field(field, change["old"], change["new"], profile)


def _material_order(profile: Any, material: dict[str, Any]) -> tuple[int, int]:
    """The province file's order (photo, ID card, certificates …), then the record item."""
    kinds = list(profile.materials)
    return (kinds.index(material["kind"]) if material["kind"] in kinds else len(kinds), material["item"])


def reveal_id_number(staff: Staff, submission_id: int, *, ip: str | None) -> str:
    """The full ID number, for checking it against the ID card image; every reveal is audited."""
    submission = reviewable_submission(staff, submission_id)
    person = submission.record.person
    log_event(f"staff:{staff.pk}", "review.id_revealed", target=f"person:{person.pk}", ip=ip, submission=submission.pk)
    return id_number_of(person)


def snapshot_file(staff: Staff, submission_id: int, kind: str, item: int) -> FileResponse:
    """The image as it was submitted, for the reviewer only (never cached by anyone else)."""
    material = snapshot_material(staff, submission_id, kind, item)
    if not default_storage.exists(material["file"]):
        raise NotFoundError("material_missing", "材料文件不存在")
    response = FileResponse(default_storage.open(material["file"], "rb"), content_type=f"image/{material['format']}")
    response["Cache-Control"] = "private, no-store"
    return response


def snapshot_material(staff: Staff, submission_id: int, kind: str, item: int) -> dict[str, Any]:
    submission = reviewable_submission(staff, submission_id)
    for material in submission.snapshot.get("materials", []):
        if material["kind"] == kind and material["item"] == item:
            return material
    raise NotFoundError("material_missing", "这次报送没有这项材料")
