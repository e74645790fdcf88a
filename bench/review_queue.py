"""Review queue, search and export at scale (issue 6), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/accreg_bench_review \\
        .venv/bin/python bench/review_queue.py [--people 1000000] [--pending 200000] [--runs 100]

Generates synthetic Henan accountants (valid ID numbers, birth years 1960–2003, surnames and given
names by frequency, counties weighted towards 郑州, unique mobiles, encrypted and hashed as the
application stores them), one record and one submission each (`--pending` of them waiting, the
rest approved or returned), loaded with COPY. Skips generation when the database already holds
that many people. Then, in this process through the same services as the API:

- the first queue page and a page 20 pages deep by cursor, for a province, a city and a county
  reviewer (p50 / p95 over `--runs`);
- search by full ID number and by name; by the start of a name and by part of a unit name (issue 14);
- an Excel export of every person in the province, in a child process, with its peak memory.

Targets: first page and cursor page p95 ≤ 50 ms, ID search p95 ≤ 20 ms, name search p95 ≤ 100 ms,
export of 1,000,000 rows with peak memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ACCREG_ENV", "development")  # a developer's machine: generated keys (decision 0020)
# The keys that encrypt ID numbers live in DATA_DIR: keep one per benchmark database, so a second run reads the first.
os.environ.setdefault("DATA_DIR", str(ROOT / "var" / "bench-review"))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文辉鹏飞宇浩然欣怡佳琪子涵"


def _setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from accreg.regions.models import Department

    if not Department.objects.filter(code="410000").exists():
        call_command("load_regions", stdout=io.StringIO())


def _counties() -> list[tuple[str, float]]:
    """Henan's county bureaus, 郑州's weighted three times (a big city's share of accountants)."""
    from accreg.regions.models import Department

    rows = Department.objects.filter(code__startswith="41", level="county").values_list("code", flat=True)
    return [(code, 3.0 if code.startswith("4101") else 1.0) for code in rows]


def _id_number(region: str, birth: datetime.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def generate(people: int, pending: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from accreg.accounts.models import Person
    from accreg.accounts.sensitive import encrypt, lookup_hash, mask_id_number, mask_mobile
    from accreg.collection.models import Record, Submission

    if Person.objects.count() >= people:
        print(f"database already holds {Person.objects.count():,} people; not generating")
        return
    rng = random.Random(2026)
    counties = _counties()
    codes, weights = [c for c, _ in counties], [w for _, w in counties]
    now = timezone.now()
    started = time.perf_counter()
    used: set[str] = set()
    person_rows, record_rows, submission_rows = io.StringIO(), io.StringIO(), io.StringIO()
    statuses = ["pending"] * pending + ["approved"] * int((people - pending) * 0.93)
    statuses += ["returned"] * (people - len(statuses))
    rng.shuffle(statuses)
    units = [
        f"河南{rng.choice('华豫中原金水嵩山黄河')}{rng.choice('商贸科技建设实业物流')}有限公司{n}" for n in range(5000)
    ]

    def tsv(values: list[object]) -> str:
        out = []
        for v in values:
            if v is None:
                out.append("\\N")
            else:
                out.append(str(v).replace("\\", "\\\\").replace("\t", " ").replace("\n", " "))
        return "\t".join(out) + "\n"

    person_cols = [
        "id",
        "province",
        "name",
        "id_type",
        "id_number_encrypted",
        "id_number_hash",
        "id_number_masked",
        "mobile_encrypted",
        "mobile_hash",
        "mobile_masked",
        "mobile_verified_at",
        "password",
        "birth_date",
        "gender",
        "is_legacy",
        "activated_at",
        "department_id",
        "legacy_data",
        "created_at",
        "last_sign_in_at",
    ]
    record_cols = [
        "id",
        "person_id",
        "sections",
        "status",
        "version",
        "notice_shown_at",
        "notice_accepted_at",
        "created_at",
        "updated_at",
        "department_id",
        "employment",
        "education_level",
        "qualification_level",
    ]
    submission_cols = [
        "id",
        "record_id",
        "kind",
        "snapshot",
        "record_version",
        "department_id",
        "status",
        "version",
        "submitted_at",
        "due_by",
        "decided_at",
        "reason",
        "fields",
        "decided_by_id",
        "person_name",
        "unit_name",
        "employment",
        "qualification_level",
        "latest",
    ]
    batches = [
        (Person._meta.db_table, person_cols, person_rows),
        (Record._meta.db_table, record_cols, record_rows),
        (Submission._meta.db_table, submission_cols, submission_rows),
    ]

    def flush() -> None:
        with connection.connection.cursor() as cursor:
            for table, cols, rows in batches:
                with cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    copy.write(rows.getvalue())
                rows.seek(0)
                rows.truncate()
        connection.connection.commit()

    for n in range(1, people + 1):
        region = rng.choices(codes, weights)[0]
        birth = datetime.date(rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28))
        while True:
            number = _id_number(region, birth, rng.randint(1, 999))
            if number not in used:
                used.add(number)
                break
        mobile = f"13{n:09d}"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 1, 2))))
        gender = "1" if int(number[16]) % 2 else "2"
        person_rows.write(
            tsv(
                [
                    n,
                    "henan",
                    name,
                    "111",
                    encrypt(number),
                    lookup_hash("id", number),
                    mask_id_number(number),
                    encrypt(mobile),
                    lookup_hash("mobile", mobile),
                    mask_mobile(mobile),
                    now,
                    "",
                    birth,
                    gender,
                    False,
                    now,
                    region if statuses[n - 1] == "approved" else None,
                    "{}",
                    now,
                    None,
                ]
            )
        )
        status = statuses[n - 1]
        unit = rng.choice(units)
        level = rng.choice(["", "", "01", "01", "02", "03"])
        work = {"employment": "accounting_post", "unit_name": unit, "unit_region": region, "department": region}
        sections = json.dumps({"personal": {"ethnicity": "01"}, "work": work}, ensure_ascii=False)
        record_rows.write(tsv([n, n, sections, status, 3, now, now, now, now, region, "accounting_post", "21", level]))
        submitted = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 40))
        snapshot = json.dumps(
            {"registration": {"name": name}, "sections": json.loads(sections), "materials": []}, ensure_ascii=False
        )
        decided = None if status == "pending" else submitted + datetime.timedelta(days=3)
        submission_rows.write(
            tsv(
                [
                    n,
                    n,
                    "collection",
                    snapshot,
                    3,
                    region,
                    status,
                    1 if status == "pending" else 2,
                    submitted,
                    (submitted + datetime.timedelta(days=14)).date(),
                    decided,
                    "" if status != "returned" else "照片不符合要求",
                    "[]",
                    None,
                    name,
                    unit,
                    "accounting_post",
                    level,
                    True,
                ]
            )
        )
        if n % 100_000 == 0:
            flush()
            print(f"  generated {n:,} people in {time.perf_counter() - started:.0f} s", flush=True)

    flush()
    with connection.connection.cursor() as cursor:
        for table in (Person._meta.db_table, Record._meta.db_table, Submission._meta.db_table):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("ANALYZE regions_department")  # loaded before: its estimates shape every queue join
    connection.connection.commit()
    from accreg.collection.counters import rebuild

    rebuild()  # the application keeps them on every submit and decision; a bulk load counts once
    print(f"generated and loaded {people:,} people in {time.perf_counter() - started:.0f} s")


