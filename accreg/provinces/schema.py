"""The typed shape of a province rules file (provinces/*.toml), validated once at start.

Every difference between the provinces named in SPEC.md lives in one of these objects; code asks
them (`rules.materials["photo"].max_bytes`), never which province it is.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .fields import EXTRA_STEPS, LIST_SECTIONS, MATERIAL_KINDS, SECTION_FIELDS, SECTIONS

REGISTRATION_FIELDS = frozenset({"name", "id_type", "id_number", "mobile"})

SignInMethod = Literal["id_password", "name_id_password", "mobile_password", "mobile_sms", "oidc"]
EmploymentKind = Literal["employed", "student", "resident"]
CollectAt = Literal["residence", "id_place"]
ImageFormat = Literal["jpeg", "png"]
DepartmentLevel = Literal["province", "city", "county"]
# When a material must be uploaded, computed from the person's answers (SPEC §3 step 8).
RequiredWhen = Literal[
    "always",  # every person
    "optional",  # may be uploaded, never required
    "employed",  # employment kind is "employed"
    "student",  # employment kind is "student"
    "not_employed",  # kind "student" or "resident"
    "residence_proof",  # kind "resident" collected at the place of residence (not the ID's place)
    "full_time_education",  # full-time education level needs a certificate
    "full_time_degree",  # full-time degree is not 无
    "part_time_education",
    "part_time_degree",
    "each_qualification",  # one per qualification record
    "each_award",
    "each_penalty",
    "each_paper",
]
# The portal pages a navigation bar may link to (LN 1, 12: 首页, 通知公告, 操作指南, 咨询电话).
NavPage = Literal["home", "notices", "guides", "directory"]


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Rules):
    """Where the rules come from, for the people who maintain them."""

    manual: str
    notes: str = ""


class SignIn(Rules):
    methods: tuple[SignInMethod, ...] = Field(min_length=1)
    captcha: bool = False  # YN 3: an image captcha on password sign-in
    lockout_attempts: int = Field(default=5, ge=1, le=50)
    lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    legacy_activation: bool = False  # YN 3, LN 2: archive people without a password activate
    legacy_must_bind_mobile: bool = True  # YN 3: first sign-in binds and verifies a mobile
    identity_verification_on_reset: bool = False  # HN 2.1: reset also verifies identity
    oidc_provider_name: str = ""  # HN: the government identity provider shown on the button
    # HN 2.1: first-time users register on the provider, and its verified identity opens the account
    # here (the mobile is asked for); the portal's registration form points there instead.
    register_at_provider: bool = False

    @model_validator(mode="after")
    def _oidc_named(self) -> SignIn:
        if "oidc" in self.methods and not self.oidc_provider_name:
            raise ValueError("oidc 登录需要 oidc_provider_name")
        if self.register_at_provider and "oidc" not in self.methods:
            raise ValueError("register_at_provider 需要在 methods 中开通 oidc 登录")
        return self


class PasswordPolicy(Rules):
    min_length: int = Field(default=8, ge=6, le=64)
    max_length: int = Field(default=32, ge=8, le=128)
    allow_symbols: bool = True  # CQ 1.2 ③: letters and digits only
    require_letter: bool = True
    require_digit: bool = True
    hint: str

    @model_validator(mode="after")
    def _lengths(self) -> PasswordPolicy:
        if self.min_length > self.max_length:
            raise ValueError("min_length 不能大于 max_length")
        return self


class Notice(Rules):
    title: str
    text: str
    min_read_seconds: int = Field(default=0, ge=0, le=600)  # HN 3.1: 30 seconds
    conditions: tuple[str, ...] = ()  # LN 5: 审核条件


class Section(Rules):
    title: str
    required: tuple[str, ...] = ()  # fields that must be filled (for list sections: in each record)
    # work: fields required only of those with a work unit (LN 7: 从事会计工作时间 has a star only there)
    required_if_employed: tuple[str, ...] = ()
    editable: tuple[str, ...] = ()  # personal: registration fields the person may still change (LN 6)
    note: str = ""
    # A field's label in the manual's words where it differs from ours (CQ 2.2: 毕业时间 reads
    # 最高学历(学位)取得时间), by field key; used on the form, the summary, the printed form, the
    # reviewer's detail and in messages.
    labels: dict[str, str] = {}

    @field_validator("labels")
    @classmethod
    def _labels_are_words(cls, labels: dict[str, str]) -> dict[str, str]:
        for key, label in labels.items():
            if not label.strip() or len(label) > 30 or label != label.strip():
                raise ValueError(f"字段 {key} 的名称应为1到30个字，前后不留空格")
        return labels


class EmploymentStatus(Rules):
    code: str = Field(pattern=r"^[a-z_]{2,40}$")
    label: str
    kind: EmploymentKind
    collect_at: tuple[CollectAt, ...] = ("residence",)  # CQ b: residence or the ID's place
    accounting_post: str | None = None  # a fixed post, e.g. HN 不在会计岗工作 → 无


class Material(Rules):
    label: str
    required_when: RequiredWhen
    formats: tuple[ImageFormat, ...] = Field(min_length=1)
    max_bytes: int | None = Field(default=None, ge=1024)
    min_width: int | None = Field(default=None, ge=1)
    min_height: int | None = Field(default=None, ge=1)
    crop: Literal["one_inch"] | None = None  # 295×413 around the face when the photo rule asks for it
    white_background: bool = False  # 白底 demanded: the photo's background is checked (a warning)
    hint: str = ""
    template: bool = False  # a template to download and fill (work proof, basic-information form)


class ChecklistItem(Rules):
    """One line of a template's post checklist, in the manual's words, ticked when the person's
    accounting post is one of `posts` (codes of the accounting_posts list)."""

    label: str
    posts: tuple[str, ...] = ()


class DocumentTemplate(Rules):
    """A form the person downloads filled in, prints, has sealed and uploads (CQ appendix 2, YN 12).
    `body`, `closing` and `signature` may name {name}, {id_number}, {unit_name}, {credit_code},
    {district}, {department} and {post}; `post_checklist` is the manual's list of posts, the
    person's ticked."""

    title: str
    body: tuple[str, ...] = Field(min_length=1)
    post_checklist: tuple[ChecklistItem, ...] = ()
    closing: tuple[str, ...] = ()
    signature: str = "单位名称（盖章）："


