"""The only place that decides which rows a staff member may see (管辖范围).

A staff member works in their department and every department below it; anything else looks the
same as something that does not exist. Reviewer queries in later apps go through `within_jurisdiction`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from accreg.accounts.models import Staff

M = TypeVar("M", bound=Model)


def within_jurisdiction(qs: QuerySet[M], staff: Staff, *, via: str = "department") -> QuerySet[M]:
    """Filter `qs` to the rows whose department (reached through `via`) is in the staff member's
    subtree. A superuser sees everything; a staff member without a department sees nothing."""
    if staff.is_superuser:
        return qs
    if staff.department_id is None or staff.department is None:
        return qs.none()
    prefix = f"{via}__" if via else ""
    return qs.filter(**{f"{prefix}path__startswith": staff.department.path})
