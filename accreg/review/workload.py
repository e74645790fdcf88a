"""The department's review workload (审核工作量), for the leader who shares the queue out: per
reviewer, decisions in a period, decided per working day, median working days from submission
to decision, and the items overdue now in what the reviewer answers for. Every row is read
through the reviewer's own door (`reviewable`, `within_jurisdiction`)."""

from __future__ import annotations

import datetime
import statistics as stats
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from accreg.accounts.models import Staff, StaffRole
from accreg.collection.working_days import working_days_between
from accreg.regions.jurisdiction import subtree_codes, within_jurisdiction
from accreg.regions.models import Department

from .queue import reviewable

DEFAULT_DAYS = 30  # the workload's period when none is asked: the last thirty days
ROW_CAP = 200_000  # decisions read for one table: a province's month holds fewer


@dataclass(frozen=True)
class Period:
    """A date range on one of the two dates of a submission: 提交时间 or 审核时间 (inclusive)."""

    basis: str = "submitted"  # "submitted" or "decided"
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None

    def lookup(self) -> Q:
        field = "decided_at" if self.basis == "decided" else "submitted_at"
        found = Q()
        if self.start:
            found &= Q(**{f"{field}__date__gte": self.start})
        if self.end:
            found &= Q(**{f"{field}__date__lte": self.end})
        return found


@dataclass(frozen=True)
class ReviewerLoad:
    name: str
    department: str
    decided: int
    approved: int
    returned: int
    per_day: float
    median_days: float | None
    overdue_now: int


def workload_period(period: Period, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The decisions counted: those made in the asked 审核时间 range, else the last thirty days."""
    if period.basis == "decided" and period.bounded:
        end = period.end or today
        return period.start or end - datetime.timedelta(days=DEFAULT_DAYS - 1), end
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


def overdue_now(staff: Staff, department: Department | None, *, today: datetime.date | None = None) -> int:
    """Items waiting past their 应办结 date in the subtree (SPEC §5 service level)."""
    today = today or timezone.localdate()
    qs = reviewable(staff).filter(status="pending", latest=True, due_by__lt=today)
    return qs.filter(department_id__in=subtree_codes(department)).count() if department else qs.count()


def _overdue_by_path(staff: Staff, today: datetime.date) -> dict[str, int]:
    """Overdue items per department path, in one grouped query (a province has hundreds of reviewers)."""
    overdue = reviewable(staff).filter(status="pending", latest=True, due_by__lt=today)
    grouped = overdue.order_by().values_list("department_id").annotate(n=Count("pk"))
    counts = dict(grouped.values_list("department_id", "n"))
    paths = dict(Department.objects.filter(code__in=counts).values_list("code", "path"))
    return {paths[code]: n for code, n in counts.items()}


def workload(staff: Staff, department: Department | None, period: Period) -> list[ReviewerLoad]:
    """One row per reviewer who decided items of the subtree in the period, and per reviewer of
    the subtree who decided none; busiest first."""
    today = timezone.localdate()
    start, end = workload_period(period, today)
    decisions = reviewable(staff).filter(
        decided_by__isnull=False, decided_at__date__gte=start, decided_at__date__lte=end
    )
    if department is not None:
        decisions = decisions.filter(department_id__in=subtree_codes(department))
    rows = decisions.order_by().values_list("decided_by_id", "status", "submitted_at", "decided_at")[:ROW_CAP]
    by_reviewer: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for who, status, submitted, decided in rows:
        days = working_days_between(timezone.localtime(submitted).date(), timezone.localtime(decided).date())
        by_reviewer[who].append((status, days))
    people = within_jurisdiction(
        Staff.objects.filter(is_active=True, role__in=[StaffRole.REVIEWER, StaffRole.LEADER]), staff
    )
    if department is not None:
        people = people.filter(department_id__in=subtree_codes(department))
    if not staff.sees_everyones_workload:  # a reviewer's own row only
        people = people.filter(pk=staff.pk)
        by_reviewer = defaultdict(list, {pk: done for pk, done in by_reviewer.items() if pk == staff.pk})
    reviewers = {
        s.pk: s
        for s in Staff.objects.select_related("department").filter(Q(pk__in=people) | Q(pk__in=list(by_reviewer)))
    }
    working = max(1, working_days_between(start - datetime.timedelta(days=1), end))
    late = _overdue_by_path(staff, today)
    loads = []
    for pk, reviewer in reviewers.items():
        done = by_reviewer.get(pk, [])
        loads.append(
            ReviewerLoad(
                name=reviewer.get_full_name() or reviewer.username,
                department=reviewer.department.name if reviewer.department else "全部部门",
                decided=len(done),
                approved=sum(1 for status, _ in done if status == "approved"),
                returned=sum(1 for status, _ in done if status == "returned"),
                per_day=round(len(done) / working, 1),
                median_days=round(float(stats.median(d for _, d in done)), 1) if done else None,
                overdue_now=sum(n for path, n in late.items() if path.startswith(reviewer.department.path))
                if reviewer.department
                else 0,
            )
        )
    return sorted(loads, key=lambda load: (-load.decided, load.name))
