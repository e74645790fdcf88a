"""Loading a province's archive of legacy people (原有会计人员, SPEC §2 and §7) from CSV or XLSX.

Owns checking each row of the file (read by tabular_files, one batch at a time) as registration checks
it, and writing people without a password, who activate later (services/recovery.py).
"""

from __future__ import annotations

import datetime
import json
import re
import threading
from array import array
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from queue import Full, Queue
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, JSONField, Lookup, Q
from django.utils import timezone

from accreg.audit.services import log_event
from accreg.codelists.registry import CodeList, code_list
from accreg.errors import DomainError
from accreg.provinces.loader import served_profile, served_profiles
from accreg.provinces.schema import Province
from accreg.regions.models import Department

from .identity import RESIDENT_ID, IdentityFacts, check_id_number, check_name, normalise_mobile
from .models import Person
from .people import id_hash, identity_fields, mobile_fields, mobile_hash, set_mobile
from .tabular_files import Cell, cell_text, open_table, unreadable

REQUIRED_COLUMNS = ("name", "id_number")
OPTIONAL_COLUMNS = (
    "id_type",
    "mobile",
    "gender",
    "qualification_level",
    "qualification_date",
    "certificate_number",
    "department",
)
BATCH_SIZE = 5000  # rows one transaction writes: fewer round trips and commits than 1000 (bench/import_people.py)
LOOKUP_SIZE = 1000  # ID numbers or mobiles one query looks up, people one UPDATE changes
MOBILE_TAKEN = "该手机号码已属于其他人员（一个手机号码只能对应一个证件号码）"
CONCURRENT = "导入期间该证件号码或手机号码已被他人注册，请重新导入以核对该行"
NUMBER_AS_EXCEL_NUMBER = "证件号码在 Excel 中存成了数字，第15位以后已丢失；请将该列设为文本格式后重新导出"


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows created, updated, left unchanged, and the rejected rows with why."""

    file_name: str
    created: int
    updated: int
    unchanged: int
    rejected: tuple[tuple[int, str], ...]
    warnings: tuple[str, ...] = ()


@dataclass
class _Row:
    """A row that passed its own checks and waits for its batch to be compared with the database."""

    number: int
    name: str
    facts: IdentityFacts
    id_hash: str
    mobile: str
    mobile_hash: str | None
    gender: str
    department_id: str | None
    legacy_data: dict[str, str]


_Checked = tuple[list["_Row"], list[tuple[int, str]]]  # a batch of good rows, and the rows rejected meanwhile


@dataclass
class _Progress:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Where each known column is, and a warning for the columns this import does not know."""
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, name in enumerate(header):
        if name in positions:
            raise unreadable(f"表头中 {name} 列出现了两次")
        if name in known:
            positions[name] = index
        elif name:
            unknown.append(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise unreadable(f"缺少必需的列：{'、'.join(missing)}（第1行应为表头，列名如 name、id_number）")
    warnings = [f"以下列无法识别，已忽略：{'、'.join(unknown)}"] if unknown else []
    return positions, warnings


# Checking one row -------------------------------------------------------------------------------


def _claim_key(number: str) -> int | str:
    """An ID number as a key of the numbers already seen, exact and small: 17 digits and a check
    character (a 居民身份证 or 居住证, nearly every row) become an int below 2**60, others stay text."""
    if len(number) == 18 and number.isascii() and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X"):
        return int(number[:17]) * 11 + (10 if number[17] == "X" else int(number[17]))
    return number


class _FirstRows:
    """Which row first carried each number. A dict of Python ints costs about 100 bytes an entry,
    150 MB for the ID numbers and mobiles of a million rows; this table of two arrays (open
    addressing, linear probing) costs 12 to 24. Keys that are not ints (rare document types) go to
    a dict."""

    def __init__(self) -> None:
        self.others: dict[str, int] = {}
        self._allocate(16)

    def _allocate(self, bits: int) -> None:
        self.bits, self.count = bits, 0
        self.keys = array("q", bytes(8 << bits))  # key + 1; 0 is an empty slot
        self.rows = array("i", bytes(4 << bits))

    def setdefault(self, key: int | str, row: int) -> int:
        """The row that first carried key; that is `row`, now remembered, when key is new."""
        if isinstance(key, str):
            return self.others.setdefault(key, row)
        stored, mask = key + 1, (1 << self.bits) - 1
        slot = (stored * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF) >> (64 - self.bits)  # Fibonacci hashing
        while found := self.keys[slot]:
            if found == stored:
                return self.rows[slot]
            slot = (slot + 1) & mask
        self.keys[slot], self.rows[slot] = stored, row
        self.count += 1
        if self.count * 3 > 2 << self.bits:  # over two thirds full: twice the size
            keys, rows = self.keys, self.rows
            self._allocate(self.bits + 1)
            for old_key, old_row in zip(keys, rows, strict=True):
                if old_key:
                    self.setdefault(old_key - 1, old_row)
        return row


class _Checker:
    """The checks of one row; remembers which row first carried each ID number and mobile."""

    def __init__(self, profile: Province, header: list[str], positions: dict[str, int]):
        self.profile, self.width, self.positions = profile, len(header), positions
        # Every department is read here, once (a few hundred): checking runs in a thread of its
        # own (_ahead) and never queries.
        names = dict(Department.objects.values_list("code", "name"))
        self.departments = {code for code in names if code.startswith(profile.region[:2])}
        self.foreign_departments = {
            code: f"管理部门 {name}（{code}）不属于{profile.name}"
            for code, name in names.items()
            if code not in self.departments
        }
        self.lists = {name: code_list(name) for name in ("id_types", "genders", "qualification_levels")}
        self.seen_ids = _FirstRows()  # keyed by _claim_key of the number
        self.seen_mobiles = _FirstRows()  # keyed by the 11 digits as an int
        self.today = datetime.date.today()

    def _coded(self, name: str, text: str, problems: list[str]) -> str:
        """The code for a code or its label ("1" or "男"); Excel number cells lose leading zeros."""
        codes: CodeList = self.lists[name]
        for item in codes.items:
            if text in (item.code, item.label) or (text.isdigit() and text.zfill(len(item.code)) == item.code):
                return item.code
        choices = "、".join(f"{item.code} {item.label}" for item in codes.items)
        problems.append(f"{codes.title}“{text}”不在代码表中，可填：{choices}")
        return ""

    def _department(self, code: str, problems: list[str]) -> str | None:
        if code in self.departments:
            return code
        problems.append(self.foreign_departments.get(code) or f"管理部门代码 {code} 不存在")
        return None

    def _date(self, value: Cell, problems: list[str]) -> str:
        if isinstance(value, datetime.datetime):
            value = value.date()
        text = cell_text(value)
        if isinstance(value, datetime.date):
            day: datetime.date | None = value
        else:
            try:
                day = datetime.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
            except ValueError:
                day = None
        if day is None:
            problems.append(f"取得资格日期“{text}”应为 YYYY-MM-DD 格式的有效日期，如 2010-05-20")
            return ""
        if day > self.today:
            problems.append("取得资格日期晚于今天")
        return day.isoformat()

    def check(self, number: int, cells: Sequence[Cell]) -> _Row | str | None:
        """The checked row, the reason it is rejected, or None for a blank row (skipped)."""
        texts = [cell_text(cell) for cell in cells]
        if not any(texts):
            return None
        value = {name: texts[i] if i < len(texts) else "" for name, i in self.positions.items()}
        problems: list[str] = []
        if any(texts[self.width :]):
            problems.append("该行的单元格多于表头的列数")
        name = facts = None
        try:
            name = check_name(value["name"])
        except DomainError as exc:
            problems.append(exc.message)
        id_type = self._coded("id_types", value.get("id_type") or RESIDENT_ID, problems)
        id_cell = cells[self.positions["id_number"]] if self.positions["id_number"] < len(cells) else None
        if isinstance(id_cell, float) and id_cell >= 1e15:
            # Excel keeps 15 digits of a number: the rest is lost, and a check digit that happens
            # to fit would load the wrong person, so such a cell is never trusted.
            problems.append(NUMBER_AS_EXCEL_NUMBER)
        elif id_type:
            try:
                facts = check_id_number(id_type, value["id_number"], today=self.today)
            except DomainError as exc:
                problems.append(exc.message)
        # The first row with a valid number claims it, even when the row is rejected for another
        # reason: which row wins then never depends on what the database already holds.
        person_key = id_hash(facts.number) if facts else ""
        if facts and (seen := self.seen_ids.setdefault(_claim_key(facts.number), number)) != number:
            problems.append(f"与第{seen}行证件号码重复")
            facts = None
        mobile = mobile_key = ""
        if value.get("mobile"):
            try:
                mobile = normalise_mobile(value["mobile"])
            except DomainError as exc:
                problems.append(exc.message)
        if mobile and facts:  # likewise the first row with a valid, new ID number claims its mobile
            mobile_key = mobile_hash(mobile)
            if (seen := self.seen_mobiles.setdefault(int(mobile), number)) != number:
                problems.append(f"与第{seen}行手机号码重复")
        gender = self._coded("genders", value.get("gender", ""), problems) if value.get("gender") else ""
        if facts and facts.gender and gender and gender != facts.gender:
            derived = self.lists["genders"].label(facts.gender)
            problems.append(f"性别与证件号码不符（号码显示为{derived}）")
        legacy: dict[str, str] = {}
        if value.get("qualification_level"):
            legacy["qualification_level"] = self._coded("qualification_levels", value["qualification_level"], problems)
        if value.get("qualification_date"):
            legacy["qualification_date"] = self._date(cells[self.positions["qualification_date"]], problems)
        if certificate := value.get("certificate_number"):
            if len(certificate) > 50:
                problems.append("证书编号不能超过50个字符")
            legacy["certificate_number"] = certificate
        department = self._department(value["department"], problems) if value.get("department") else None
        if problems:
            return "；".join(problems)
        assert name is not None and facts is not None
        return _Row(
            number=number,
            name=name,
            facts=facts,
            id_hash=person_key,
            mobile=mobile,
            mobile_hash=mobile_key or None,
            gender=facts.gender or gender,
            department_id=department,
            legacy_data=legacy,
        )


# Writing a batch --------------------------------------------------------------------------------

_UPDATABLE = (
    "name",
    "department",
    "gender",
    "legacy_data",
    "mobile_encrypted",
    "mobile_hash",
    "mobile_masked",
)
# What a batch reads of the people it finds: whether the import may touch them, and what it may change.
_STORED = (
    "pk",
    "province",
    "is_legacy",
    "password",
    "activated_at",
    "name",
    "department_id",
    "gender",
    "legacy_data",
    "mobile_encrypted",
    "mobile_hash",
    "mobile_masked",
)


def _new_fields(row: _Row, province: str) -> dict[str, object]:
    fields: dict[str, object] = {
        "province": province,
        "name": row.name,
        "password": "",
        "is_legacy": True,
        "gender": row.gender,
        "department_id": row.department_id,
        "legacy_data": row.legacy_data,
        "birth_date": None,
        "mobile_encrypted": "",
        "mobile_hash": None,
        "mobile_masked": "",
        **identity_fields(row.facts, known_hash=row.id_hash),
    }
    if row.mobile:  # not verified: activation binds and verifies a mobile
        fields.update(mobile_fields(row.mobile, known_hash=row.mobile_hash))
    return fields


def _new_person(row: _Row, province: str) -> Person:
    return Person(**_new_fields(row, province))


def _updated(stored: tuple[Any, ...], row: _Row) -> Person | None:
    """A not-yet-activated legacy record brought up to the row, or None when nothing changes: filled
    cells replace what is stored, blank cells leave it, so a file with fewer columns never wipes data."""
    pk, _province, _legacy, _password, _activated, *before = stored
    name, department_id, gender, legacy_data, mobile_encrypted, mobile_hash_, mobile_masked = before
    assert isinstance(legacy_data, dict)
    after = (
        row.name,
        row.department_id or department_id,
        row.gender or gender,
        {**legacy_data, **row.legacy_data},
        row.mobile_hash if row.mobile else mobile_hash_,
    )
    if after == (name, department_id, gender, legacy_data, mobile_hash_):
        return None  # the usual case when a file is imported again: no model is built
    person = Person(
        pk=pk,
        name=after[0],
        department_id=after[1],
        gender=after[2],
        legacy_data=after[3],
        mobile_encrypted=mobile_encrypted,
        mobile_hash=mobile_hash_,
        mobile_masked=mobile_masked,
    )
    if row.mobile and row.mobile_hash != mobile_hash_:
        set_mobile(person, row.mobile)
    return person


def _insert(rows: list[_Row], province: str) -> None:
    """Create the batch's new people: with PostgreSQL's COPY, which skips building a model per row
    (a large share of an archive import's time), else with bulk_create."""
    if connection.vendor != "postgresql":
        Person.objects.bulk_create([_new_person(row, province) for row in rows])
        return
    if not rows:
        return
    # Every column, filled as bulk_create fills it: the row's values, else the field's default
    # (a field added to Person later is then written too), the time for auto_now(_add) fields.
    now = timezone.now()
    columns = [field for field in Person._meta.concrete_fields if not field.primary_key]
    per_row = [c for c in columns if c.has_default() and callable(c.default)]  # such as dict: one each
    fixed = {c.attname: c.get_default() for c in columns if c not in per_row}
    fixed |= {c.attname: now for c in columns if getattr(c, "auto_now", False) or getattr(c, "auto_now_add", False)}
    json_names = {column.attname for column in columns if isinstance(column, JSONField)}
    names = ", ".join(connection.ops.quote_name(column.column or column.attname) for column in columns)
    copy_sql = f"COPY {connection.ops.quote_name(Person._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
        for row in rows:
            values = {**fixed, **{c.attname: c.get_default() for c in per_row}, **_new_fields(row, province)}
            for name in json_names:
                if values[name] is not None:
                    values[name] = json.dumps(values[name], ensure_ascii=False)
            copy.write_row([values[column.attname] for column in columns])


class _AnyOf(Lookup[str]):
    """`column = ANY(%s)` with the list as one array parameter: PostgreSQL's form of IN for thousands
    of values, whose IN (%s, %s, …) the ORM and the driver spend a visible time building."""

    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def _among(field: str, values: list[str]) -> Q | _AnyOf:
    return _AnyOf(F(field), values) if connection.vendor == "postgresql" else Q(**{f"{field}__in": values})


def _write_batch(rows: list[_Row], province: str, progress: _Progress) -> None:
    """Compare one batch with the database (a query for each thousand ID numbers, and for each
    thousand mobiles) and write it in one transaction. Activated people and other provinces'
    people are never touched."""
    if not rows:
        return
    with transaction.atomic():
        existing: dict[str, tuple[Any, ...]] = {}
        owners: dict[str | None, str] = {}
        mobiles = [r.mobile_hash for r in rows if r.mobile_hash]
        for start in range(0, len(rows), LOOKUP_SIZE):  # there are never more mobiles than rows
            # In parts: PostgreSQL answers a thousand values with the unique index, but may read
            # the whole table for five thousand.
            if ids := [r.id_hash for r in rows[start : start + LOOKUP_SIZE]]:
                found = Person.objects.filter(_among("id_number_hash", ids)).values_list("id_number_hash", *_STORED)
                existing.update((values[0], values[1:]) for values in found)
            if hashes := mobiles[start : start + LOOKUP_SIZE]:
                found_mobiles = Person.objects.filter(_among("mobile_hash", hashes))
                owners.update(found_mobiles.values_list("mobile_hash", "id_number_hash"))
        to_create: list[_Row] = []
        to_update: list[tuple[_Row, Person]] = []
        unchanged = 0
        for row in rows:
            stored = existing.get(row.id_hash)
            updatable = (
                stored is not None
                and stored[1] == province  # province, is_legacy, password, activated_at
                and stored[2]
                and not stored[3]
                and stored[4] is None
            )
            if stored is not None and not updatable:
                unchanged += 1
            elif row.mobile_hash and owners.get(row.mobile_hash, row.id_hash) != row.id_hash:
                progress.rejected.append((row.number, MOBILE_TAKEN))
            elif stored is None:
                to_create.append(row)
            elif person := _updated(stored, row):
                to_update.append((row, person))
            else:
                unchanged += 1
        try:
            with transaction.atomic():
                _insert(to_create, province)
                # a thousand a statement: the work of bulk_update's CASE WHEN grows with the square of its rows
                Person.objects.bulk_update([p for _, p in to_update], _UPDATABLE, batch_size=LOOKUP_SIZE)
            created, updated = len(to_create), len(to_update)
        except IntegrityError:
            pairs = [(row, _new_person(row, province)) for row in to_create]
            created, updated = _write_one_by_one(pairs, to_update, progress)
    progress.created += created
    progress.updated += updated
    progress.unchanged += unchanged


def _write_one_by_one(
    to_create: list[tuple[_Row, Person]], to_update: list[tuple[_Row, Person]], progress: _Progress
) -> tuple[int, int]:
    """A person registered the same ID number or mobile while the batch was being compared: save
    row by row, so only the colliding rows are rejected."""
    done = [0, 0]
    for kind, pairs in enumerate((to_create, to_update)):
        for row, person in pairs:
            try:
                with transaction.atomic():
                    if kind == 0:
                        person.pk = None
                        person.save(force_insert=True)
                    else:
                        person.save(update_fields=_UPDATABLE)
                done[kind] += 1
            except IntegrityError:
                progress.rejected.append((row.number, CONCURRENT))
    return done[0], done[1]


def _checked_batches(checker: _Checker, rows: Iterator[tuple[int, Sequence[Cell]]], size: int) -> Iterator[_Checked]:
    batch: list[_Row] = []
    rejected: list[tuple[int, str]] = []
    for number, cells in rows:
        checked = checker.check(number, cells)
        if isinstance(checked, str):
            rejected.append((number, checked))
        elif checked is not None:
            batch.append(checked)
        if len(batch) >= size:
            yield batch, rejected
            batch, rejected = [], []
    yield batch, rejected


def _ahead(batches: Iterator[_Checked]) -> Generator[_Checked]:
    """The batches, checked by a thread of its own one batch ahead: checking the next batch overlaps
    writing this one, which is mostly the database's work while Python waits. An error of the file
    (a CSV row that cannot be read) is raised here, after the batches before it, as without the
    thread. The thread never uses the database."""
    queue: Queue[tuple[_Checked | None, BaseException | None]] = Queue(maxsize=1)
    stop = threading.Event()

    def put(item: tuple[_Checked | None, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
            except Full:
                continue
            return True
        return False  # the writer has stopped (its own error): the thread ends too

    def check() -> None:
        try:
            for batch in batches:
                if not put((batch, None)):
                    return
            put((None, None))
        except BaseException as exc:
            put((None, exc))

    thread = threading.Thread(target=check, name="legacy-import-check", daemon=True)
    thread.start()
    try:
        while True:
            batch, error = queue.get()
            if error is not None:
                raise error
            if batch is None:
                return
            yield batch
    finally:
        stop.set()
        thread.join()


# The service ------------------------------------------------------------------------------------


def import_legacy_people(path: Path, *, province: str, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Load a province's archive of legacy people (原有会计人员, SPEC §2, §7): each good row becomes
    a person without a password who activates later; each bad row is rejected with its reason
    (row numbers as in the file, header = row 1). Safe to repeat: an ID number already stored is
    unchanged, or updated if it is a legacy record of this province not yet activated. The file is
    streamed and written in batches, each in its own transaction; a file that cannot be read at
    all raises DomainError before anything is written."""
    profile = served_profile(province)
    if profile is None:
        served = "、".join(served_profiles())
        msg = f"未开通的省份：{province}（可用：{served}）"
        raise DomainError("unknown_province", msg, fields={"province": [msg]})
    progress = _Progress()
    with open_table(path) as (header, rows):
        positions, warnings = _columns(header)
        if not profile.sign_in.legacy_activation:
            warnings.append(f"{profile.name}门户未开启原有用户激活（sign_in.legacy_activation）")
        checker = _Checker(profile, header, positions)
        with closing(_ahead(_checked_batches(checker, rows, batch_size))) as batches:
            for batch, rejected in batches:
                progress.rejected += rejected
                _write_batch(batch, profile.code, progress)
    report = ImportReport(
        file_name=path.name,
        created=progress.created,
        updated=progress.updated,
        unchanged=progress.unchanged,
        rejected=tuple(sorted(progress.rejected)),
        warnings=tuple(warnings),
    )
    log_event(
        "system",
        "people.imported",
        province=profile.code,
        file=path.name,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=len(report.rejected),
    )
    return report
