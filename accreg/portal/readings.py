"""What the machine read off the person's materials, as the attachments and summary steps show it
(issue 17 item 3, decision 0028): each stored material's reading, and the failed checks still
standing on current materials. A check informs and never blocks submitting; the summary says so.
"""

from __future__ import annotations

from typing import Any

from accreg.collection.models import Record
from accreg.reading.checks import reading_out, subject_of
from accreg.reading.services import readings_by_file

WARNINGS_NOTE = "以上提示由系统自动识别得出，可能有误，不影响提交；但如确有不符，审核可能不予通过。"


def material_readings(record: Record) -> dict[tuple[str, int], dict[str, Any] | None]:
    """The `reading` (`{"state", "checks"}`, or None for a kind not read) of each stored material
    by (kind, item), checked against the saved record."""
    materials = list(record.materials.all())
    readings = readings_by_file(m.file.name or "" for m in materials)
    subject = subject_of(record.person, record.sections)
    return {(m.kind, m.item): reading_out(readings.get(m.file.name or ""), subject) for m in materials}


def shown_reading(reading: dict[str, Any] | None) -> dict[str, Any] | None:
    """The reading as a slot shows it: its state, the failed checks (warnings) and the passed ones."""
    if reading is None:
        return None
    checks = reading["checks"]
    return {
        "state": reading["state"],
        "warnings": [c["message"] for c in checks if not c["ok"]],
        "passed": [c["message"] for c in checks if c["ok"]],
    }
