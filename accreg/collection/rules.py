"""The rules of SPEC §3 for each section of the record, applied on the server.

`check_section` turns what a client sent into the data to store, or names every bad field. Values
that break a rule are errors (nothing is saved); required fields still empty are only `missing`:
a draft may be saved half filled, and completeness is reported per step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from accreg.accounts.identity import check_name
from accreg.accounts.models import Person
from accreg.codelists.registry import code_list
from accreg.errors import DomainError
from accreg.provinces.schema import EmploymentStatus, Province, Section
from accreg.regions.selectors import department_codes_serving
from accreg.regions.tree import region_node

from .checks import BadValue, clean_value, is_blank
from .field_specs import EDUCATION_PARTS, LIST_ITEMS, WORK, Spec, education_specs, section_specs

MAX_LIST_ITEMS = 20
NONE_CODE = "00"  # 无 in the post, technical post, abacus and education lists
NO_DEGREE = "0"

EMPLOYED_FIELDS = frozenset(
    {
        "unit_name",
        "unit_credit_code",
        "unit_region",
        "unit_address",
        "unit_type",
        "unit_phone",
        "hire_date",
        "accounting_post",
        "admin_post",
    }
)
STUDENT_FIELDS = frozenset({"school_region", "school_name"})
RESIDENT_FIELDS = frozenset({"residence_region", "residence_address", "collect_at"})


@dataclass
class SectionResult:
    data: Any
    errors: dict[str, list[str]] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def need(self, key: str, spec: Spec) -> None:
        verb = "选择" if spec.kind in ("code", "choice", "region", "department", "bool") else "填写"
        self.missing.setdefault(key, []).append(f"请{verb}{spec.label}")


@dataclass(frozen=True)
class Context:
    profile: Province
    person: Person
    sections: dict[str, Any]  # the other sections as saved
    today: datetime.date
    # The values checked are a stored section's, already cleaned under these same rules
    # (clean_stamps): each is taken as it is; everything else about the section is checked.
    values_clean: bool = False

    def specs(self, section: str) -> dict[str, Spec]:
        """The section's fields, named as the province names them, so every message does too."""
        return section_specs(section, self.profile.field_labels(section))


def _clean_fields(specs: dict[str, Spec], raw: Any, result: SectionResult, ctx: Context, *, prefix: str = "") -> dict:
    if not isinstance(raw, dict):
        result.error(prefix.rstrip(".") or "body", "内容格式不正确")
        return {}
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in specs:
            result.error(f"{prefix}{key}", "没有这一项")
            continue
        if is_blank(value):
            continue
        if ctx.values_clean:
            clean[key] = value
            continue
        try:
            clean[key] = clean_value(specs[key], value, today=ctx.today)
        except BadValue as exc:
            result.error(f"{prefix}{key}", str(exc))
    return clean


def _require(
    keys: set[str] | list[str], specs: dict[str, Spec], data: dict, result: SectionResult, *, prefix: str = ""
) -> None:
    for key in specs:  # in the order of the form
        if key in keys and key not in data:
            result.need(f"{prefix}{key}", specs[key])


def _required(ctx: Context, section: str) -> tuple[str, ...]:
    return ctx.profile.sections[section].required


# Personal -----------------------------------------------------------------------------------


REGISTRATION_FIELDS = ("name", "id_type", "id_number", "mobile")


