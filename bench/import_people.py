"""Benchmark of the legacy import (import_people, SPEC §7): generates a CSV archive of N people with
about 2% bad rows, imports it twice (the second run finds every row unchanged) and prints rows per
second, wall time, peak RSS, and the CPU time per row of this process and (when the server runs on
this machine) of its PostgreSQL backend, which unlike rows/s does not depend on what else runs.

The database is DATABASE_URL, or a temporary SQLite file when it is unset; it is migrated and the
regions and departments are loaded first when missing. Set DATA_DIR so the repository's var/ stays
untouched (a temporary directory is used when unset):

    DATA_DIR=/tmp/bench-import .venv/bin/python bench/import_people.py --rows 100000

Figures (2 cores shared with other work; PostgreSQL 15 on the same machine; a new empty database
each time; DEBUG off, as this script sets), the old code (main before the COPY path) run just before:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/accreg_fastimport DATA_DIR=/tmp/bench-fastimport \
        .venv/bin/python bench/import_people.py --rows N

    2026-12-06        load   first import                  second import                 peak RSS
    N=200,000, old    6.0    3,225 rows/s (196 + 59 µs)    6,987 rows/s (106 + 9 µs)     149 MiB
    N=200,000, new    3.7    6,311 rows/s (71 + 50 µs)     11,479 rows/s (53 + 10 µs)    137 MiB
    N=200,000, new    2.4    11,235 rows/s (76 + 45 µs)    — (a quieter minute; lookups not yet split)
    N=1,000,000, new  5.0    6,398 rows/s, 156 s (77 + 54) 14,862 rows/s (44 + 10 µs)    197 MiB

(µs: CPU per row of this process + of its PostgreSQL backend; load: `uptime`'s one-minute average
at the start.) The first import reaches 10,000 rows/s only when the other core is free: the checking
thread overlaps Python's 75 µs a row with PostgreSQL's 50, which the other work on a loaded machine
takes away.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("ACCREG_ENV", "development")  # a developer's machine: generated keys (decision 0020)
# As in production: with DEBUG, Django keeps the SQL of the last 9,000 queries, which alone grows the
# process by about 100 MB over a million rows (each batch's lookup names a thousand hashes).
os.environ.setdefault("DEBUG", "false")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛")
HEADER = ["name", "id_number", "mobile", "qualification_level", "qualification_date", "certificate_number",
          "department"]  # fmt: skip


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _prepare_database(province: str) -> None:
    """Migrate and load the reference data; run in a child process so its memory is not counted."""
    from django.core.management import call_command

    from accreg.provinces.loader import all_profiles
    from accreg.regions.models import Department

    call_command("migrate", interactive=False, verbosity=0)
    region = all_profiles()[province].region
    if not Department.objects.filter(code=region).exists():
        call_command("load_regions", stdout=io.StringIO())


def _database_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend, when the server runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _regions(province: str) -> list[str]:
    """County department codes of the province whose codes are valid ID number regions."""
    from stdnum.cn import ric

    from accreg.accounts.identity import check_id_number
    from accreg.errors import DomainError
    from accreg.provinces.loader import all_profiles
    from accreg.regions.models import Department

    prefix = all_profiles()[province].region[:2]
    usable = []
    for code in Department.objects.filter(code__startswith=prefix, level="county").values_list("code", flat=True):
        first17 = f"{code}19800101001"
        try:
            check_id_number("111", first17 + ric.calc_check_digit(first17 + "0"))
        except DomainError:
            continue
        usable.append(code)
    return usable


def generate(path: Path, rows: int, regions: list[str]) -> int:
    """Write the archive; every 50th row is bad in one of six ways. Returns how many are bad."""
    from stdnum.cn import ric

    start = datetime.date(1960, 1, 1)
    bad = 0
    previous = ""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            region = regions[i % len(regions)]
            birth = start + datetime.timedelta(days=(i // (len(regions) * 1000)) % 15000)
            first17 = f"{region}{birth:%Y%m%d}{(i // len(regions)) % 1000:03d}"
            number = first17 + ric.calc_check_digit(first17 + "0")
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]
            mobile = f"139{i:08d}" if i % 2 == 0 else ""
            level, day, certificate = ("02", "2010-05-20", f"LN{i:09d}") if i % 3 == 0 else ("", "", "")
            department = region
            if i % 50 == 49:
                bad += 1
                kind = (i // 50) % 6
                if kind == 0:
                    number = number[:17] + ("0" if number[17] != "0" else "1")  # wrong check digit
                elif kind == 1:
                    first17 = f"{region}19900231{i % 1000:03d}"  # 31 February
                    number = first17 + ric.calc_check_digit(first17 + "0")
                elif kind == 2:
                    mobile = "12345"
                elif kind == 3:
                    number = previous  # duplicate of the row before
                elif kind == 4:
                    department = region[:2] + "9999"
                else:
                    name = ""
            previous = number
            writer.writerow([name, number, mobile, level, day, certificate, department])
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--province", default="liaoning")
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="accreg-bench-import-")) if not args.prepare_only else None
    if workdir is not None:
        os.environ.setdefault("DATA_DIR", str(workdir / "data"))
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    if not args.prepare_only:
        subprocess.run([sys.executable, __file__, "--prepare-only", "--province", args.province], check=True)

    import django

    django.setup()
    if args.prepare_only:
        _prepare_database(args.province)
        return
    assert workdir is not None

    from django.db import connection

    from accreg.accounts.legacy_import import import_legacy_people

    path = workdir / "archive.csv"
    started = time.perf_counter()
    bad = generate(path, args.rows, _regions(args.province))
    print(f"database:      {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"file:          {args.rows} rows, {bad} bad, {path.stat().st_size / 2**20:.1f} MiB")
    print(f"generated in:  {time.perf_counter() - started:.1f} s; peak RSS so far {_peak_rss_mib():.0f} MiB")
    for label in ("first import", "second import"):
        started, cpu, database_cpu = time.perf_counter(), time.process_time(), _database_cpu_seconds()
        report = import_legacy_people(path, province=args.province)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{label + ':':<14} {wall:.1f} s, {args.rows / wall:,.0f} rows/s; created {report.created}, "
            f"updated {report.updated}, unchanged {report.unchanged}, rejected {len(report.rejected)}; "
            f"peak RSS {_peak_rss_mib():.0f} MiB"
        )
        # CPU per row does not depend on what else the machine runs, as rows/s does.
        line = f"CPU per row: Python {cpu / args.rows * 1e6:.0f} µs"
        if database_cpu is not None and (after := _database_cpu_seconds()) is not None:
            line += f", PostgreSQL {(after - database_cpu) / args.rows * 1e6:.0f} µs"
        print(f"{'':<14} {line}")
    connection.close()
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
