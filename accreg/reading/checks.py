"""Checks worked out from a reading's facts against the record, for the person and the reviewer.

A check informs; it never blocks a submission by itself (OCR can be wrong). Each kind of material
has its own function; the keys are fixed by issue 17: `face`, `background` (photo); `id_name`,
`id_number` (ID front); `id_valid` (ID back); `certificate_number` (certificates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from .models import Reading, ReadingState


@dataclass(frozen=True)
class Check:
    key: str
    ok: bool
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Subject:
    """What the material is checked against: the registered name and full ID number, and the
    record's sections (the saved record for the person, the snapshot for the reviewer)."""

    name: str
    id_number: str
    sections: dict[str, Any]


CheckFunction = Callable[[Reading, Subject], list[Check]]

# The facts each kind's reader stores (decision 0028); a reader leaves a value "" or [] when it
# could not read it:
#   photo:        {"face": {"box": [x, y, w, h]} , "background": {"white": bool, "rgb": [r, g, b]}}
#   id_front:     {"name": str, "id_number": str, "lines": [str]}
#   id_back:      {"valid_from": "YYYY-MM-DD" | "", "valid_until": "YYYY-MM-DD" | "长期" | "", "lines": [str]}
#   certificates: {"numbers": [str], "lines": [str]}  (every run of 6+ letters and digits on it)

ID_NUMBER_MISMATCH = "照片中的证件号码与注册信息不一致，请确认上传的是本人证件"


def _normal(text: str) -> str:
    return "".join(text.split()).upper()


def photo_checks(reading: Reading, subject: Subject) -> list[Check]:
    facts = reading.facts
    checks = []
    if "face" in facts:
        checks.append(
            Check("face", bool(facts["face"]), "已按人脸位置裁剪为1寸照片" if facts["face"] else "未能确认人脸位置")
        )
    background = facts.get("background")
    if isinstance(background, dict):
        white = bool(background.get("white"))
        checks.append(
            Check(
                "background", white, "背景为白色" if white else "照片背景不是白色，请在白色墙面前重新拍摄（要求白底）"
            )
        )
    return checks


def id_front_checks(reading: Reading, subject: Subject) -> list[Check]:
    facts = reading.facts
    name, number = _normal(str(facts.get("name", ""))), _normal(str(facts.get("id_number", "")))
    if not number:
        number_check = Check("id_number", False, "未能识别证件上的号码，请上传清晰、完整的证件正面照片")
    elif number != _normal(subject.id_number):
        number_check = Check("id_number", False, ID_NUMBER_MISMATCH)
    else:
        number_check = Check("id_number", True, "证件号码与注册信息一致")
    if not name:
        name_check = Check("id_name", False, "未能识别证件上的姓名，请上传清晰、完整的证件正面照片")
    elif name != _normal(subject.name):
        name_check = Check("id_name", False, "照片中的姓名与注册信息不一致，请确认上传的是本人证件")
    else:
        name_check = Check("id_name", True, "姓名与注册信息一致")
    return [name_check, number_check]


def id_back_checks(reading: Reading, subject: Subject, *, today: date | None = None) -> list[Check]:
    until = str(reading.facts.get("valid_until", ""))
    today = today or timezone.localdate()
    if until == "长期":
        return [Check("id_valid", True, "证件长期有效")]
    try:
        expiry = date.fromisoformat(until)
    except ValueError:
        return [Check("id_valid", False, "未能识别证件的有效期限，请上传清晰、完整的证件反面照片")]
    if expiry < today:
        return [Check("id_valid", False, f"证件已于{expiry:%Y年%m月%d日}过期，请上传有效证件")]
    return [Check("id_valid", True, f"证件有效期至{expiry:%Y年%m月%d日}")]


def typed_certificate_number(kind: str, item: int, sections: dict[str, Any]) -> str:
    """The certificate number the record types for a certificate material ("" when none is typed)."""
    if kind == "qualification":
        items = sections.get("qualifications") or []
        row = items[item] if isinstance(items, list) and item < len(items) else {}
        return str((row or {}).get("certificate_number") or "")
    part = "full_time" if kind.startswith("full_time") else "part_time"
    if not kind.endswith("_education"):
        return ""  # a degree certificate's number is not typed in the record
    return str((((sections.get("education") or {}).get(part)) or {}).get("certificate_number") or "")


def certificate_checks(reading: Reading, subject: Subject) -> list[Check]:
    typed = _normal(typed_certificate_number(reading.kind, reading.item, subject.sections))
    if not typed:
        return []
    read = {_normal(str(n)) for n in reading.facts.get("numbers", [])}
    text = _normal("".join(str(line) for line in reading.facts.get("lines", [])))
    if typed in read or typed in text:
        return [Check("certificate_number", True, "证书编号与填写一致")]
    return [Check("certificate_number", False, "证书上未找到填写的证书编号，请核对证书编号或上传清晰的证书照片")]


CERTIFICATE_KINDS = (
    "full_time_education",
    "full_time_degree",
    "part_time_education",
    "part_time_degree",
    "qualification",
)
CHECKS: dict[str, CheckFunction] = {
    "photo": photo_checks,
    "id_front": id_front_checks,
    "id_back": id_back_checks,
    **dict.fromkeys(CERTIFICATE_KINDS, certificate_checks),
}


def checks_for(reading: Reading, subject: Subject) -> list[Check]:
    if reading.state != ReadingState.DONE:
        return []
    function = CHECKS.get(reading.kind)
    return function(reading, subject) if function else []


def reading_out(reading: Reading | None, subject: Subject) -> dict[str, Any] | None:
    """The `reading` key of a material in the API and the reviewer's detail."""
    if reading is None:
        return None
    return {"state": reading.state, "checks": [c.as_dict() for c in checks_for(reading, subject)]}


def subject_of(person: Any, sections: dict[str, Any]) -> Subject:
    """The subject for `person` (an accounts.Person) with the given sections."""
    from accreg.accounts.people import id_number_of

    return Subject(name=person.name, id_number=id_number_of(person), sections=sections)