class Validation(Rules):
    accounting_years_within_start_date: bool = True  # HN 3.4.3
    accounting_start_not_before_full_time_education: bool = False  # HN 3.4.2
    collection_region_in_province: bool = True  # LN 5: the place must be in this province


class Review(Rules):
    department_level: DepartmentLevel = "county"  # who receives a submission (YN 1.3, HN 1.1)
    service_days: int = Field(ge=1, le=60)  # working days promised for a decision (LN 11)
    notify_by_sms: bool = True  # CQ 3(1)
    sms_signature: str  # the sender name in the SMS, e.g. 【重庆会计之家】


class StatusWords(Rules):
    """The words a person of the province reads for each status of the record and of a submission
    (YN 11: 审核中, 审核失败, 审核成功). The API's status values never change; only these words do."""

    draft: str = Field(default="未提交", min_length=2, max_length=8)
    pending: str = Field(default="待审核", min_length=2, max_length=8)
    approved: str = Field(default="审核通过", min_length=2, max_length=8)
    returned: str = Field(default="审核退回", min_length=2, max_length=8)

    @model_validator(mode="after")
    def _distinct(self) -> StatusWords:
        words = [self.draft, self.pending, self.approved, self.returned]
        if len(set(words)) != len(words):
            raise ValueError(f"四种状态的名称不能相同：{'、'.join(words)}")
        return self

    def of(self, status: str) -> str:
        """The word for an API status value ("pending" → 审核中); an unknown value as it is."""
        return str(getattr(self, status, status)) if status in STATUS_VALUES else status


STATUS_VALUES = ("draft", "pending", "approved", "returned")


class Commitment(Rules):
    """What the person reads before ticking the box on the submit step (LN 10: 须阅读并同意
    《关于本人信息真实准确承诺函》): a title, the full text (one paragraph a line) and the box's words."""

    title: str = Field(default="本人承诺", min_length=2, max_length=40)
    text: str = Field(default="本人承诺：所填信息及上传材料真实、准确、完整，如有虚假，愿承担相应责任。", min_length=10)
    tick: str = Field(default="我已阅读并同意以上承诺", min_length=4, max_length=60)
    # Whose words these are, for the people who maintain them (the manual's, or ours).
    source: str = ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.text.strip().splitlines() if line.strip())


class NavItem(Rules):
    label: str = Field(min_length=2, max_length=6)
    page: NavPage


class Texts(Rules):
    portal_title: str
    home_intro: str
    submitted: str = "提交成功！请等待审核，勿重复提交"  # CQ 2.8
    already_collected: str = "您已采集过信息，无需重复采集"  # HN 3.7
    id_number_taken: str
    region_outside: str
    help_contact: str = ""


