"""Starting the reading of a stored material, and finding the readings of a list of files."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from accreg.accounts.models import Person

from .fingerprint import image_phash
from .models import Reading, ReadingState

# Kinds read by OCR in the background; the photo is read while it is fixed, at upload.
OCR_KINDS = frozenset(
    {
        "id_front",
        "id_back",
        "full_time_education",
        "full_time_degree",
        "part_time_education",
        "part_time_degree",
        "qualification",
    }
)


def start_reading(
    person: Person,
    kind: str,
    item: int,
    file: str,
    facts: dict[str, Any] | None = None,
    *,
    content: bytes | None = None,
) -> Reading:
    """Record what is known of a newly stored file: its perceptual hash (from `content`, the
    stored bytes), and `facts` found while fixing it (the photo's face and background), which make
    the reading done at once; a kind read by OCR waits for the worker, queued after the caller's
    transaction commits. Every stored file gets a reading (the duplicate guard needs its hash);
    a kind that is not read has no checks."""
    ocr = kind in OCR_KINDS
    reading, _ = Reading.objects.update_or_create(
        file=file,
        defaults={
            "person": person,
            "kind": kind,
            "item": item,
            "state": ReadingState.PENDING if ocr else ReadingState.DONE,
            "facts": facts or {},
            "read_at": None if ocr else timezone.now(),
            "phash": image_phash(content) if content else "",
            "error": "",
        },
    )
    if ocr:
        from .tasks import read_material

        transaction.on_commit(partial(read_material.enqueue, reading.pk))
    return reading


def readings_by_file(files: Iterable[str]) -> dict[str, Reading]:
    names = [name for name in files if name]
    return {r.file: r for r in Reading.objects.filter(file__in=names)} if names else {}
