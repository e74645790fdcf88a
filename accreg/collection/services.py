"""Saving a section of the record (草稿保存): every step saves on its own, from any device."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accreg.accounts.models import Person
from accreg.audit.services import log_event
from accreg.errors import ConflictError, DomainError, NotFoundError
from accreg.plain_sql import fetch_one, update_fields
from accreg.provinces.fields import SECTIONS
from accreg.provinces.loader import all_profiles

from .amendments import change_locks
from .archive_prefill import archive_sections
from .clean_stamps import section_stamp
from .models import Record, RecordStatus
from .rules import Context, SectionResult, check_section
from .selectors import material_states

# Reads and checks of one save, at most, when other saves of the same record keep landing first.
ATTEMPTS = 3


def save_section(
    person: Person, section: str, raw: Any, *, today: datetime.date | None = None
) -> tuple[Record, SectionResult]:
    """Check a section by the person's province rules and store it as the draft (SPEC §3). Values
    that break a rule are refused with every bad field named and nothing stored; required fields
    still empty are saved as missing. Safe to repeat.

    No row lock and no transaction of its own (decision 0031): the record is read, the section
    checked against it, and the UPDATE holds only if the record still has the version and status
    it was read with. Every change of a record's sections raises its version and every change of
    its state changes its status, so a save that lost that race (the person's other device, a
    submission, a withdrawn change) reads the record again and checks again: nothing another
    writer stored is overwritten, and a submitted record is never changed."""
    profile = all_profiles()[person.province]
    if section not in profile.sections:
        name = SECTIONS.get(section, section)
        raise NotFoundError("unknown_section", f"{profile.name}不采集“{name}”")
    for _ in range(ATTEMPTS):
        # The materials' states come with the record, for the steps the save answers with.
        record = fetch_one(Record, "person_id = %s", [person.pk], annotations=material_states())
        if record is None:
            record, _ = Record.objects.get_or_create(person=person, defaults={"sections": archive_sections(person)})
        result = _checked(person, profile, record, section, raw, today or timezone.localdate())
        if _stored(person, profile, record, section, result):
            return record, result
    raise ConflictError("record_busy", "您的信息正在别处同时保存，请稍后再保存一次")


def _checked(
    person: Person, profile: Any, record: Record, section: str, raw: Any, today: datetime.date
) -> SectionResult:
    if record.status in (RecordStatus.PENDING, RecordStatus.APPROVED):
        raise ConflictError(
            "record_locked",
            "信息已提交，审核期间或审核通过后不能修改"
            if record.status == RecordStatus.PENDING
            else "您已采集过信息，无需重复采集；如需修改请申请信息变更",
        )
    ctx = Context(profile, person, record.sections, today)
    result = check_section(section, raw, ctx)
    if record.archive_id and not result.errors:  # a change of an approved record
        result.errors.update(change_locks(record, person, section, result.data))
    if result.errors:
        raise DomainError("invalid", "请检查标出的内容", fields=result.errors)
    if record.archive_id:
        result.data.pop("name", None)
    return result


def _stored(person: Person, profile: Any, record: Record, section: str, result: SectionResult) -> bool:
    """Store the checked section if the record is still as read; False if another writer came first."""
    read_as = {"version": record.version, "status": record.status}
    # LN 6: a corrected name is the account's name, renamed together with the record or not at all.
    renaming = section == "personal" and "name" in result.data
    name_as_read = person.name
    with transaction.atomic() if renaming else contextlib.nullcontext():
        if renaming:
            _rename(person, result.data.pop("name"))
        record.sections = {**record.sections, section: result.data}
        record.clean_stamps = {**(record.clean_stamps or {}), section: section_stamp(profile, result.data)}
        record.version += 1
        stored = update_fields(record, ["sections", "clean_stamps", "version", "updated_at"], only_if=read_as)
        if renaming and not stored:
            transaction.set_rollback(True)
            person.name = name_as_read  # the next attempt renames again
    return stored


def _rename(person: Person, name: str) -> None:
    old = person.name
    person.name = name
    person.save(update_fields=["name"])
    log_event(f"person:{person.pk}", "person.renamed", target=f"person:{person.pk}", old=old, new=name)
