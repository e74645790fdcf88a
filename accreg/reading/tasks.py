"""The background reading of ID cards and certificates (RapidOCR)."""

from __future__ import annotations

from django_tasks import task


@task()
def read_material(reading_id: int) -> None:
    """Read one stored material by OCR and store the facts. Not written yet (issue 17 item 2)."""
    raise NotImplementedError("issue 17 item 2")
