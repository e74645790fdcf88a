"""The self-check before submitting (提交前自查, issue 17 item 5): the usual return reasons
(`return_reasons` code list) that a machine can check on the saved record and its readings, so the
person fixes them before a reviewer returns the record. Nothing here blocks a submission: what is
a hard rule is already refused when a section is saved (a date after today, a bad credit code).

Each finding names its reason code and label, a Chinese message, and the step and field that fix it.
Reasons a machine cannot check (a work proof without a stamp, the wrong collection place chosen on
purpose, a picture that is merely unclear to a person) are not guessed at.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone
from stdnum.cn import uscc

from accreg.accounts.models import Person
from accreg.codelists.registry import code_list
from accreg.provinces.schema import Province

from .field_specs import education_specs, section_specs
from .models import Record

ADULT_WORK_AGE = 16  # the lowest working age (劳动法 第十五条)

# Which return reason each failing reading check is (accreg.reading.checks keys).
READING_REASONS = {"face": "R01", "background": "R01", "id_name": "R02", "id_number": "R02", "id_valid": "R02"}
CERTIFICATE_REASONS = {"full_time_education": "R03", "part_time_education": "R03", "qualification": "R05"}
# Materials a province may ask for without requiring them, whose absence is a usual return reason.
USUAL_MATERIALS = {"work_proof": "R04", "basic_info_form": "R09"}


@dataclass(frozen=True)
class Finding:
    reason: str
    label: str
    message: str
    step: str
    field: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Facts:
    profile: Province
    person: Person
    record: Record
    today: datetime.date

    @property
    def sections(self) -> dict[str, Any]:
        return self.record.sections or {}

    def birth(self) -> datetime.date | None:
        if self.person.birth_date:
            return self.person.birth_date
        return _date((self.sections.get("personal") or {}).get("birth_date"))


Rule = Callable[[Facts], list[Finding]]


def _finding(reason: str, message: str, step: str, field: str) -> Finding:
    return Finding(reason, code_list("return_reasons").label(reason) or reason, message, step, field)


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _aged(birth: datetime.date, years: int) -> datetime.date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # born on 29 February
        return birth.replace(year=birth.year + years, day=28)


def _whole_years(start: datetime.date, today: datetime.date) -> int:
    return today.year - start.year - ((today.month, today.day) < (start.month, start.day))


def too_young_dates(facts: Facts) -> list[Finding]:
    """Graduation, a qualification, being hired or starting accounting work before the age of 16:
    a typing slip in the year, which reviewers return (R03, R05, R10, R11)."""
    birth = facts.birth()
    if birth is None:
        return []
    sixteen = _aged(birth, ADULT_WORK_AGE)
    found: list[Finding] = []

    def check(value: Any, reason: str, step: str, field: str, label: str) -> None:
        day = _date(value)
        if day is not None and day < sixteen:
            found.append(_finding(reason, f"{label}（{day.isoformat()}）时您还不满16周岁，请核对", step, field))

    education = facts.sections.get("education") or {}
    labels = facts.profile.field_labels("education")
    for part in ("full_time", "part_time"):
        spec = education_specs(part, labels)["graduation_date"]
        check(
            (education.get(part) or {}).get("graduation_date"),
            "R03",
            "education",
            f"education.{part}.graduation_date",
            spec.label,
        )
    spec = section_specs("qualifications", facts.profile.field_labels("qualifications"))["obtained_date"]
    for index, item in enumerate(facts.sections.get("qualifications") or []):
        label = f"第{index + 1}条{spec.label}"
        check(
            (item or {}).get("obtained_date"), "R05", "qualifications", f"qualifications.{index}.obtained_date", label
        )
    work = facts.sections.get("work") or {}
    specs = section_specs("work", facts.profile.field_labels("work"))
    check(work.get("hire_date"), "R10", "work", "work.hire_date", specs["hire_date"].label)
    check(
        work.get("accounting_start_date"),
        "R11",
        "work",
        "work.accounting_start_date",
        specs["accounting_start_date"].label,
    )
    return found


def accounting_years_beyond_start(facts: Facts) -> list[Finding]:
    """More years of accounting work than whole years since the start date (R11). Henan refuses it
    on saving (HN 3.4 3); elsewhere it is only a likely return."""
    work = facts.sections.get("work") or {}
    start, years = _date(work.get("accounting_start_date")), work.get("accounting_years")
    if start is None or not isinstance(years, int):
        return []
    whole = _whole_years(start, facts.today)
    if years <= whole:
        return []
    specs = section_specs("work", facts.profile.field_labels("work"))
    message = (
        f"{specs['accounting_years'].label}（{years}年）超过从{specs['accounting_start_date'].label}至今的整年数"
        f"（{whole}年），请核对"
    )
    return [_finding("R11", message, "work", "work.accounting_years")]


def unit_credit_code(facts: Facts) -> list[Finding]:
    """A unit credit code whose check character is wrong (GB 32100; R10). Saving refuses one now;
    a record saved before that rule, or carried over, may still hold one."""
    code = (facts.sections.get("work") or {}).get("unit_credit_code")
    if not code or uscc.is_valid(str(code)):
        return []
    message = "统一社会信用代码校验位不正确，请与营业执照核对"
    return [_finding("R10", message, "work", "work.unit_credit_code")]


def usual_materials(facts: Facts) -> list[Finding]:
    """A work proof or signed form the province offers but does not require, not uploaded (R04, R09)."""
    from accreg.uploads.requirements import material_requirements

    stored = {(m.kind, m.item) for m in facts.record.materials.all()}
    return [
        _finding(
            USUAL_MATERIALS[req.kind],
            f"未上传{req.label}，审核时常因缺少此材料而不予通过",
            "attachments",
            f"material:{req.kind}",
        )
        for req in material_requirements(facts.profile, facts.sections)
        if not req.required and req.kind in USUAL_MATERIALS and (req.kind, req.item) not in stored
    ]


def reading_checks(facts: Facts) -> list[Finding]:
    """What the machine read off the uploaded pictures and found wrong: a photo without a white
    background or a face (R01), an ID card whose name, number or validity does not match (R02), a
    certificate without the typed number (R03, R05). Pictures still being read are skipped."""
    from accreg.reading.checks import checks_for, subject_of
    from accreg.reading.services import readings_by_file

    materials = list(facts.record.materials.all())
    readings = readings_by_file(m.file.name or "" for m in materials)
    subject = subject_of(facts.person, facts.sections)
    found: list[Finding] = []
    for material in materials:
        reading = readings.get(material.file.name or "")
        if reading is None:
            continue
        for check in checks_for(reading, subject):
            if check.ok:
                continue
            if check.key == "certificate_number" and material.kind in CERTIFICATE_REASONS:
                found.append(_certificate_finding(material.kind, material.item, check.message))
            elif check.key in READING_REASONS:
                item = f"#{material.item}" if material.item else ""
                found.append(
                    _finding(
                        READING_REASONS[check.key], check.message, "attachments", f"material:{material.kind}{item}"
                    )
                )
    return found


def _certificate_finding(kind: str, item: int, message: str) -> Finding:
    if kind == "qualification":
        return _finding("R05", message, "qualifications", f"qualifications.{item}.certificate_number")
    part = "full_time" if kind.startswith("full_time") else "part_time"
    return _finding(CERTIFICATE_REASONS[kind], message, "education", f"education.{part}.certificate_number")


RULES: tuple[Rule, ...] = (
    reading_checks,
    usual_materials,
    too_young_dates,
    accounting_years_beyond_start,
    unit_credit_code,
)


def self_check(
    person: Person, record: Record, *, profile: Province, today: datetime.date | None = None
) -> list[dict[str, str]]:
    """Every likely return reason of the saved record, in the order of the province's steps:
    [{"reason", "label", "message", "step", "field"}]. Reads only."""
    facts = Facts(profile, person, record, today or timezone.localdate())
    found = [finding for rule in RULES for finding in rule(facts)]
    steps = list(profile.steps)
    found.sort(key=lambda f: steps.index(f.step) if f.step in steps else len(steps))
    return [f.as_dict() for f in found if f.step in steps]
