"""The public portal's reads (API.md "Public portal"): notices and the consultation directory."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.timezone import now
from ninja import Router

from accreg.errors import NotFoundError
from accreg.notices.models import Notice
from accreg.notices.selectors import directory, published_notices
from accreg.provinces.loader import served_profile, served_profiles
from accreg.provinces.schema import Province

from .schemas import errors

router = Router(tags=["公开信息"], auth=None)


def _portal(code: str) -> Province:
    profile = served_profile(code) if code else next(iter(served_profiles().values()))
    if profile is None:
        raise NotFoundError("unknown_province", f"未开通省份：{code}")
    return profile


@router.get("/notices", response={200: list[dict], **errors(400, 404)}, summary="通知公告与操作指南（最新在前）")
def list_notices(request: HttpRequest, province: str, kind: Literal["notice", "guide", ""] = "") -> list[dict]:
    return [
        {"id": n.pk, "title": n.title, "published_at": n.published_at.isoformat(), "kind": n.kind}
        for n in published_notices(_portal(province), kind)[:100]
    ]


@router.get("/notices/{notice_id}", response={200: dict, **errors(400, 404)}, summary="一条通知的正文")
def get_notice(request: HttpRequest, notice_id: int, province: str = "") -> dict[str, Any]:
    notices = Notice.objects.published(province) if province else Notice.objects.filter(published_at__lte=now())
    notice = notices.filter(pk=notice_id).first()
    if notice is None:
        raise NotFoundError("not_found", "没有这条通知，或尚未发布")
    return {
        "id": notice.pk,
        "title": notice.title,
        "body": notice.body,
        "kind": notice.kind,
        "province": notice.province,
        "published_at": notice.published_at.isoformat(),
    }


@router.get(
    "/directory",
    response={200: list[dict], **errors(400, 404)},
    summary="咨询电话：各会计管理部门的地址与电话，按市分组",
)
def get_directory(request: HttpRequest, province: str, q: str = "") -> list[dict[str, Any]]:
    return directory(_portal(province), q)
