"""The only place that decides which rows a staff member may see (管辖范围).

A staff member works in their department and every department below it; anything else looks the
same as something that does not exist. Reviewer queries go through `within_jurisdiction`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from accreg.accounts.models import Staff

    from .models import Department

M = TypeVar("M", bound=Model)


def subtree_codes(department: Department) -> list[str]:
    """The codes of a department and every department below it (a few hundred at most)."""
    from .models import Department

    return list(Department.objects.filter(path__startswith=department.path).values_list("code", flat=True))


def within_jurisdiction(qs: QuerySet[M], staff: Staff, *, via: str = "department") -> QuerySet[M]:
    """Filter `qs` to the rows whose department (reached through `via`) is in the staff member's
    subtree. A superuser sees everything; a staff member without a department sees nothing.

    Rows with a department foreign key are filtered by the subtree's codes, not by a join on the
    path, so the database can walk an index in the queue's order and stop after one page."""
    if staff.is_superuser:
        return qs
    if staff.department_id is None or staff.department is None:
        return qs.none()
    if not via:
        return qs.filter(path__startswith=staff.department.path)
    if via == "department":
        return qs.filter(department_id__in=subtree_codes(staff.department))
    return qs.filter(**{f"{via}__path__startswith": staff.department.path})


def people_within_jurisdiction(qs: QuerySet[M], staff: Staff, *, via: str = "") -> QuerySet[M]:
    """Filter `qs` (people, or rows reaching a person through `via`, e.g. "person") to the
    accountants whose desk is in the staff member's subtree (the department's desk, issue 15).

    A person's desk is, in this order: their department once one is assigned (approval, transfer,
    import); else the department their record was last submitted to; else the department their
    draft's work section names (proposed or chosen); else the province's bureau, so a person who
    has named no department yet belongs to the staff of the province level."""
    from django.db.models import Q

    from accreg.provinces.loader import profile_for_region

    if staff.is_superuser:
        return qs
    department = staff.department if staff.department_id else None
    if department is None:
        return qs.none()
    p = f"{via}__" if via else ""
    codes = subtree_codes(department)
    unassigned = Q(**{f"{p}department__isnull": True})
    unsubmitted = unassigned & Q(**{f"{p}record__department__isnull": True})
    seen = (
        Q(**{f"{p}department_id__in": codes})
        | (unassigned & Q(**{f"{p}record__department_id__in": codes}))
        | (unsubmitted & Q(**{f"{p}record__sections__work__department__in": codes}))
    )
    if department.parent_id is None:
        profile = profile_for_region(department.code)
        if profile is not None:
            named_none = Q(**{f"{p}record__isnull": True}) | ~Q(**{f"{p}record__sections__has_key": "work"})
            named_none |= Q(**{f"{p}record__sections__work__department__isnull": True})
            named_none |= Q(**{f"{p}record__sections__work__department": ""})
            seen |= unsubmitted & Q(**{f"{p}province": profile.code}) & named_none
    return qs.filter(seen)
