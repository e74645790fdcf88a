"""Which materials a person must and may upload, computed from their answers (SPEC §3 step 8)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accreg.provinces.fields import MATERIAL_KINDS
from accreg.provinces.schema import Material as MaterialRule
from accreg.provinces.schema import Province

from .imaging import DOCUMENT_MAX_SIDE, ONE_INCH, ImageRule

# What a phone sends at most (long side, px): room for the server's own crop and resize, never
# below what the rule asks for. A document at this size is a few hundred KB as a JPEG.
PHONE_DOCUMENT_SIDE = 1800
# A 1-inch photo is cut around the head, a part of the picture: the phone keeps 3 × 413 px, so a
# face of a fifth of a landscape photo's height still gives 413 px (issue 17).
PHONE_ONE_INCH_SIDE = 3 * max(ONE_INCH)

NO_CERTIFICATE_LEVELS = frozenset({"00", "70"})  # 无学历, 初中及以下 (CQ 2.2)
NO_DEGREE = "0"
PER_ITEM = {
    "each_qualification": "qualifications",
    "each_award": "credit_kept",
    "each_penalty": "credit_broken",
    "each_paper": "papers",
}


@dataclass(frozen=True)
class Requirement:
    kind: str
    item: int
    label: str
    required: bool
    rule: MaterialRule

    def image_rule(self) -> ImageRule:
        return ImageRule(
            formats=self.rule.formats,
            max_bytes=self.rule.max_bytes,
            min_width=self.rule.min_width,
            min_height=self.rule.min_height,
            one_inch=self.rule.crop == "one_inch",
            white_background=self.rule.white_background,
        )

    def shrink_side(self) -> int:
        """The long side a phone may shrink a picture to before sending it for this material."""
        wanted = 2 * max(self.rule.min_width or 0, self.rule.min_height or 0)
        if self.rule.crop == "one_inch":
            return max(PHONE_ONE_INCH_SIDE, wanted)
        return min(DOCUMENT_MAX_SIDE, max(PHONE_DOCUMENT_SIDE, wanted))


def _employment_kind(profile: Province, sections: dict[str, Any]) -> str | None:
    status = profile.employment_status((sections.get("work") or {}).get("employment", ""))
    return status.kind if status else None


def _applies(when: str, profile: Province, sections: dict[str, Any]) -> bool:
    kind = _employment_kind(profile, sections)
    education = sections.get("education") or {}
    full, part = education.get("full_time") or {}, education.get("part_time") or {}
    return {
        "always": True,
        "optional": False,
        "employed": kind == "employed",
        "student": kind == "student",
        "not_employed": kind in ("student", "resident"),
        "residence_proof": kind == "resident" and (sections.get("work") or {}).get("collect_at") == "residence",
        "full_time_education": bool(full.get("level")) and full["level"] not in NO_CERTIFICATE_LEVELS,
        "full_time_degree": bool(full.get("degree")) and full["degree"] != NO_DEGREE,
        "part_time_education": bool(part.get("level")) and part["level"] not in NO_CERTIFICATE_LEVELS,
        "part_time_degree": bool(part.get("degree")) and part["degree"] != NO_DEGREE,
    }.get(when, False)


def material_requirements(profile: Province, sections: dict[str, Any]) -> list[Requirement]:
    """Every material the person must upload (required) or may upload (optional), in file order."""
    found: list[Requirement] = []
    for kind, rule in profile.materials.items():
        label = rule.label or MATERIAL_KINDS[kind]
        if rule.required_when in PER_ITEM:
            for index, _item in enumerate(sections.get(PER_ITEM[rule.required_when]) or []):
                found.append(Requirement(kind, index, f"{label}（第{index + 1}条）", True, rule))
        elif rule.required_when == "optional":
            found.append(Requirement(kind, 0, label, False, rule))
        elif _applies(rule.required_when, profile, sections):
            found.append(Requirement(kind, 0, label, True, rule))
    return found
