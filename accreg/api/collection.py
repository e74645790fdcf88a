"""The accountant's record over the API (API.md): read it whole, save one section at a time."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router

from accreg.accounts.models import Person
from accreg.collection.selectors import record_view, step_states
from accreg.collection.services import save_section
from accreg.errors import DomainError

from .auth import PersonToken

router = Router(tags=["信息采集"], auth=PersonToken)


@router.get("/me/record", summary="我的信息档案：各信息项、状态、各步骤完成情况、适用规则")
def get_record(request: HttpRequest) -> dict[str, Any]:
    return record_view(request.auth)  # type: ignore[attr-defined]


@router.put(
    "/me/record/sections/{section}",
    summary="保存一个信息项（草稿）",
    description="Body: the section's fields (FIELDS.md) as a JSON object; list sections take a JSON array "
    'or {"items": [...]}. 400 names every bad field; required fields still empty come back in `missing`.',
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {}}}, "required": True}},
)
def put_section(request: HttpRequest, section: str) -> dict[str, Any]:
    person: Person = request.auth  # type: ignore[attr-defined]
    try:
        raw = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DomainError("invalid", "请求内容不是有效的 JSON", fields={"body": ["请求内容不是有效的 JSON"]}) from exc
    record, result = save_section(person, section, raw)
    return {
        "section": section,
        "data": result.data,
        "missing": result.missing,
        "version": record.version,
        "steps": step_states(person, record),
    }
