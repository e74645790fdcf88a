"""What a reviewer asked the person to fix (退回), placed where the person fixes it: each field key
of the return ("work.unit_name", "education.full_time.level", "qualifications.0.level",
"material:photo") as a step, a form name and a label, with a link straight to it."""

from __future__ import annotations

from dataclasses import dataclass

from accreg.collection.field_specs import EDUCATION_PARTS, LIST_ITEMS, PLAIN_SECTIONS, education_specs, section_specs
from accreg.collection.models import Record, RecordStatus
from accreg.provinces.fields import MATERIAL_KINDS, SECTIONS
from accreg.provinces.schema import Province


@dataclass(frozen=True)
class Flag:
    step: str  # the wizard step holding it
    name: str  # the form field's name on that step ("unit_name", "0.level"), or the material anchor
    label: str
    reason: str
    url: str


def _label(profile: Province, section: str, rest: str) -> str:
    title = profile.sections[section].title if section in profile.sections else SECTIONS.get(section, section)
    labels = profile.field_labels(section)
    if section in PLAIN_SECTIONS:
        spec = section_specs(section, labels).get(rest)
        return f"{title}：{spec.label}" if spec else title
    if section == "education":
        part, _, key = rest.partition(".")
        spec = education_specs(part, labels).get(key) if part in EDUCATION_PARTS else None
        return f"{title}：{spec.label if spec else EDUCATION_PARTS.get(part, '')}"
    index, _, key = rest.partition(".")
    spec = section_specs(section, labels).get(key) if section in LIST_ITEMS else None
    number = f"第{int(index) + 1}条" if index.isdigit() else ""
    return f"{title}：{number}{spec.label if spec else ''}"


def returned_flags(profile: Province, record: Record) -> list[Flag]:
    """The fields and materials the latest return points at; empty unless the record is returned."""
    if record.status != RecordStatus.RETURNED:
        return []
    latest = record.submissions.order_by("-submitted_at").first()
    flags = []
    for item in latest.fields if latest else []:
        key, reason = item.get("field", ""), item.get("reason", "")
        base = f"/{profile.code}/record/"
        if key.startswith("material:"):
            kind = key.removeprefix("material:")
            rule = profile.materials.get(kind)
            label = rule.label if rule else MATERIAL_KINDS.get(kind, kind)
            flags.append(Flag("attachments", f"{kind}-0", label, reason, f"{base}attachments/#m-{kind}-0"))
            continue
        section, _, rest = key.partition(".")
        if section not in profile.sections:
            continue
        flags.append(Flag(section, rest, _label(profile, section, rest), reason, f"{base}{section}/#w-{rest}"))
    return flags
