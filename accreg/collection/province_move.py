"""A record that moves to another province (a transfer across provinces) is read by the new
province's rules (issue 14, item 10). Code lists are national and keep their codes; what each
province names itself is the employment status (在岗状态), mapped here by its kind (employed,
student, resident) and, where a province splits the employed by post (HN 在会计岗 / 不在会计岗),
by the post. What the new province asks for and the record lacks is then listed for the person
like any missing field (`collection.selectors.step_states`), never shown as a raw code."""

from __future__ import annotations

from typing import Any

from accreg.provinces.schema import EmploymentStatus, Province

from .rules import NONE_CODE


def equivalent_status(status: EmploymentStatus, work: dict[str, Any], to: Province) -> EmploymentStatus | None:
    """The new province's status of the same kind; of several, the one whose fixed post fits."""
    same_kind = [s for s in to.employment_statuses if s.kind == status.kind]
    if not same_kind:
        return None
    post = work.get("accounting_post", NONE_CODE)
    in_no_post = post == NONE_CODE
    for candidate in same_kind:
        if (candidate.accounting_post == NONE_CODE) == in_no_post:
            return candidate
    return same_kind[0]


def sections_in(sections: dict[str, Any], source: Province, to: Province) -> dict[str, Any]:
    """The sections as the new province reads them: its own employment status code."""
    if source.code == to.code:
        return sections
    work = dict(sections.get("work") or {})
    status = source.employment_status(work.get("employment", ""))
    if status is not None:
        mapped = equivalent_status(status, work, to)
        if mapped is None:
            work.pop("employment", None)  # nothing alike: the person chooses again (listed as missing)
        else:
            work["employment"] = mapped.code
            if mapped.accounting_post is not None:
                work["accounting_post"] = mapped.accounting_post
    return {**sections, "work": work}
