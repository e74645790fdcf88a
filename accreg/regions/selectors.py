"""Reads over divisions and departments: children of a division, the departments serving one."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from accreg.errors import NotFoundError

from .models import Department, Region
from .tree import ancestry

COUNTRY = "000000"  # the pseudo-code whose children are the provinces (API.md)


def region_children(code: str) -> QuerySet[Region]:
    """The divisions directly under `code` (provinces for 000000), in code order, each annotated
    with `has_children`. Raises NotFoundError for a code that is not a division."""
    if code == COUNTRY:
        qs = Region.objects.filter(parent__isnull=True)
    else:
        if not Region.objects.filter(code=code).exists():
            raise NotFoundError("unknown_region", f"没有代码为 {code} 的行政区划")
        qs = Region.objects.filter(parent_id=code)
    return qs.annotate(has_children=Exists(Region.objects.filter(parent=OuterRef("pk")))).order_by("code")


def departments_serving(region_code: str) -> list[Department]:
    """会计管理部门 that serve a division, nearest first: the division's own bureau, then the bureaus
    above it (a city-level unit may be collected by the city bureau, LN 7). The first is the one the
    system proposes. Raises NotFoundError for an unknown division. One query."""
    codes = ancestry(region_code)
    if not codes:
        raise NotFoundError("unknown_region", f"没有代码为 {region_code} 的行政区划")
    departments = {d.region_id: d for d in Department.objects.filter(region_id__in=codes)}
    return [departments[code] for code in codes if code in departments]


def department_subtree(department: Department) -> QuerySet[Department]:
    """The department and every department below it."""
    return Department.objects.filter(path__startswith=department.path)
