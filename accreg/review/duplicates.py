"""The duplicate guard (重复检测, issue 17 item 4, decision 0029): the same picture, or the same
certificate number, in another person's record anywhere in the deployment is shown to the reviewer.

The other person is named only by a link, and only when the reviewer may open them (a submission
`visible` to the reviewer, or a person `people_within_jurisdiction`); otherwise the flag says
"另一人的档案" and nothing else: no name, no province, no department."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accreg.accounts.models import Person, Staff
from accreg.collection.certificate_numbers import holders_of, stated_numbers
from accreg.collection.display import changed_field
from accreg.collection.models import Submission
from accreg.provinces.schema import Province
from accreg.reading.models import Reading
from accreg.reading.selectors import people_with_image
from accreg.regions.jurisdiction import people_within_jurisdiction

from .queue import visible

# A picture or number that more than this many other people also have is no signal of a copy
# (a template, a blank page, a placeholder number typed by many): it is not shown.
COMMON_PEOPLE = 3


def other_record_link(staff: Staff, person_id: int) -> str | None:
    """Where the reviewer may open the other person: their latest submission the reviewer may
    read, else their page at the department's desk when they are in the jurisdiction; else None."""
    latest = (
        visible(staff)
        .filter(record__person_id=person_id)
        .order_by("-submitted_at")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is not None:
        return f"/review/submissions/{latest}/"
    if people_within_jurisdiction(Person.objects.filter(pk=person_id), staff).exists():
        return f"/review/people/{person_id}/"
    return None


def submission_duplicates(
    staff: Staff,
    submission: Submission,
    *,
    profile: Province,
    readings: dict[str, Reading],
    material_label: Callable[[str], str],
) -> list[dict[str, Any]]:
    """Every duplicate of the submission's pictures and certificate numbers found in other people's
    records: [{"kind": "image"|"certificate_number", "material" or "field", "message", "link"}].
    `readings` are the snapshot's readings by file name. Reads only: a few index probes a material
    and a number, and one jurisdiction check for each other person found."""
    person = submission.record.person
    links: dict[int, str | None] = {}

    def link(person_id: int) -> str | None:
        if person_id not in links:
            links[person_id] = other_record_link(staff, person_id)
        return links[person_id]

    found: list[dict[str, Any]] = []
    for material in submission.snapshot.get("materials", []):
        reading = readings.get(material.get("file") or "")
        if reading is None or not reading.phash:
            continue
        others = people_with_image(reading.phash, besides=person.pk, limit=COMMON_PEOPLE)
        if len(others) > COMMON_PEOPLE:
            continue
        label = material_label(material["kind"])
        if material["item"]:
            label = f"{label}（第{material['item'] + 1}条）"
        found += [
            {
                "kind": "image",
                "material": material["kind"],
                "item": material["item"],
                "message": f"{label}：另一人的档案中有相同的图片",
                "link": link(other),
            }
            for other in others
        ]
    numbers = stated_numbers(submission.snapshot.get("sections") or {})
    holders = holders_of(list(numbers.values()), besides=person, limit=COMMON_PEOPLE)
    for field, number in numbers.items():
        others = holders.get(number, [])
        if len(others) > COMMON_PEOPLE:
            continue
        label = changed_field(field, None, None, profile)["label"]
        found += [
            {
                "kind": "certificate_number",
                "field": field,
                "message": f"{label}“{number}”：另一人的档案中填写了相同的证书编号",
                "link": link(other),
            }
            for other in others
        ]
    return found
