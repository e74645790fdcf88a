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


def rebuild() -> int:
    """Count everything again from the submissions (after a bulk load, or to check the counters)."""
    SubmissionCount.objects.all().delete()
    rows = Submission.objects.order_by().values("department_id", "status").annotate(total=Count("pk"))
    SubmissionCount.objects.bulk_create(
        SubmissionCount(department_id=r["department_id"], status=r["status"], n=r["total"]) for r in rows
    )
    return len(rows)
