"""The official roster (正式名册, issue 15 item 6): one row per person with the full ID number and
mobile and every section's fields, for administrators who state why they need it.

Columns follow FIELDS.md (accreg/collection/field_specs.py): the registration first, then each
section's fields with the labels the person sees; a list section (qualifications, awards …) puts
each field's values of every item in one cell, in item order, separated by "；". The values are
those of the approved archive where the person has one (the record in force), otherwise of the
record as last saved, and a column says which."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from accreg.codelists.registry import code_list
from accreg.collection.display import COLLECT_AT_LABELS, region_name
from accreg.collection.field_specs import (
    EDUCATION_ITEM,
    EDUCATION_PARTS,
    LIST_ITEMS,
    PERSONAL,
    REMARKS,
    TALENT,
    WORK,
    Spec,
)
from accreg.provinces.loader import all_profiles
from accreg.regions.models import Department

REGISTRATION = ("姓名", "证件类型", "证件号码", "手机号码", "采集省份", "状态", "受理部门", "数据来源", "最近更新")
ITEM_SEPARATOR = "；"
FROM_ARCHIVE = "人员档案（已审核）"
FROM_RECORD = "填报内容（未审核）"
MARK = "正式名册：含完整证件号码和手机号码，仅限{purpose}使用，不得外传；文件于 {expires} 自动删除。"


@dataclass(frozen=True)
class Column:
    header: str
    section: str
    part: str  # education part, or "" for a plain section; the list key for a list section
    key: str
    spec: Spec


def _columns() -> list[Column]:
    columns = [Column(spec.label, "personal", "", key, spec) for key, spec in PERSONAL.items()]
    for part, label in EDUCATION_PARTS.items():
        columns += [
            Column(f"{label}{spec.label}", "education", part, key, spec) for key, spec in EDUCATION_ITEM.items()
        ]
    columns += [Column(spec.label, "work", "", key, spec) for key, spec in WORK.items()]
    list_names = {
        "qualifications": "专业技术资格",
        "credit_kept": "守信记录",
        "credit_broken": "失信记录",
        "papers": "论文著作",
    }
    for section, specs in LIST_ITEMS.items():
        prefix = list_names.get(section, section)
        columns += [Column(f"{prefix}：{spec.label}", section, section, key, spec) for key, spec in specs.items()]
    columns += [Column(spec.label, "talent", "", key, spec) for key, spec in TALENT.items()]
    columns += [Column(spec.label, "remarks", "", key, spec) for key, spec in REMARKS.items()]
    return columns


COLUMNS = _columns()
HEADER = (*REGISTRATION, *(c.header for c in COLUMNS))


@cache
def _code_labels(name: str) -> dict[str, str]:
    return {item.code: item.label for item in code_list(name).items}


class Shower:
    """Shows values as the person reads them back (codes as labels, regions as names), with the
    lookups loaded once per roster rather than once per cell."""

    def __init__(self) -> None:
        self.departments = dict(Department.objects.values_list("code", "name"))
        self.employment = {code: {s.code: s.label for s in p.employment_statuses} for code, p in all_profiles().items()}
        self.province = ""  # the person's, whose words the employment status is shown in
        self.regions: dict[str, str] = {}

    def value(self, key: str, spec: Spec, value: Any) -> str:
        if value is None or value == "":
            return ""
        if spec.kind == "code":
            return _code_labels(spec.code_list).get(str(value), str(value))
        if spec.kind == "bool":
            return "是" if value else "否"
        if spec.kind == "region":
            code = str(value)
            if code not in self.regions:
                self.regions[code] = region_name(code)
            return self.regions[code]
        if spec.kind == "department":
            return self.departments.get(str(value), str(value))
        if key == "employment":
            return self.employment.get(self.province, {}).get(str(value), str(value))
        if key == "collect_at":
            return COLLECT_AT_LABELS.get(str(value), str(value))
        return str(value)


def _cell(column: Column, sections: dict[str, Any], show: Callable[[str, Spec, Any], str]) -> str:
    data = sections.get(column.section)
    if not data:
        return ""
    if column.section in LIST_ITEMS:
        items = data if isinstance(data, list) else []
        values = [show(column.key, column.spec, item.get(column.key)) for item in items if isinstance(item, dict)]
        return ITEM_SEPARATOR.join(values) if any(values) else ""
    if column.part:
        data = data.get(column.part) or {}
    if not isinstance(data, dict):
        return ""
    return show(column.key, column.spec, data.get(column.key))


def section_cells(sections: dict[str, Any], shower: Shower, *, province: str) -> list[str]:
    """Every section column of one person of `province`, in HEADER's order after the registration."""
    shower.province = province
    return [_cell(column, sections, shower.value) for column in COLUMNS]


def id_type_labels() -> dict[str, str]:
    return _code_labels("id_types")