def _personal(raw: Any, ctx: Context) -> SectionResult:
    """The person's own details. Registration fields belong to the account and are refused here,
    except the name when the province lets the person correct it (LN 6) or when it is unchanged."""
    result = SectionResult({})
    raw = dict(raw) if isinstance(raw, dict) else raw
    name = raw.pop("name", None) if isinstance(raw, dict) else None
    if isinstance(raw, dict):
        for key in REGISTRATION_FIELDS[1:]:
            if key in raw:
                raw.pop(key)
                result.error(key, "证件信息和手机号不在此修改；证件信息有误请联系会计管理部门")
    personal = ctx.specs("personal")
    data = _clean_fields(personal, raw, result, ctx)
    if not is_blank(name) and str(name).strip() != ctx.person.name:
        if "name" not in ctx.profile.sections["personal"].editable:
            result.error("name", "姓名不在此修改，如有误请联系会计管理部门")
        else:
            try:
                data["name"] = check_name(str(name))
            except DomainError as exc:
                result.error("name", exc.message)
    if ctx.person.birth_date:  # derived from a 居民身份证 number, never typed
        data["birth_date"] = ctx.person.birth_date.isoformat()
    if ctx.person.gender:
        data["gender"] = ctx.person.gender
    _require([k for k in _required(ctx, "personal") if k in personal], personal, data, result)
    result.data = data
    return result


# Work and the collection place --------------------------------------------------------------


def applicable_work_fields(status: EmploymentStatus | None) -> set[str]:
    """The fields a person with this employment status fills (SPEC §3 step 2)."""
    fields = set(WORK) - EMPLOYED_FIELDS - STUDENT_FIELDS - RESIDENT_FIELDS
    if status is None:
        return fields
    fields |= {"employed": EMPLOYED_FIELDS, "student": STUDENT_FIELDS, "resident": RESIDENT_FIELDS}[status.kind]
    return fields


# Fields that only some answers make required, and the words the form shows for them while they
# are not (so a field is never marked （选填） and then asked for).
WORK_CONDITIONS = {
    "accounting_start_date": "在会计岗位工作的必填",  # CQ 2.3
    "accounting_years": "在会计岗位工作的必填",
    "technical_post_date": "有专业技术职务的必填",  # CQ 2.3, LN 9
    "cpa_number": "选“是”的必填",  # HN 3.4 6
    "tax_agent_number": "选“是”的必填",
    "appraiser_number": "选“是”的必填",
    "abacus_number": "有珠算等级的必填",  # LN 9
}


def work_required(section: Section, status: EmploymentStatus | None, data: dict) -> set[str]:
    """The work fields required of this person, given what they answered: the province's list
    (its employed-only part only with a work unit) and the fields that answers call for."""
    applicable = applicable_work_fields(status)
    employed = status is not None and status.kind == "employed"
    required = {k for k in (*section.required, *(section.required_if_employed if employed else ())) if k in applicable}
    if employed and data.get("accounting_post", NONE_CODE) != NONE_CODE:
        required |= {"accounting_start_date", "accounting_years"}  # CQ 2.3: in an accounting post
    if data.get("technical_post", NONE_CODE) != NONE_CODE:
        required.add("technical_post_date")
    required |= {f"{flag}_number" for flag in ("cpa", "tax_agent", "appraiser") if data.get(flag) is True}
    if data.get("abacus_grade", NONE_CODE) != NONE_CODE:
        required.add("abacus_number")
    return required


def collection_region(status: EmploymentStatus, data: dict, person: Person) -> tuple[str, str] | None:
    """The division that decides the management department (采集属地, YN 1.3, HN 1.1), and the
    field it came from: the unit's, the school's, the residence's, or the ID number's place (the
    number is decrypted only then)."""
    if status.kind == "employed":
        key = "unit_region"
    elif status.kind == "student":
        key = "school_region"
    elif data.get("collect_at") == "id_place":
        from accreg.accounts.people import id_number_of

        return _id_place(id_number_of(person)), "collect_at"
    else:
        key = "residence_region"
    return (data[key], key) if key in data else None


def _id_place(id_number: str) -> str:
    """The division an ID number was issued in, or its nearest existing parent (codes retire)."""
    for code in (id_number[:6], id_number[:4] + "00", id_number[:2] + "0000"):
        if region_node(code) is not None:
            return code
    return ""


