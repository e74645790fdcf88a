"""Overdue items go up (超期上报): an item still waiting past its 应办结 date (the province's
`review.service_days`, in working days) is also listed for the department above its own, and
once it has waited that many working days more, for the one above that (county → city →
province). The item stays in its own department's queue; jurisdiction is unchanged, since the
levels above hold the item in their subtree already: escalation only puts it on their list."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from accreg.accounts.models import Staff
from accreg.collection.models import Submission
from accreg.collection.working_days import working_days_between
from accreg.provinces.loader import profile_for_region
from accreg.provinces.schema import Province
from accreg.regions.models import Department

from .provinces import reviewer_profiles
from .queue import reviewable


def second_step_by(profile: Province, today: datetime.date) -> datetime.date:
    """The latest 应办结 date whose item has waited another `service_days` working days beyond it
    by today: such an item goes up a second level."""
    day = today
    while working_days_between(day, today) <= profile.review.service_days:
        day -= datetime.timedelta(days=1)
    return day


def steps(submission: Submission, today: datetime.date) -> int:
    """How many levels up the item is listed: 0 on time, 1 overdue, 2 overdue by a service period more."""
    if submission.status != "pending" or today <= submission.due_by:
        return 0
    profile = profile_for_region(submission.department_id)
    return 2 if profile is not None and submission.due_by <= second_step_by(profile, today) else 1


def escalated_to(
    staff: Staff, department: Department | None = None, *, today: datetime.date | None = None
) -> QuerySet[Submission]:
    """The overdue items listed for a department (the staff member's own unless another of their
    subtree is named) as the level above: its child departments' overdue items and its
    grandchildren's twice-overdue ones, all within the staff member's subtree (`reviewable`).
    For a superuser without a department, every overdue item."""
    today = today or timezone.localdate()
    overdue = reviewable(staff).filter(status="pending", latest=True, due_by__lt=today)
    department = department or staff.department
    if department is None:
        return overdue
    twice = Q(pk__in=[])
    for profile in reviewer_profiles(staff):
        twice |= Q(department__code__startswith=profile.region[:2], due_by__lte=second_step_by(profile, today))
    here = department.code
    return overdue.filter(Q(department__parent_id=here) | (Q(department__parent__parent_id=here) & twice))


def escalation_labels(items: list[Submission], today: datetime.date) -> dict[int, str]:
    """ "已上报金水区…": for each overdue item of a page, the department it is listed for now
    (one query for the page's departments)."""
    up = {s.pk: steps(s, today) for s in items}
    codes = {s.department_id for s in items if up[s.pk]}
    if not codes:
        return {}
    departments = Department.objects.select_related("parent__parent").in_bulk(codes)
    labels = {}
    for s in items:
        target = departments[s.department_id] if up[s.pk] else None
        for _ in range(up[s.pk]):
            target = target.parent if target is not None and target.parent is not None else target
        if target is not None and target.code != s.department_id:
            labels[s.pk] = f"已上报{target.name}"
    return labels