def _timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def measure(runs: int) -> None:
    from accreg.accounts.models import Person, Staff
    from accreg.accounts.people import id_number_of
    from accreg.regions.models import Department
    from accreg.review.queue import QueueFilters, queue_page

    staff = {}
    for code in ("410000", "410100", "410105"):
        staff[code], _ = Staff.objects.get_or_create(
            username=f"bench-{code}", defaults={"department": Department.objects.get(code=code)}
        )
    sample = list(Person.objects.order_by("?")[:runs])
    numbers = [id_number_of(p) for p in sample]
    names = [p.name for p in sample]
    print(f"{'measure':<44} {'p50':>8} {'p95':>8}")
    for code, who in staff.items():
        first = lambda who=who: queue_page(who, QueueFilters())  # noqa: E731
        p50, p95 = _timed(first, runs)
        print(f"{'first page, reviewer ' + code:<44} {p50:7.1f}ms {p95:7.1f}ms")
        cursor = ""
        for _ in range(20):
            cursor = queue_page(who, QueueFilters(after=cursor))["next"] or ""
        deep = lambda who=who, cursor=cursor: queue_page(who, QueueFilters(after=cursor))  # noqa: E731
        p50, p95 = _timed(deep, runs)
        print(f"{'page 21 by cursor, reviewer ' + code:<44} {p50:7.1f}ms {p95:7.1f}ms")
    who = staff["410000"]
    it = iter(numbers * 2)
    p50, p95 = _timed(lambda: queue_page(who, QueueFilters(status="", q=next(it))), runs)
    print(f"{'search by full ID number (province)':<44} {p50:7.1f}ms {p95:7.1f}ms")
    it = iter(names * 2)
    p50, p95 = _timed(lambda: queue_page(who, QueueFilters(status="", q=next(it))), runs)
    print(f"{'search by name (province)':<44} {p50:7.1f}ms {p95:7.1f}ms")
    # Issue 14: the start of a name and part of a unit name, in every status, as reviewers type them.
    for label, words in (
        ("search by surname, one character", list(SURNAMES)),
        ("search by the first two characters of a name", sorted({n[:2] for n in names})),
        ("search by two characters of a unit name", ["华商", "豫科", "嵩山", "黄河", "中原"]),
        ("search by four characters of a unit name", ["华商贸有", "豫科技有", "嵩山建设", "黄河物流"]),
        ("search by a rare unit fragment (1 unit)", [f"有限公司{n}" for n in range(4000, 4999)]),
    ):
        it = iter(words * (runs // len(words) + 1))
        p50, p95 = _timed(lambda it=it: queue_page(who, QueueFilters(status="", q=next(it))), runs)
        print(f"{label + ' (province)':<44} {p50:7.1f}ms {p95:7.1f}ms")


EXPORT_CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
import django
django.setup()
from accreg.accounts.models import Staff
from accreg.review.models import Export
from accreg.review.exports import write_export
staff = Staff.objects.get(username="bench-410000")
export = Export.objects.create(staff=staff, department=staff.department)
start = time.perf_counter()
write_export.call(export.pk)
export.refresh_from_db()
# VmHWM is this process image's own peak; ru_maxrss would carry over the parent's peak across the
# fork and exec (after generating a million people, ~1 GB that the export never used).
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(f"export: {{export.rows:,}} rows in {{time.perf_counter() - start:.0f}} s, "
      f"{{export.file.size / 1048576:.0f}} MB file, peak RSS {{rss:.0f}} MiB")
"""


def export() -> None:
    subprocess.run([sys.executable, "-c", EXPORT_CHILD.format(root=str(ROOT))], check=True, env=os.environ)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--pending", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("set DATABASE_URL to a PostgreSQL database (the targets are for PostgreSQL)")
    _setup()
    generate(args.people, args.pending)
    measure(args.runs)
    if not args.no_export:
        export()


if __name__ == "__main__":
    main()
