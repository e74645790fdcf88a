"""The wizard's forms, built from the field table (field_specs) and the province rules, so every
province's pages come from data: which fields, which are required, which list each select offers.

Values travel as flat strings named as the API's error keys name them ("unit_name",
"full_time.level", "0.type"), so a server message lands beside its field and what the person typed
goes back into the page unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from accreg.accounts.models import Person
from accreg.codelists.registry import code_list
from accreg.collection.display import COLLECT_AT_LABELS
from accreg.collection.field_specs import (
    EDUCATION_ITEM,
    EDUCATION_PARTS,
    LIST_ITEMS,
    PERSONAL,
    Spec,
    education_specs,
    section_specs,
)
from accreg.collection.rules import (
    EMPLOYED_FIELDS,
    RESIDENT_FIELDS,
    STUDENT_FIELDS,
    WORK_CONDITIONS,
    collection_region,
    work_required,
)
from accreg.errors import NotFoundError
from accreg.provinces.schema import Province
from accreg.regions.selectors import departments_serving
from accreg.regions.tree import division_groups

ITEM_NAME = re.compile(r"^(\d{1,2})\.([a-z_]+)$")
WIDGETS = {
    "text": "text",
    "code": "select",
    "date": "date",
    "bool": "radio",
    "count": "number",
    "rank": "number",
    "email": "email",
    "credit_code": "text",
    "phone": "tel",
    "region": "region",
    "department": "select",
    "choice": "radio",
}
# Fields shown only when a yes/no answer above them is 是 (HN 3.4 6).
SHOWN_IF_YES = {"cpa_number": "cpa", "tax_agent_number": "tax_agent", "appraiser_number": "appraiser"}
HINTS = {
    "unit_credit_code": "18位，见单位营业执照",
    "unit_phone": "手机号码，或区号加号码，如02320000000",
    "accounting_years": "整年数",
    "author_rank": "第1作者填1",
    "department": "系统根据所在地区推荐，可改选服务该地区的其他部门",
}


@dataclass
class FormField:
    name: str
    label: str
    widget: str
    required: bool = False
    condition: str = ""  # shown instead of （选填） when only some answers make the field required
    value: str = ""
    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)
    groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    show_for: str = ""  # employment kind this field belongs to (employed, student, resident)
    shown_if: str = ""  # the yes/no field that must be 是
    hint: str = ""
    max_length: int | None = None
    read_only: bool = False
    locked: bool = False  # shown and posted, but not to be changed (the department during a change)
    flagged: list[str] = field(default_factory=list)  # what the reviewer asked to fix here


# Values: saved data or a POST, as flat strings -------------------------------------------------


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else str(value)


def saved_values(section: str, data: Any) -> dict[str, str]:
    """The saved section as the flat strings of the form."""
    if section in LIST_ITEMS:
        return {f"{i}.{k}": _text(v) for i, item in enumerate(data or []) for k, v in item.items()}
    if section == "education":
        return {f"{part}.{k}": _text(v) for part, item in (data or {}).items() for k, v in item.items()}
    return {k: _text(v) for k, v in (data or {}).items()}


def _names(section: str) -> list[str]:
    if section == "education":
        return [f"{part}.{k}" for part in EDUCATION_PARTS for k in EDUCATION_ITEM]
    return ["name", *PERSONAL] if section == "personal" else list(_specs(section))


def posted_values(section: str, post: QueryDict) -> dict[str, str]:
    """What the person sent, for the fields this section has; nothing else is read."""
    if section in LIST_ITEMS:
        names = [k for k in post if ITEM_NAME.match(k) and k.split(".")[1] in LIST_ITEMS[section]]
        return {k: str(post.get(k, "")).strip() for k in names}
    return {k: str(post.get(k, "")).strip() for k in _names(section) if k in post}


def raw_section(section: str, values: dict[str, str]) -> Any:
    """The flat values as the API's body for the section, for `save_section`."""
    if section in LIST_ITEMS:
        items: dict[int, dict[str, str]] = {}
        for name, value in values.items():
            match = ITEM_NAME.match(name)
            if match:
                items.setdefault(int(match[1]), {})[match[2]] = value
        return {"items": [items[i] for i in sorted(items)]}
    if section == "education":
        nested: dict[str, dict[str, str]] = {}
        for name, value in values.items():
            part, key = name.split(".", 1)
            nested.setdefault(part, {})[key] = value
        return nested
    return dict(values)


def item_count(section: str, values: dict[str, str]) -> int:
    indexes = {int(m[1]) for m in map(ITEM_NAME.match, values) if m}
    return max(indexes) + 1 if indexes else 0


def without_item(values: dict[str, str], index: int) -> dict[str, str]:
    """The list values with one record taken out and the later ones moved up."""
    kept: dict[str, str] = {}
    for name, value in values.items():
        match = ITEM_NAME.match(name)
        if not match or int(match[1]) == index:
            continue
        position = int(match[1]) - (int(match[1]) > index)
        kept[f"{position}.{match[2]}"] = value
    return kept


# Building the fields --------------------------------------------------------------------------


def _specs(section: str, profile: Province | None = None) -> dict[str, Spec]:
    return section_specs(section, profile.field_labels(section) if profile else None)


@dataclass(frozen=True)
class FormContext:
    profile: Province
    person: Person
    values: dict[str, str]
    errors: dict[str, list[str]]
    missing: dict[str, list[str]]
    flagged: dict[str, list[str]] = field(default_factory=dict)
    # During a change of an approved record: the management department (a transfer moves it), and
    # the name, which only the department corrects from then on.
    locked_department: tuple[str, str] | None = None


