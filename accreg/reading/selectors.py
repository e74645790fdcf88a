"""Reads over the readings of every person, for the duplicate guard (decision 0029)."""

from __future__ import annotations

from .fingerprint import is_blank_hash, near_hashes
from .models import Reading

# How far apart (bits of 64) two hashes of one image may be: resizing and recompressing to another
# province's rule moves a few bits at most; every hash within it is one probe of the phash index.
NEAR_DISTANCE = 1


def people_with_image(phash: str, *, besides: int, limit: int) -> list[int]:
    """The people other than `besides` who stored a picture with this hash or one within
    NEAR_DISTANCE bits of it: at most `limit` + 1 of them, enough to tell a common picture (a
    template, a blank page) from a rare one. A hash without content finds nobody."""
    if is_blank_hash(phash):
        return []
    rows = (
        Reading.objects.filter(phash__in=near_hashes(phash, distance=NEAR_DISTANCE))
        .exclude(person_id=besides)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    return list(rows[: limit + 1])
