"""Storing, replacing, confirming and deleting a person's materials."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from accreg.accounts.models import Person
from accreg.collection.archive_prefill import archive_sections
from accreg.collection.models import Record, RecordStatus
from accreg.errors import ConflictError, DomainError, NotFoundError
from accreg.provinces.fields import MATERIAL_KINDS
from accreg.provinces.loader import all_profiles
from accreg.reading.services import start_reading

from .imaging import ImageRefused, process_image
from .models import Material
from .requirements import Requirement, material_requirements
from .thumbnails import delete_image, store_thumbnail

CLIENT_ORIGINAL_KEYS = ("width", "height", "bytes")


def _requirement(person: Person, record: Record, kind: str, item: int) -> Requirement:
    profile = all_profiles()[person.province]
    if kind not in profile.materials:
        raise NotFoundError("unknown_material", f"{profile.name}不需要“{MATERIAL_KINDS.get(kind, kind)}”")
    for requirement in material_requirements(profile, record.sections):
        if requirement.kind == kind and requirement.item == item:
            return requirement
    msg = "根据您填写的信息，不需要上传这项材料" if item == 0 else f"没有第{item + 1}条记录，请先填写该条信息"
    raise DomainError("material_not_needed", msg, fields={"file": [msg]})


def _editable_record(person: Person) -> Record:
    record, _ = Record.objects.select_for_update().get_or_create(
        person=person, defaults={"sections": archive_sections(person)}
    )
    if record.status in (RecordStatus.PENDING, RecordStatus.APPROVED):
        raise ConflictError("record_locked", "信息已提交，审核期间或审核通过后不能修改材料")
    return record


def _in_a_submission(record: Record, name: str) -> bool:
    """A file a submission's snapshot points at stays: the reviewer reads what was submitted."""
    return any(
        material.get("file") == name
        for snapshot in record.submissions.values_list("snapshot", flat=True)
        for material in snapshot.get("materials", [])
    )


def _client_original(reported: dict[str, object] | None) -> dict[str, int] | None:
    """What the phone says the picture was before it shrank it: shown to the person, never trusted
    for any rule (the server decides on the bytes it received)."""
    if not reported:
        return None
    try:
        values = {key: int(str(reported[key])) for key in CLIENT_ORIGINAL_KEYS}
    except (KeyError, TypeError, ValueError):
        return None
    return values if all(0 < v < 1_000_000_000 for v in values.values()) else None


def upload_material(
    person: Person,
    kind: str,
    *,
    item: int,
    data: bytes,
    upload_key: str = "",
    client_original: dict[str, object] | None = None,
) -> Material:
    """Fix the image to the province's rule and store it, replacing any earlier one (SPEC §4). An
    image the system changed waits for the person to look at it (`confirmed` false). Decoding runs
    outside the transaction; the row is locked only to store. The same `upload_key` again (a retry
    of an upload whose answer was lost) returns the material already stored."""
    upload_key = upload_key[:64]
    with transaction.atomic():
        record = _editable_record(person)
        requirement = _requirement(person, record, kind, item)
        if upload_key:
            done = Material.objects.filter(record=record, kind=kind, item=item, upload_key=upload_key).first()
            if done is not None:
                return done
    try:
        processed = process_image(data, requirement.image_rule())
    except ImageRefused as exc:
        raise DomainError("image_refused", str(exc), fields={"file": [str(exc)]}) from exc
    original: dict[str, object] = dict(processed.original)
    phone = _client_original(client_original)
    if phone:
        original["before_phone"] = phone
    with transaction.atomic():
        record = _editable_record(person)
        old = Material.objects.filter(record=record, kind=kind, item=item).first()
        if upload_key and old is not None and old.upload_key == upload_key:
            return old  # the same upload, stored by a request that finished while this one decoded
        name = f"{kind}-{item}-{uuid.uuid4().hex[:12]}.{'jpg' if processed.format == 'jpeg' else 'png'}"
        material = old or Material(record=record, kind=kind, item=item)
        old_file = old.file.name if old else None
        material.file.save(name, ContentFile(processed.content), save=False)
        storage = material.file.storage
        store_thumbnail(storage, material.file.name or name, processed.content)
        material.format, material.width, material.height = processed.format, processed.width, processed.height
        material.size, material.original, material.fixes = processed.size, original, list(processed.fixes)
        material.confirmed = not processed.fixes
        material.upload_key = upload_key
        material.save()
        start_reading(person, kind, item, material.file.name or name, dict(processed.facts), content=processed.content)
        if old_file and not _in_a_submission(record, old_file):
            transaction.on_commit(partial(delete_image, storage, old_file))
    return material


@transaction.atomic
def confirm_material(person: Person, kind: str, *, item: int) -> Material:
    """The person looked at the fixed image and accepts it."""
    record = _editable_record(person)
    material = Material.objects.filter(record=record, kind=kind, item=item).first()
    if material is None:
        raise NotFoundError("material_missing", "还没有上传这项材料")
    material.confirmed = True
    material.save(update_fields=["confirmed"])
    return material


@transaction.atomic
def delete_material(person: Person, kind: str, *, item: int) -> None:
    record = _editable_record(person)
    material = Material.objects.filter(record=record, kind=kind, item=item).first()
    if material is None:
        raise NotFoundError("material_missing", "还没有上传这项材料")
    storage, name = material.file.storage, material.file.name or ""
    material.delete()
    if name and not _in_a_submission(record, name):
        transaction.on_commit(partial(delete_image, storage, name))


def restore_materials(record: Record, materials: list[dict[str, Any]]) -> None:
    """Make the record's materials the ones of a snapshot again (a withdrawn change), in the
    caller's transaction. Files uploaded since, and referenced by no snapshot, are removed after commit."""
    stale = [name for name in record.materials.values_list("file", flat=True) if name]
    record.materials.all().delete()
    Material.objects.bulk_create(
        Material(
            record=record,
            kind=m["kind"],
            item=m["item"],
            file=m["file"],
            format=m["format"],
            width=m["width"],
            height=m["height"],
            size=m["bytes"],
        )
        for m in materials
    )
    kept = {m["file"] for m in materials}
    storage = Material._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in stale:
        if name not in kept and not _in_a_submission(record, name):
            transaction.on_commit(partial(delete_image, storage, name))
