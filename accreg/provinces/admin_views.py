"""The rules in force, read only, in Django admin (SPEC §7): each served province's rules file as
an administrator reads it, in Chinese, with the file itself below. A province's administrators
see their own province; superusers see every served province. The rules are edited only in
provinces/*.toml (a deployment), never here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from accreg.accounts.admin_scope import is_administrator
from accreg.accounts.services.sign_in import METHOD_LABELS
from accreg.collection.field_specs import EDUCATION_PARTS, LIST_ITEMS, PLAIN_SECTIONS, education_specs, section_specs
from accreg.uploads.sizes import limit_label

from .fields import EXTRA_STEPS, MATERIAL_KINDS, SECTIONS
from .loader import profile_for_region, served_profiles
from .schema import Province

# Registration fields of the personal section that have no Spec (they are checked at registration).
_REGISTRATION_LABELS = {"name": "姓名", "id_type": "证件类型", "id_number": "证件号码", "mobile": "手机号码"}
NAV_PAGES = {
    "home": "首页",
    "notices": "通知公告列表",
    "guides": "操作指南列表",
    "directory": "咨询电话（各部门地址与电话）",
}
EMPLOYMENT_KINDS = {"employed": "在职", "student": "在校生", "resident": "不在职（按居住地采集）"}
COLLECT_AT = {"residence": "居住（户籍）所在地", "id_place": "身份证号码所属地"}
FORMATS = {"jpeg": "JPG/JPEG", "png": "PNG"}
DEPARTMENT_LEVELS = {"province": "省级财政部门", "city": "地市级财政部门", "county": "县（区、市）级财政部门"}
REQUIRED_WHEN = {
    "always": "所有人必传",
    "optional": "可选上传",
    "employed": "在职人员必传",
    "student": "在校生必传",
    "not_employed": "在校生和不在职人员必传",
    "residence_proof": "不在职且按居住地采集的人员必传",
    "full_time_education": "有全日制学历的必传",
    "full_time_degree": "有全日制学位的必传",
    "part_time_education": "有非全日制学历的必传",
    "part_time_degree": "有非全日制学位的必传",
    "each_qualification": "每条专业技术资格一张",
    "each_award": "每条守信记录一张",
    "each_penalty": "每条失信记录一张",
    "each_paper": "每篇论文著作一张",
}
VALIDATION_LABELS = {
    "accounting_years_within_start_date": "会计从事年限不得超过从事时间至今的整年数",
    "accounting_start_not_before_full_time_education": "会计从事时间不得早于全日制学历（学位）获取时间",
    "collection_region_in_province": "采集属地须在本省内",
}


def field_label(section: str, key: str, labels: dict[str, str] | None = None) -> str:
    """A field of a section as the person sees it ("full_time.level" → "全日制最高学历"), in the
    province's words when `labels` (its file's) rename it."""
    if section == "education":
        part, _, name = key.partition(".")
        spec = education_specs(part, labels).get(name) if part in EDUCATION_PARTS else None
        return spec.label if spec else key
    spec = section_specs(section, labels).get(key) if section in LIST_ITEMS or section in PLAIN_SECTIONS else None
    return spec.label if spec else _REGISTRATION_LABELS.get(key, key)


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def _kb(size: int | None) -> str:
    return f"不大于{limit_label(size)}" if size else "不限"


@dataclass(frozen=True)
class RulesSheet:
    """One province's rules, every value already in the words an administrator reads."""

    profile: Province
    facts: dict[str, list[tuple[str, str]]]
    steps: list[dict[str, Any]]
    employment: list[dict[str, str]]
    materials: list[dict[str, str]]
    documents: list[dict[str, Any]]
    raw_toml: str


