"""What the legacy archive already knows about a person (原有会计人员, imported by
accounts/legacy_import.py) starts their record, so an activated person does not type it again
(issue 14, item 13). Only values the import checked are used; the person completes and corrects
them like anything else, and the page says where they came from."""

from __future__ import annotations

from typing import Any

from accreg.accounts.models import Person
from accreg.provinces.loader import all_profiles

# legacy_data key → qualification item key (FIELDS.md qualifications)
QUALIFICATION_KEYS = {
    "qualification_level": "level",
    "qualification_date": "obtained_date",
    "certificate_number": "certificate_number",
}
ARCHIVE_NOTE = "以下内容来自原有会计人员档案，请核对，并补充未填写的项目后保存"


def archive_sections(person: Person) -> dict[str, Any]:
    """The sections a new record of this person starts with (only those the province collects)."""
    data = person.legacy_data or {}
    if not data or "qualifications" not in all_profiles()[person.province].sections:
        return {}
    qualification = {item: data[key] for key, item in QUALIFICATION_KEYS.items() if data.get(key)}
    return {"qualifications": [qualification]} if qualification else {}


def from_archive(person: Person, section: str, saved: Any) -> bool:
    """Whether the section as saved still holds what the archive gave (the note is shown then)."""
    start = archive_sections(person).get(section)
    if not start or not isinstance(saved, list):
        return False
    return any(all(item.get(k) == v for k, v in start[0].items()) for item in saved if isinstance(item, dict))
