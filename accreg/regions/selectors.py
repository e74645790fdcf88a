"""Reads over divisions and departments: children of a division, the departments serving one."""

from __future__ import annotations

import time

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


def department_codes_serving(region_code: str) -> list[str]:
    """The codes of `departments_serving(region_code)`, in the same order, for the section save's
    check (every save of the work section asks, twice). A department's code is its division's code,
    so this is the division's ancestry filtered by the set of department codes, which each process
    keeps (`department_codes`) instead of asking the database (issue 16, bench/record_api_profile.py)."""
    codes = ancestry(region_code)
    if not codes:
        raise NotFoundError("unknown_region", f"没有代码为 {region_code} 的行政区划")
    known = department_codes()
    return [code for code in codes if code in known]


_department_codes: tuple[float, frozenset[str]] | None = None
DEPARTMENT_CODES_SECONDS = 60.0  # how soon another process's new department is seen here


def department_codes() -> frozenset[str]:
    """Every department's code (a few thousand), read at most once a minute per process, and at
    once after a department is created or deleted in this process (`forget_department_codes`)."""
    global _department_codes
    now = time.monotonic()
    if _department_codes is None or _department_codes[0] < now:
        codes = frozenset(Department.objects.values_list("code", flat=True))
        _department_codes = (now + DEPARTMENT_CODES_SECONDS, codes)
    return _department_codes[1]


def forget_department_codes(**kwargs: object) -> None:
    global _department_codes
    _department_codes = None


def department_subtree(department: Department) -> QuerySet[Department]:
    """The department and every department below it."""
    return Department.objects.filter(path__startswith=department.path)