def rules_sheet(profile: Province) -> RulesSheet:
    sign_in, review, notice = profile.sign_in, profile.review, profile.notice
    methods = "、".join(
        METHOD_LABELS[m] + (f"（{sign_in.oidc_provider_name}）" if m == "oidc" else "") for m in sign_in.methods
    )
    facts = {
        "登录": [
            ("登录方式", methods),
            ("图形验证码", yes_no(sign_in.captcha)),
            ("密码错误锁定", f"连续错误{sign_in.lockout_attempts}次锁定{sign_in.lockout_minutes}分钟"),
            ("在统一身份认证平台注册", yes_no(sign_in.register_at_provider)),
            ("原有人员激活", yes_no(sign_in.legacy_activation)),
            ("激活时须绑定手机号", yes_no(sign_in.legacy_must_bind_mobile) if sign_in.legacy_activation else "—"),
            ("找回密码时实名核验", yes_no(sign_in.identity_verification_on_reset)),
            ("密码规则", profile.password.hint),
        ],
        "须知": [
            ("标题", notice.title),
            ("最短阅读时间", f"{notice.min_read_seconds}秒" if notice.min_read_seconds else "不限"),
            *[(f"审核条件{i}", text) for i, text in enumerate(notice.conditions, start=1)],
        ],
        "审核与短信": [
            ("受理部门", DEPARTMENT_LEVELS[review.department_level]),
            ("审核时限", f"{review.service_days}个工作日"),
            ("审核结果短信通知", yes_no(review.notify_by_sms)),
            ("短信签名", review.sms_signature),
        ],
        "校验规则": [(label, yes_no(getattr(profile.validation, key))) for key, label in VALIDATION_LABELS.items()],
        "状态名称": [
            ("未提交", profile.status_words.draft),
            ("待审核", profile.status_words.pending),
            ("审核通过", profile.status_words.approved),
            ("审核退回", profile.status_words.returned),
        ],
        "承诺": [
            ("标题", profile.commitment.title),
            ("勾选项", profile.commitment.tick),
            ("来源", profile.commitment.source or "—"),
        ],
        "导航栏": [(item.label, NAV_PAGES[item.page]) for item in profile.navigation] or [("导航栏", "无")],
    }
    steps = []
    for number, step in enumerate(profile.steps, start=1):
        section = profile.sections.get(step)
        labels = profile.field_labels(step)
        steps.append(
            {
                "number": number,
                "title": section.title if section else EXTRA_STEPS.get(step, SECTIONS.get(step, step)),
                "required": [field_label(step, key, labels) for key in section.required] if section else [],
                "editable": [field_label(step, key, labels) for key in section.editable] if section else [],
                "renamed": [(field_label(step, key), field_label(step, key, labels)) for key in section.labels]
                if section
                else [],
                "note": section.note if section else "",
                "is_section": section is not None,
            }
        )
    employment = [
        {
            "label": status.label,
            "kind": EMPLOYMENT_KINDS[status.kind],
            "collect_at": "、".join(COLLECT_AT[c] for c in status.collect_at),
            "accounting_post": status.accounting_post or "",
        }
        for status in profile.employment_statuses
    ]
    materials = []
    for kind, material in profile.materials.items():
        size = f"宽≥{material.min_width}像素，高≥{material.min_height}像素" if material.min_width else "不限"
        materials.append(
            {
                "label": material.label or MATERIAL_KINDS.get(kind, kind),
                "required_when": REQUIRED_WHEN[material.required_when],
                "formats": "、".join(FORMATS[f] for f in material.formats),
                "max_size": _kb(material.max_bytes),
                "pixels": size + ("，自动裁剪为1寸照（295×413像素）" if material.crop == "one_inch" else ""),
                "hint": material.hint + ("（提供模板下载）" if material.template else ""),
            }
        )
    documents = [
        {"kind": "工作单位证明" if kind == "work_proof" else kind, "document": document}
        for kind, document in profile.documents.items()
    ]
    raw = (Path(settings.ACCREG_PROVINCES_DIR) / f"{profile.code}.toml").read_text(encoding="utf-8")
    return RulesSheet(profile, facts, steps, employment, materials, documents, raw)


def visible_profiles(user: Any) -> list[Province]:
    """The served provinces whose rules a user may read: all for a superuser, else their own."""
    if user.is_superuser:
        return list(served_profiles().values())
    department = getattr(user, "department", None)
    mine = profile_for_region(department.code) if department is not None else None
    return [mine] if mine else []


def rules_in_force(request: HttpRequest) -> HttpResponse:
    """/admin/rules/: the rules in force, read only."""
    if not is_administrator(request):
        raise PermissionDenied  # reviewers are sent to the sign-in page before they get here
    sheets = [rules_sheet(profile) for profile in visible_profiles(request.user)]
    context = {**admin.site.each_context(request), "title": "各省现行规则", "sheets": sheets}
    return TemplateResponse(request, "provinces/admin/rules.html", context)
