"""Which province profiles a reviewer works under: the one of their department's province, or
every served profile for a staff member above the provinces (a superuser without a department).
The console's province-specific choices (在岗状态 and its labels) are read from these."""

from __future__ import annotations

from dataclasses import dataclass

from accreg.accounts.models import Staff
from accreg.provinces.loader import profile_for_region, served_profiles
from accreg.provinces.schema import Province


@dataclass(frozen=True)
class OptionGroup:
    """Choices of one province; `name` is shown only when the console lists several provinces."""

    name: str
    options: tuple[tuple[str, str], ...]


def reviewer_profiles(staff: Staff) -> list[Province]:
    """The profile of the staff member's province (provinces/*.toml by `region`); all served
    profiles when the staff member has no department."""
    if staff.department_id is None:
        return list(served_profiles().values())
    profile = profile_for_region(staff.department_id)
    return [profile] if profile is not None else []


def employment_options(staff: Staff) -> list[OptionGroup]:
    """在岗状态 choices as the reviewer's province names them (`[[employment_statuses]]`), in the
    file's order; one group per province for a staff member above the provinces."""
    return [
        OptionGroup(p.name, tuple((s.code, s.label) for s in p.employment_statuses)) for p in reviewer_profiles(staff)
    ]


def employment_labels(staff: Staff) -> dict[str, str]:
    """Code → label over the reviewer's provinces (the first province wins where codes repeat)."""
    labels: dict[str, str] = {}
    for group in employment_options(staff):
        for code, label in group.options:
            labels.setdefault(code, label)
    return labels
