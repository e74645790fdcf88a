"""Keeping SubmissionCount in step: call inside the transaction that changes a submission's status."""

from __future__ import annotations

from django.db.models import Count, F

from .models import Submission, SubmissionCount


def moved(department_id: str, old: str | None, new: str | None) -> None:
    """One submission of the department went from `old` to `new` status (None: created or gone)."""
    if old:
        SubmissionCount.objects.filter(department_id=department_id, status=old).update(n=F("n") - 1)
    if new:
        updated = SubmissionCount.objects.filter(department_id=department_id, status=new).update(n=F("n") + 1)
        if not updated:
            SubmissionCount.objects.get_or_create(department_id=department_id, status=new)
            SubmissionCount.objects.filter(department_id=department_id, status=new).update(n=F("n") + 1)


def superseded(record_id: int, request_id: int | None) -> None:
    """The earlier submissions of the same item (the collection, or one change request) stop being
    counted and listed: a resubmission replaces them in the queue (their history stays readable)."""
    earlier = Submission.objects.filter(record_id=record_id, request_id=request_id, latest=True)
    for department_id, status in earlier.values_list("department_id", "status"):
        moved(department_id, status, None)
    earlier.update(latest=False)


def rebuild() -> int:
    """Count everything again from the submissions (after a bulk load, or to check the counters)."""
    SubmissionCount.objects.all().delete()
    latest = Submission.objects.filter(latest=True).order_by()
    rows = latest.values("department_id", "status").annotate(total=Count("pk"))
    SubmissionCount.objects.bulk_create(
        SubmissionCount(department_id=r["department_id"], status=r["status"], n=r["total"]) for r in rows
    )
    return len(rows)
