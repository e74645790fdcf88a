"""Statistics for a department subtree (统计): counts by status, qualification level, education,
employment status and age band, over each person's record as last submitted there, optionally
for the people submitted or decided in a date range; and how many items are overdue now."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, Count, F, QuerySet, Value, When
from django.utils import timezone

from accreg.accounts.models import Staff
from accreg.collection.models import Record, Submission
from accreg.errors import NotFoundError
from accreg.regions.jurisdiction import subtree_codes, within_jurisdiction
from accreg.regions.models import Department

from .queue import reviewable
from .workload import Period, overdue_now


def escalated_to(staff: Staff, department: Department | None, *, today: datetime.date) -> QuerySet[Submission]:
    from .escalation import escalated_to as listed  # escalation reads through the queue's door

    return listed(staff, department, today=today)


AGE_BANDS = (
    (0, 30, "30岁以下"),
    (30, 40, "30-39岁"),
    (40, 50, "40-49岁"),
    (50, 60, "50-59岁"),
    (60, 200, "60岁及以上"),
)


def scoped_department(staff: Staff, code: str) -> Department | None:
    """The department asked for, if the staff member may see it; their own when none is asked."""
    if not code:
        return staff.department
    found = within_jurisdiction(Department.objects.filter(code=code), staff, via="").first()
    if found is None:
        raise NotFoundError("unknown_department", "没有这个部门，或不在您的管辖范围内")
    return found


def records_in(staff: Staff, department: Department | None) -> QuerySet[Record]:
    qs = within_jurisdiction(Record.objects.exclude(department=None), staff)
    if department is not None:
        qs = qs.filter(department_id__in=subtree_codes(department))
    return qs


def _counts(qs: QuerySet[Record], field: str) -> dict[str, int]:
    rows = qs.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n")
    return {key or "": n for key, n in rows}


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year without one
        return today.replace(year=today.year - years, day=28)


def _age_bands(qs: QuerySet[Record], today: datetime.date) -> dict[str, int]:
    bands: dict[str, int] = {label: 0 for _low, _high, label in AGE_BANDS}
    bands["未知"] = 0
    for low, high, label in AGE_BANDS:
        born_after = _years_ago(today, high) if high < 200 else datetime.date(1800, 1, 1)
        born_by = _years_ago(today, low)
        bands[label] = qs.filter(person__birth_date__gt=born_after, person__birth_date__lte=born_by).count()
    bands["未知"] = qs.filter(person__birth_date=None).count()
    return bands


def statistics(staff: Staff, department_code: str = "", *, period: Period | None = None) -> dict[str, Any]:
    """The counts of the subtree; with a period, over the people whose item (its latest
    submission) was submitted, or decided, between the two dates."""
    department = scoped_department(staff, department_code)
    qs = records_in(staff, department)
    if period is not None and period.bounded:
        qs = qs.filter(pk__in=reviewable(staff).filter(period.lookup(), latest=True).values("record_id"))
    today = timezone.localdate()
    return {
        "department": {"code": department.code, "name": department.name} if department else None,
        "overdue_now": overdue_now(staff, department, today=today),
        "escalated_now": escalated_to(staff, department, today=today).count(),
        "total": qs.count(),
        # A person with an approved archive counts as approved while a change of theirs is open.
        "by_status": _counts(
            qs.annotate(archived_status=Case(When(archive__isnull=False, then=Value("approved")), default=F("status"))),
            "archived_status",
        ),
        "by_qualification_level": _counts(qs, "qualification_level"),
        "by_education_level": _counts(qs, "education_level"),
        "by_employment": _counts(qs, "employment"),
        "by_age_band": _age_bands(qs, today),
    }
