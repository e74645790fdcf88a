"""Reads for the public portal: published notices, and the consultation directory (咨询电话, LN 12)
of a province's management departments grouped by city, from data only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accreg.provinces.schema import Province
from accreg.regions.models import Department

from .models import Notice, NoticeQuerySet


def published_notices(profile: Province, kind: str = "") -> NoticeQuerySet:
    notices = Notice.objects.published(profile.code)
    return notices.filter(kind=kind) if kind else notices


def directory(profile: Province, q: str = "") -> list[dict[str, Any]]:
    """Every department of the province, grouped by city (the province bureau first), each with
    the address and phone known from real sources or left empty; `q` searches names and addresses."""
    departments = Department.objects.filter(code__startswith=profile.region[:2]).select_related("parent")
    if q.strip():
        term = q.strip()
        departments = departments.filter(
            Q(name__contains=term) | Q(directory_name__contains=term) | Q(address__contains=term)
        )
    groups: dict[str, dict[str, Any]] = {}
    for d in departments.order_by("path"):
        if d.level == "province":
            city = d.name
        elif d.level == "city" or d.parent is None or d.parent.level == "province":
            city = d.name.removesuffix("财政局") if d.level == "city" else profile.name
        else:
            city = d.parent.name.removesuffix("财政局")
        groups.setdefault(city, {"city": city, "departments": []})["departments"].append(
            {"code": d.code, "name": d.directory_name or d.name, "address": d.address, "phone": d.phone}
        )
    return list(groups.values())