class Province(Rules):
    """One province portal's complete rules (a profile)."""

    code: str = Field(pattern=r"^[a-z]{2,20}$")
    name: str  # 河南省
    short_name: str  # 河南
    region: str = Field(pattern=r"^\d{2}0000$")  # the province's division code
    source: Source
    sign_in: SignIn
    password: PasswordPolicy
    notice: Notice
    steps: tuple[str, ...] = Field(min_length=3)
    sections: dict[str, Section]
    employment_statuses: tuple[EmploymentStatus, ...] = Field(min_length=1)
    materials: dict[str, Material]
    validation: Validation = Validation()
    documents: dict[Literal["work_proof"], DocumentTemplate] = {}
    review: Review
    texts: Texts
    status_words: StatusWords = StatusWords()
    commitment: Commitment = Commitment()
    # A bar of links on every portal page (LN 1, 12); none unless the manual names one.
    navigation: tuple[NavItem, ...] = Field(default=(), max_length=5)

    @field_validator("sections")
    @classmethod
    def _known_sections(cls, sections: dict[str, Section]) -> dict[str, Section]:
        for key, section in sections.items():
            if key not in SECTIONS:
                raise ValueError(f"未知的信息项 {key!r}，可用：{', '.join(SECTIONS)}")
            named = (*section.required, *section.required_if_employed, *section.editable, *section.labels)
            unknown = [f for f in named if f not in SECTION_FIELDS[key]]
            if unknown:
                raise ValueError(f"信息项 {key} 没有字段 {', '.join(unknown)}（见 FIELDS.md）")
            fixed = [f for f in section.labels if key == "personal" and f in REGISTRATION_FIELDS]
            if fixed:
                raise ValueError(f"注册信息 {', '.join(fixed)} 的名称不能按省改动（注册页、短信等处共用）")
        return sections

    @field_validator("materials")
    @classmethod
    def _known_materials(cls, materials: dict[str, Material]) -> dict[str, Material]:
        unknown = [key for key in materials if key not in MATERIAL_KINDS]
        if unknown:
            raise ValueError(f"未知的材料种类 {', '.join(unknown)}，可用：{', '.join(MATERIAL_KINDS)}")
        return materials

    @model_validator(mode="after")
    def _steps_match_sections(self) -> Province:
        known = set(SECTIONS) | set(EXTRA_STEPS)
        unknown = [s for s in self.steps if s not in known]
        if unknown:
            raise ValueError(f"steps 中有未知的步骤 {', '.join(unknown)}")
        if len(set(self.steps)) != len(self.steps):
            raise ValueError("steps 中有重复的步骤")
        for required in ("personal", "work", "commitment"):
            if required not in self.steps:
                raise ValueError(f"steps 必须包含 {required}")
        section_steps = {s for s in self.steps if s in SECTIONS}
        if section_steps != set(self.sections):
            missing = sorted(section_steps - set(self.sections))
            extra = sorted(set(self.sections) - section_steps)
            raise ValueError(f"steps 与 sections 不一致：缺少 sections.{missing}，多余 sections.{extra}")
        codes = [s.code for s in self.employment_statuses]
        if len(set(codes)) != len(codes):
            raise ValueError("employment_statuses 的 code 重复")
        list_materials = {
            "each_qualification": "qualifications",
            "each_award": "credit_kept",
            "each_penalty": "credit_broken",
            "each_paper": "papers",
        }
        for kind, material in self.materials.items():
            section = list_materials.get(material.required_when)
            if section and section not in self.sections:
                raise ValueError(f"materials.{kind} 需要信息项 {section}，但 steps 中没有它")
        pages = [item.page for item in self.navigation]
        if len(set(pages)) != len(pages):
            raise ValueError("navigation 中有重复的页面")
        if self.navigation and pages[0] != "home":
            raise ValueError('navigation 的第一项应为首页（page = "home"）')
        return self

    # Questions the rest of the system asks. ------------------------------------------------

    @property
    def section_steps(self) -> tuple[str, ...]:
        return tuple(s for s in self.steps if s in SECTIONS)

    def employment_status(self, code: str) -> EmploymentStatus | None:
        return next((s for s in self.employment_statuses if s.code == code), None)

    def is_list_section(self, section: str) -> bool:
        return section in LIST_SECTIONS

    def field_labels(self, section: str) -> dict[str, str]:
        """The section's labels in the manual's words, by field key ({} when none differ)."""
        found = self.sections.get(section)
        return dict(found.labels) if found else {}

    def status_word(self, status: str) -> str:
        return self.status_words.of(status)