def _work(raw: Any, ctx: Context) -> SectionResult:
    result = SectionResult({})
    work = ctx.specs("work")
    data = _clean_fields(work, raw, result, ctx)
    status = ctx.profile.employment_status(data.get("employment", ""))
    if "employment" in data and status is None:
        result.error("employment", f"请从列表中选择{work['employment'].label}")
    applicable = applicable_work_fields(status)
    data = {k: v for k, v in data.items() if k in applicable}
    if status is not None:
        if status.accounting_post is not None:  # HN 不在会计岗工作: the post is 无
            data["accounting_post"] = status.accounting_post
        if status.kind == "resident":
            if len(status.collect_at) == 1:
                data["collect_at"] = status.collect_at[0]
            elif data.get("collect_at") not in (*status.collect_at, None):
                result.error("collect_at", "请选择采集地")
    required = work_required(ctx.profile.sections["work"], status, data)
    for flag in ("cpa", "tax_agent", "appraiser"):
        if data.get(flag) is not True:
            data.pop(f"{flag}_number", None)
    if data.get("abacus_grade", NONE_CODE) == NONE_CODE:
        data.pop("abacus_number", None)
    _dates_in_order(data, ctx, result)
    if status is not None:
        _place_and_department(status, data, ctx, result)
    _require(required - {"department"}, work, data, result)
    result.data = data
    return result


def _dates_in_order(data: dict, ctx: Context, result: SectionResult) -> None:
    birth = ctx.person.birth_date
    work = ctx.specs("work")
    for key in ("hire_date", "accounting_start_date", "technical_post_date"):
        if key in data and birth and datetime.date.fromisoformat(data[key]) < birth:
            result.error(key, f"{work[key].label}不能早于出生日期")
    start = data.get("accounting_start_date")
    if start and "accounting_years" in data and ctx.profile.validation.accounting_years_within_start_date:
        whole_years = _whole_years(datetime.date.fromisoformat(start), ctx.today)
        if data["accounting_years"] > whole_years:  # HN 3.4 3
            years, since = work["accounting_years"].label, work["accounting_start_date"].label
            result.error("accounting_years", f"{years}不能超过从{since}至今的整年数（{whole_years}年）")
    graduated = (ctx.sections.get("education") or {}).get("full_time", {}).get("graduation_date")
    if (
        start
        and graduated
        and ctx.profile.validation.accounting_start_not_before_full_time_education
        and start < graduated
    ):  # HN 3.4 2
        since = work["accounting_start_date"].label
        result.error("accounting_start_date", f"{since}不得早于全日制学历（学位）取得时间（{graduated}）")


def _whole_years(start: datetime.date, today: datetime.date) -> int:
    return today.year - start.year - ((today.month, today.day) < (start.month, start.day))


def _place_and_department(status: EmploymentStatus, data: dict, ctx: Context, result: SectionResult) -> None:
    place = collection_region(status, data, ctx.person)
    if place is None:
        data.pop("department", None)
        result.need("department", ctx.specs("work")["department"])
        return
    region, key = place
    if ctx.profile.validation.collection_region_in_province and not region.startswith(ctx.profile.region[:2]):
        result.error(key, ctx.profile.texts.region_outside)
        data.pop("department", None)
        return
    serving = department_codes_serving(region) if region else []
    if not serving:
        result.error(key, "该地区暂无可受理的会计管理部门，请联系省财政厅")
        return
    if data.get("department") not in serving:
        if data.get("department"):
            result.error("department", "请选择服务该地区的会计管理部门")
        data["department"] = serving[0]  # LN 7: the system proposes, the person may choose another


# Education ----------------------------------------------------------------------------------