def _field(name: str, spec: Spec, ctx: FormContext, *, required: bool) -> FormField:
    widget = "textarea" if spec.kind == "text" and spec.max_length > 200 else WIDGETS[spec.kind]
    f = FormField(
        name=name,
        label=spec.label,
        widget=widget,
        required=required,
        value=ctx.values.get(name, ""),
        errors=ctx.errors.get(name, []),
        missing=ctx.missing.get(name, []),
        flagged=ctx.flagged.get(name, []),
        hint=HINTS.get(name.rsplit(".", 1)[-1], ""),
        max_length=spec.max_length if spec.kind == "text" else None,
    )
    if spec.kind == "code":
        f.options = [(item.code, item.label) for item in code_list(spec.code_list).items]
    elif spec.kind == "bool":
        f.options = [("true", "是"), ("false", "否")]
    elif spec.kind == "region":
        f.groups = [(label, [(n.code, n.name) for n in nodes]) for label, nodes in division_groups(ctx.profile.region)]
    return f


def personal_fields(ctx: FormContext) -> list[FormField]:
    required = set(ctx.profile.sections["personal"].required)
    fields = []
    if "name" in ctx.profile.sections["personal"].editable and not ctx.locked_department:
        name = FormField("name", "姓名", "text", required=True, max_length=50, hint="须与证件上的姓名一致")
        name.value = ctx.values.get("name") or ctx.person.name
        name.errors = ctx.errors.get("name", [])
        name.flagged = ctx.flagged.get("name", [])
        fields.append(name)
    for key, spec in _specs("personal", ctx.profile).items():
        f = _field(key, spec, ctx, required=key in required)
        if key == "birth_date" and ctx.person.birth_date:
            f.value, f.read_only, f.hint = ctx.person.birth_date.isoformat(), True, "由身份证号码得出"
        if key == "gender" and ctx.person.gender:
            f.value, f.read_only, f.hint = ctx.person.gender, True, "由身份证号码得出"
        fields.append(f)
    return fields


def _answer(value: Any) -> Any:
    """A posted or saved value as the rules read it (yes/no radios post "true"/"false")."""
    return {"true": True, "false": False}.get(value, value) if isinstance(value, str) else value


def work_fields(ctx: FormContext) -> list[FormField]:
    """Required as the rules will require it given the answers so far; a field only some answers
    require says which (never （选填） and then asked for)."""
    status = ctx.profile.employment_status(str(ctx.values.get("employment", "")))
    data = {k: _answer(v) for k, v in ctx.values.items() if v not in ("", None)}
    required = work_required(ctx.profile.sections["work"], status, data)
    fields = []
    for key, spec in _specs("work", ctx.profile).items():
        f = _field(key, spec, ctx, required=key in required)
        if not f.required:
            f.condition = WORK_CONDITIONS.get(key, "")
        f.show_for = (
            "employed"
            if key in EMPLOYED_FIELDS
            else "student"
            if key in STUDENT_FIELDS
            else "resident"
            if key in RESIDENT_FIELDS
            else ""
        )
        f.shown_if = SHOWN_IF_YES.get(key, "")
        if key == "employment":
            f.options = [(s.code, s.label) for s in ctx.profile.employment_statuses]
        elif key == "collect_at":
            choices = {c for s in ctx.profile.employment_statuses for c in s.collect_at}
            if len(choices) < 2:
                continue  # the province collects at one place only; nothing to choose
            f.options = [(c, COLLECT_AT_LABELS[c]) for c in ("residence", "id_place") if c in choices]
        elif key == "department" and ctx.locked_department:
            f.options, f.value = [ctx.locked_department], ctx.locked_department[0]
            f.required, f.locked, f.hint = (
                True,
                True,
                "信息变更中不能更换管理部门；调到其他地区的单位工作，请在“我的档案”申请调转",
            )
        elif key == "department":
            f.options = _department_options(ctx)
            f.required = True
        fields.append(f)
    return fields


def _department_options(ctx: FormContext) -> list[tuple[str, str]]:
    status = ctx.profile.employment_status(ctx.values.get("employment", ""))
    if status is None:
        return []
    place = collection_region(status, ctx.values, ctx.person)
    if place is None or not place[0] or not place[0].startswith(ctx.profile.region[:2]):
        return []
    try:
        return [(d.code, d.name) for d in departments_serving(place[0])]
    except NotFoundError:  # an unknown region: the field beside it says so
        return []


def education_parts(ctx: FormContext) -> list[tuple[str, str, list[FormField]]]:
    required = set(ctx.profile.sections["education"].required)
    parts = []
    labels = ctx.profile.field_labels("education")
    for part, part_label in EDUCATION_PARTS.items():
        fields = [
            _field(f"{part}.{key}", spec, ctx, required=f"{part}.{key}" in required)
            for key, spec in education_specs(part, labels, with_part=False).items()
        ]
        parts.append((part, part_label, fields))
    return parts


def list_items(section: str, ctx: FormContext, count: int) -> list[list[FormField]]:
    """`count` records of the list (at least one, blank, so there is always a form to fill)."""
    required = set(ctx.profile.sections[section].required) or set(LIST_ITEMS[section])
    specs = _specs(section, ctx.profile)
    return [
        [_field(f"{i}.{key}", spec, ctx, required=key in required) for key, spec in specs.items()]
        for i in range(max(count, 1))
    ]


def simple_fields(section: str, ctx: FormContext) -> list[FormField]:
    required = set(ctx.profile.sections[section].required)
    return [_field(key, spec, ctx, required=key in required) for key, spec in _specs(section, ctx.profile).items()]
