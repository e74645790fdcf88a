"""Reference data for every client: province portals and their rules, code lists, divisions,
management departments. Public: nothing here is personal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from accreg.codelists.registry import code_list
from accreg.errors import DomainError, NotFoundError
from accreg.provinces.fields import EXTRA_STEPS, MATERIAL_KINDS, SECTIONS
from accreg.provinces.loader import served_profile, served_profiles
from accreg.provinces.schema import Province
from accreg.regions.selectors import departments_serving, region_children

from .schemas import errors

router = Router(tags=["基础数据"], auth=None)


class CodeOut(Schema):
    code: str
    label: str


class RegionOut(Schema):
    code: str
    name: str
    level: str
    has_children: bool


class DepartmentOut(Schema):
    code: str
    name: str
    level: str
    region: str
    address: str
    phone: str
    proposed: bool


def province_summary(province: Province) -> dict[str, Any]:
    """The rules in force for one portal, as clients and administrators read them."""
    rules = province.model_dump(mode="json")
    rules["portal_url"] = f"/{province.code}/"
    rules["steps"] = [
        {
            "key": step,
            "title": province.sections[step].title if step in province.sections else EXTRA_STEPS[step],
        }
        for step in province.steps
    ]
    rules["materials"] = [
        {"kind": kind, "kind_label": MATERIAL_KINDS[kind], **material.model_dump(mode="json")}
        for kind, material in province.materials.items()
    ]
    rules["sections"] = {
        key: {"name": SECTIONS[key], **section.model_dump(mode="json")} for key, section in province.sections.items()
    }
    return rules


@router.get("/provinces", summary="省份门户及其规则")
def list_provinces(request: HttpRequest) -> list[dict[str, Any]]:
    return [province_summary(p) for p in served_profiles().values()]


@router.get("/provinces/{code}", response={200: dict, **errors(404)}, summary="一个省份门户的规则")
def get_province(request: HttpRequest, code: str) -> dict[str, Any]:
    province = served_profile(code)
    if province is None:
        raise NotFoundError("unknown_province", f"未开通省份：{code}")
    return province_summary(province)


@router.get("/code-lists/{name}", response={200: list[CodeOut], **errors(400, 404)}, summary="代码表")
def get_code_list(request: HttpRequest, name: str, province: str | None = None) -> list[CodeOut]:
    return [CodeOut(code=item.code, label=item.label) for item in code_list(name, province=province).items]


@router.get(
    "/regions/{code}/children", response={200: list[RegionOut], **errors(404)}, summary="下级行政区划（000000 为各省）"
)
def get_region_children(request: HttpRequest, code: str) -> Any:
    return region_children(code)


@router.get(
    "/departments", response={200: list[DepartmentOut], **errors(400, 404)}, summary="服务某一区划的会计管理部门"
)
def list_departments(request: HttpRequest, region: str = "") -> list[DepartmentOut]:
    if not region:
        msg = "请指定行政区划代码"
        raise DomainError("invalid", msg, fields={"region": [msg]})
    return [
        DepartmentOut(
            code=d.code,
            name=d.name,
            level=d.level,
            region=d.region_id,
            address=d.address,
            phone=d.phone,
            proposed=index == 0,
        )
        for index, d in enumerate(departments_serving(region))
    ]
