"""The certificate numbers a person states (学历证书编号, 专业技术资格证书编号), normalised and kept in
a small indexed table at each submission, for the reviewer's duplicate guard (decision 0029)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from accreg.accounts.models import Person

from .models import CertificateNumber, Submission

# Fewer characters than this is no certificate number ("无", "/", "123").
MIN_LENGTH = 6
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def normal_number(raw: Any) -> str:
    """The number as compared: full-width folded to ASCII, upper case, separators and spaces
    dropped; "" when what is left is too short or one character repeated ("000000")."""
    number = _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", str(raw or "")).upper())
    if len(number) < MIN_LENGTH or len(set(number)) == 1:
        return ""
    return number


def stated_numbers(sections: dict[str, Any]) -> dict[str, str]:
    """Every certificate number the sections state, by field key, normalised and non-empty:
    {"education.full_time.certificate_number": "…", "qualifications.0.certificate_number": "…"}."""
    found: dict[str, Any] = {}
    education = sections.get("education") or {}
    if isinstance(education, dict):
        for part in ("full_time", "part_time"):
            found[f"education.{part}.certificate_number"] = (education.get(part) or {}).get("certificate_number")
    qualifications = sections.get("qualifications") or []
    if isinstance(qualifications, list):
        for index, item in enumerate(qualifications):
            if isinstance(item, dict):
                found[f"qualifications.{index}.certificate_number"] = item.get("certificate_number")
    numbers = {key: normal_number(value) for key, value in found.items()}
    return {key: number for key, number in numbers.items() if number}


def index_submission(submission: Submission) -> None:
    """Make the person's rows the numbers this submission states, in the caller's transaction.
    Safe to repeat."""
    person_id = submission.record.person_id
    CertificateNumber.objects.filter(person_id=person_id).delete()
    CertificateNumber.objects.bulk_create(
        CertificateNumber(number=number, person_id=person_id, field=field, submission=submission)
        for field, number in stated_numbers(submission.snapshot.get("sections") or {}).items()
    )


def holders_of(numbers: list[str], *, besides: Person, limit: int) -> dict[str, list[int]]:
    """For each number, the people other than `besides` whose latest submission states it: at
    most `limit` + 1 of them, enough to tell a common number from a rare one. One index probe a
    number (a record states a handful)."""
    found: dict[str, list[int]] = {}
    for number in sorted(set(numbers)):
        rows = (
            CertificateNumber.objects.filter(number=number)
            .exclude(person=besides)
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .distinct()
        )
        people = list(rows[: limit + 1])
        if people:
            found[number] = people
    return found


def index_all(*, batch: int = 1000) -> int:
    """Index every record's latest submission (the table started after submissions existed), a
    batch of records a transaction. Safe to repeat; returns the number of records indexed."""
    from django.db import transaction

    from .models import Record

    done, last = 0, 0
    while True:
        ids = list(Record.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        latest: dict[int, Submission] = {}
        for submission in (
            Submission.objects.filter(record_id__in=ids).select_related("record").order_by("record_id", "-submitted_at")
        ):
            latest.setdefault(submission.record_id, submission)
        with transaction.atomic():
            for submission in latest.values():
                index_submission(submission)
        done, last = done + len(latest), ids[-1]
