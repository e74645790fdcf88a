"""The field keys of the accountant's record (FIELDS.md), by section.

Province files may only name these keys; later capabilities validate records against the same table.
"""

SECTIONS: dict[str, str] = {
    "personal": "个人信息",
    "work": "工作信息",
    "education": "学历信息",
    "qualifications": "专业技术资格",
    "talent": "高端人才",
    "credit_kept": "信用信息—守信",
    "credit_broken": "信用信息—失信",
    "papers": "论文著作",
    "remarks": "备注信息",
}

# Steps that are not sections of the record.
EXTRA_STEPS: dict[str, str] = {
    "notice": "阅读须知",
    "attachments": "附件上传",
    "commitment": "承诺并提交",
}

_EDUCATION_ITEM = ("level", "degree", "major", "school", "graduation_date", "certificate_number")

SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "personal": (
        "name",
        "id_type",
        "id_number",
        "mobile",
        "gender",
        "birth_date",
        "ethnicity",
        "political_status",
        "country",
        "email",
    ),
    "work": (
        "employment",
        "unit_name",
        "unit_credit_code",
        "unit_region",
        "unit_address",
        "unit_type",
        "unit_phone",
        "hire_date",
        "accounting_post",
        "admin_post",
        "accounting_start_date",
        "accounting_years",
        "school_region",
        "school_name",
        "residence_region",
        "residence_address",
        "collect_at",
        "department",
        "technical_post",
        "technical_post_date",
        "cpa",
        "cpa_number",
        "tax_agent",
        "tax_agent_number",
        "appraiser",
        "appraiser_number",
        "abacus_grade",
        "abacus_number",
    ),
    "education": tuple(f"{part}.{key}" for part in ("full_time", "part_time") for key in _EDUCATION_ITEM),
    "qualifications": ("type", "level", "obtained_date", "certificate_number", "method"),
    "talent": ("category", "level", "kind"),
    "credit_kept": ("date", "level", "issuer", "content"),
    "credit_broken": (
        "violation_type",
        "penalty_date",
        "effective_date",
        "authority",
        "penalty_kind",
        "content",
        "term",
        "end_date",
    ),
    "papers": ("title", "published_date", "issue", "serial_number", "author_rank", "publisher"),
    "remarks": ("text",),
}

# Sections that hold a list of records (zero or more, each all-or-nothing).
LIST_SECTIONS = frozenset({"qualifications", "credit_kept", "credit_broken", "papers"})

MATERIAL_KINDS: dict[str, str] = {
    "photo": "近期1寸免冠照",
    "id_front": "有效身份证件正面照片",
    "id_back": "有效身份证件反面照片",
    "work_proof": "工作单位证明",
    "business_licence": "单位营业执照照片",
    "student_card": "学生证",
    "residence_proof": "居住证明",
    "full_time_education": "全日制最高学历证书",
    "full_time_degree": "全日制最高学位证书",
    "part_time_education": "非全日制最高学历证书",
    "part_time_degree": "非全日制最高学位证书",
    "qualification": "专业技术资格证书",
    "award_proof": "获奖证明",
    "penalty_proof": "处罚证明",
    "paper_proof": "论文著作证明",
    "basic_info_form": "会计人员基本信息表（签字）",
}