def _education(raw: Any, ctx: Context) -> SectionResult:
    result = SectionResult({})
    if not isinstance(raw, dict):
        result.error("body", "内容格式不正确")
        return result
    data: dict[str, dict] = {}
    labels = ctx.profile.field_labels("education")
    for part in EDUCATION_PARTS:
        unknown = set(raw) - set(EDUCATION_PARTS)
        for key in unknown:
            result.error(key, "没有这一项")
        part_raw = raw.get(part) or {}
        specs = education_specs(part, labels)
        clean = _clean_fields(specs, part_raw, result, ctx, prefix=f"{part}.")
        if clean.get("level") == NONE_CODE:  # 无学历: nothing else to say (HN 3.3)
            clean = {"level": NONE_CODE}
        graduated = clean.get("graduation_date")
        if graduated and ctx.person.birth_date and graduated < ctx.person.birth_date.isoformat():
            result.error(f"{part}.graduation_date", f"{specs['graduation_date'].label}不能早于出生日期")
        required = {k.split(".", 1)[1] for k in _required(ctx, "education") if k.startswith(f"{part}.")}
        if clean.get("level") == NONE_CODE:
            required &= {"level"}
        elif clean and part == "part_time":
            required |= {"level", "degree"}  # a part-time record is whole or absent
        _require(required, specs, clean, result, prefix=f"{part}.")
        if clean:
            data[part] = clean
    result.data = data
    return result


# Lists, talent, remarks ---------------------------------------------------------------------


def _list(section: str, raw: Any, ctx: Context) -> SectionResult:
    """Zero or more records; each record is all-or-nothing (CQ 2.5–2.7: fill one field, fill all)."""
    result = SectionResult([])
    items = raw.get("items") if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        result.error("items", "内容格式不正确")
        return result
    if len(items) > MAX_LIST_ITEMS:
        result.error("items", f"最多填写{MAX_LIST_ITEMS}条")
        return result
    specs = ctx.specs(section)
    required = set(_required(ctx, section)) or set(specs)
    kept = []
    for index, item in enumerate(items):
        clean = _clean_fields(specs, item, result, ctx, prefix=f"{index}.")
        if not clean and not any(k.startswith(f"{index}.") for k in result.errors):
            continue  # a blank record is dropped
        for key in sorted(required - set(clean)):
            if f"{index}.{key}" in result.errors:
                continue  # already said what is wrong with it
            result.error(f"{index}.{key}", f"已填写本条记录的其他内容，请同时{_verb(specs[key])}{specs[key].label}")
        if section == "credit_broken":
            _penalty_dates(clean, index, result)
        kept.append(clean)
    result.data = kept
    return result


def _verb(spec: Spec) -> str:
    return "选择" if spec.kind == "code" else "填写"


def _penalty_dates(item: dict, index: int, result: SectionResult) -> None:
    penalty, effective, end = item.get("penalty_date"), item.get("effective_date"), item.get("end_date")
    if penalty and effective and effective < penalty:
        result.error(f"{index}.effective_date", "生效日期不能早于处罚日期")
    if effective and end and end < effective:
        result.error(f"{index}.end_date", "截止日期不能早于生效日期")


def _talent(raw: Any, ctx: Context) -> SectionResult:
    """HN 3.5.2: category, and unless 国际化高端会计人才, the leading-talent level and kind."""
    result = SectionResult({})
    talent = ctx.specs("talent")
    data = _clean_fields(talent, raw, result, ctx)
    if data:
        international = {item.code for item in code_list("talent_categories").items if "国际化" in item.label}
        required = {"category"} if data.get("category") in international else {"category", "level", "kind"}
        for key in sorted(required - set(data)):
            result.error(key, f"请选择{talent[key].label}")
    result.data = data
    return result


def _remarks(raw: Any, ctx: Context) -> SectionResult:
    result = SectionResult({})
    result.data = _clean_fields(ctx.specs("remarks"), raw, result, ctx)
    return result


def check_section(section: str, raw: Any, ctx: Context) -> SectionResult:
    """Apply the section's rules to what the person sent."""
    if section == "personal":
        return _personal(raw, ctx)
    if section == "work":
        return _work(raw, ctx)
    if section == "education":
        return _education(raw, ctx)
    if section in LIST_ITEMS:
        return _list(section, raw, ctx)
    if section == "talent":
        return _talent(raw, ctx)
    if section == "remarks":
        return _remarks(raw, ctx)
    raise AssertionError(f"unknown section {section}")


OPTIONAL_SECTIONS = frozenset({*LIST_ITEMS, "talent", "remarks"})
