"""What each field of FIELDS.md holds (its kind, code list and Chinese label), so one checker can
read any section and every message names the field as the person sees it."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Spec:
    label: str
    kind: str  # text, code, date, bool, count, rank, email, credit_code, phone, region, department, choice
    code_list: str = ""
    max_length: int = 100
    choices: tuple[str, ...] = ()


def code(label: str, code_list: str) -> Spec:
    return Spec(label, "code", code_list)


def text(label: str, max_length: int = 100) -> Spec:
    return Spec(label, "text", max_length=max_length)


def date(label: str) -> Spec:
    return Spec(label, "date")


PERSONAL: dict[str, Spec] = {
    "gender": code("性别", "genders"),
    "birth_date": date("出生日期"),
    "ethnicity": code("民族", "ethnicities"),
    "political_status": code("政治面貌", "political_statuses"),
    "country": code("国家（地区）", "countries"),
    "email": Spec("电子邮箱", "email", max_length=254),
}

WORK: dict[str, Spec] = {
    "employment": Spec("在岗状态", "choice"),
    "unit_name": text("工作单位全称", 200),
    "unit_credit_code": Spec("统一社会信用代码", "credit_code"),
    "unit_region": Spec("单位所在地区", "region"),
    "unit_address": text("单位详细地址", 200),
    "unit_type": code("单位类型", "unit_types"),
    "unit_phone": Spec("单位电话", "phone"),
    "hire_date": date("入职时间"),
    "accounting_post": code("现从事会计工作岗位", "accounting_posts"),
    "admin_post": code("行政职务", "admin_posts"),
    "accounting_start_date": date("开始从事会计工作时间"),
    "accounting_years": Spec("从事会计工作年限", "count"),
    "school_region": Spec("学校所在地区", "region"),
    "school_name": text("学校名称", 200),
    "residence_region": Spec("居住（户籍）所在地区", "region"),
    "residence_address": text("居住详细地址", 200),
    "collect_at": Spec("采集地", "choice", choices=("residence", "id_place")),
    "department": Spec("会计管理部门", "department"),
    "technical_post": code("会计专业技术职务", "technical_posts"),
    "technical_post_date": date("会计专业技术职务聘任时间"),
    "cpa": Spec("是否注册会计师", "bool"),
    "cpa_number": text("注册会计师证书编号", 50),
    "tax_agent": Spec("是否注册税务师", "bool"),
    "tax_agent_number": text("注册税务师证书编号", 50),
    "appraiser": Spec("是否资产评估师", "bool"),
    "appraiser_number": text("资产评估师证书编号", 50),
    "abacus_grade": code("珠算等级", "abacus_grades"),
    "abacus_number": text("珠算证书编号", 50),
}

EDUCATION_ITEM: dict[str, Spec] = {
    "level": code("最高学历", "education_levels"),
    "degree": code("最高学位", "degrees"),
    "major": code("所学专业", "majors"),
    "school": text("毕业院校", 100),
    "graduation_date": date("毕业时间"),
    "certificate_number": text("毕业证书编号", 50),
}
EDUCATION_PARTS = {"full_time": "全日制", "part_time": "非全日制"}

LIST_ITEMS: dict[str, dict[str, Spec]] = {
    "qualifications": {
        "type": code("专业技术资格类型", "qualification_types"),
        "level": code("专业技术资格级别", "qualification_levels"),
        "obtained_date": date("取得时间"),
        "certificate_number": text("证书编号或批文号", 50),
        "method": code("取得方式", "qualification_methods"),
    },
    "credit_kept": {
        "date": date("获奖日期"),
        "level": code("获奖级别", "award_levels"),
        "issuer": text("颁奖单位", 100),
        "content": text("获奖内容", 500),
    },
    "credit_broken": {
        "violation_type": text("违法违规事项类型", 100),
        "penalty_date": date("处罚日期"),
        "effective_date": date("生效日期"),
        "authority": text("处罚机关", 100),
        "penalty_kind": code("处罚类别", "penalty_kinds"),
        "content": text("处罚内容", 500),
        "term": text("处罚期限", 50),
        "end_date": date("截止日期"),
    },
    "papers": {
        "title": text("论文及著作名称", 200),
        "published_date": date("发表时间"),
        "issue": text("期数", 50),
        "serial_number": text("刊号或书号", 50),
        "author_rank": Spec("第几作者", "rank"),
        "publisher": text("刊物或出版社名称", 100),
    },
}

TALENT: dict[str, Spec] = {
    "category": code("高端会计人才类别", "talent_categories"),
    "level": code("会计领军人才级别", "leading_talent_levels"),
    "kind": code("会计领军人才类别", "leading_talent_kinds"),
}

REMARKS: dict[str, Spec] = {"text": text("备注", 1000)}

PLAIN_SECTIONS: dict[str, dict[str, Spec]] = {"personal": PERSONAL, "work": WORK, "talent": TALENT, "remarks": REMARKS}


def _relabelled(specs: dict[str, Spec], labels: Mapping[str, str], prefix: str = "") -> dict[str, Spec]:
    return {k: replace(s, label=labels[f"{prefix}{k}"]) if f"{prefix}{k}" in labels else s for k, s in specs.items()}


def section_specs(section: str, labels: Mapping[str, str] | None = None) -> dict[str, Spec]:
    """The fields of a plain or list section, each named as the province's file says
    (`Province.field_labels(section)`), else as above."""
    return dict(_section_specs(section, tuple(sorted((labels or {}).items()))))


def education_specs(part: str, labels: Mapping[str, str] | None = None, *, with_part: bool = True) -> dict[str, Spec]:
    """One part of education ("full_time"), each field named as the province says
    ("full_time.graduation_date" = "最高学历(学位)取得时间"), with the part in front ("全日制…")
    unless the page shows the part as a heading of its own."""
    return dict(_education_specs(part, tuple(sorted((labels or {}).items())), with_part))


# Every check of a section asks for its specs: they are made once per section and set of labels
# (a province's), not on each call (issue 16, bench/record_api_profile.py). Specs are frozen.
@functools.lru_cache(maxsize=256)
def _section_specs(section: str, labels: tuple[tuple[str, str], ...]) -> dict[str, Spec]:
    specs = PLAIN_SECTIONS.get(section) or LIST_ITEMS[section]
    return _relabelled(specs, dict(labels))


@functools.lru_cache(maxsize=256)
def _education_specs(part: str, labels: tuple[tuple[str, str], ...], with_part: bool) -> dict[str, Spec]:
    specs = _relabelled(EDUCATION_ITEM, dict(labels), f"{part}.")
    if not with_part:
        return specs
    return {k: replace(s, label=f"{EDUCATION_PARTS[part]}{s.label}") for k, s in specs.items()}
