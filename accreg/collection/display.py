"""The record as the person reads it back on the summary page (and on the printed form): every
code as its label, regions as their full names, yes/no as 是/否."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accreg.codelists.registry import code_list
from accreg.provinces.fields import SECTIONS
from accreg.provinces.schema import Province
from accreg.regions.models import Department
from accreg.regions.tree import ancestry, region_node

from .field_specs import EDUCATION_PARTS, LIST_ITEMS, Spec, education_specs, section_specs

COLLECT_AT_LABELS = {"residence": "居住（户籍）所在地", "id_place": "身份证号码所属地"}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: str


def region_name(code: str) -> str:
    names = [node.name for c in reversed(ancestry(code)) if (node := region_node(c))]
    return " ".join(names) or code


def shown_value(key: str, spec: Spec, value: Any, profile: Province) -> str:
    if spec.kind == "code":
        return code_list(spec.code_list).label(str(value)) or str(value)
    if spec.kind == "bool":
        return "是" if value else "否"
    if spec.kind == "region":
        return region_name(str(value))
    if spec.kind == "department":
        found = Department.objects.filter(code=value).first()
        return found.name if found else str(value)
    if key == "employment":
        status = profile.employment_status(str(value))
        return status.label if status else str(value)
    if key == "collect_at":
        return COLLECT_AT_LABELS.get(str(value), str(value))
    return str(value)


def _rows(specs: dict[str, Spec], data: dict[str, Any], profile: Province, prefix: str = "") -> list[Row]:
    return [
        Row(f"{prefix}{key}", spec.label, shown_value(key, spec, data[key], profile))
        for key, spec in specs.items()
        if key in data
    ]


def section_rows(section: str, data: Any, profile: Province) -> list[list[Row]]:
    """The section as groups of rows: one group for a plain section, one per part of education,
    one per record of a list."""
    if not data:
        return []
    labels = profile.field_labels(section)
    if section in LIST_ITEMS:
        specs = section_specs(section, labels)
        return [_rows(specs, item, profile, f"{i}.") for i, item in enumerate(data)]
    if section == "education":
        return [
            _rows(education_specs(part, labels), data[part], profile, f"{part}.")
            for part in EDUCATION_PARTS
            if part in data
        ]
    return [_rows(section_specs(section, labels), data, profile)]


def _spec_of(key: str, profile: Province) -> tuple[str, Spec | None]:
    """ "work.unit_name" → ("", its spec); "qualifications.0.level" → ("第1条", spec); the
    education parts carry their own label ("全日制学历"); each named as the province names it."""
    section, _, rest = key.partition(".")
    parts = rest.split(".")
    labels = profile.field_labels(section)
    if section in LIST_ITEMS and len(parts) == 2 and parts[0].isdigit():
        return f"第{int(parts[0]) + 1}条", section_specs(section, labels).get(parts[1])
    if section == "education" and len(parts) == 2:
        if parts[0] not in EDUCATION_PARTS:
            return "", None
        return "", education_specs(parts[0], labels).get(parts[1])
    if section in LIST_ITEMS or section == "education" or section not in SECTIONS:
        return "", None
    return "", section_specs(section, labels).get(rest)


def changed_field(key: str, old: Any, new: Any, profile: Province) -> dict[str, str]:
    """One field of a difference as a reviewer reads it: its label and both values shown."""
    prefix, spec = _spec_of(key, profile)
    if spec is None:
        return {
            "label": key,
            "old_shown": "" if old is None else str(old),
            "new_shown": "" if new is None else str(new),
        }
    name = key.split(".")[-1]

    def show(value: Any) -> str:
        return "" if value in (None, "") else shown_value(name, spec, value, profile)

    section_title = profile.sections[key.split(".")[0]].title if key.split(".")[0] in profile.sections else ""
    label = "：".join(part for part in (section_title, f"{prefix}{spec.label}") if part)
    return {"label": label, "old_shown": show(old), "new_shown": show(new)}
