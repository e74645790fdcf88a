"""Benchmark of the official roster (正式名册, issue 15 item 6): writes the roster of N Henan people
with full records through the real export task and prints rows per second, wall time, file size
and peak RSS. The database is DATABASE_URL, or a temporary SQLite file when it is unset:

    DATA_DIR=/tmp/bench-roster .venv/bin/python bench/roster_export.py --rows 50000

Measured on 2026-12-06 (2 cores, otherwise quiet): 20,000 rows on SQLite in 6.7 s (2,993 rows/s);
100,000 rows on PostgreSQL in 35.0 s (2,860 rows/s, 10.6 MiB file), peak RSS unchanged by the export
(179 MiB, the set-up's). A province's million people would take about 6 minutes in the background.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("ACCREG_ENV", "development")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="bench-roster-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
sys.path.insert(0, str(ROOT))

SECTIONS = {
    "personal": {"ethnicity": "01", "political_status": "13", "country": "CHN", "email": "a@example.com"},
    "education": {
        "full_time": {"level": "21", "degree": "4", "major": "120203K", "school": "河南财经政法大学"},
        "part_time": {"level": "00"},
    },
    "work": {
        "employment": "accounting_post",
        "unit_name": "郑州某某会计服务有限公司",
        "unit_region": "410105",
        "department": "410105",
        "unit_type": "110",
        "accounting_post": "02",
    },
    "qualifications": [
        {"type": "1", "level": "01", "obtained_date": "2012-05-20", "certificate_number": "Z2012410100001"},
        {"type": "1", "level": "02", "obtained_date": "2018-09-01", "certificate_number": "Z2018410100002"},
    ],
    "remarks": {"text": "无"},
}


def _people(rows: int) -> None:
    from django.contrib.auth.hashers import make_password
    from stdnum.cn import ric

    from accreg.accounts.identity import check_id_number
    from accreg.accounts.models import Person
    from accreg.accounts.people import set_identity, set_mobile
    from accreg.collection.models import Record

    password = make_password("kuaiji2026")
    for start in range(0, rows, 5000):
        people = []
        for n in range(start, min(rows, start + 5000)):
            first17 = f"410105{1960 + (n // 1000) % 40:04d}{1 + (n // 40000) % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
            person = Person(province="henan", name="测试", password=password, department_id="410105")
            set_identity(person, check_id_number("111", first17 + ric.calc_check_digit(first17 + "0")))
            set_mobile(person, f"139{n:08d}")
            people.append(person)
        created = Person.objects.bulk_create(people)
        Record.objects.bulk_create(
            Record(person=p, sections=SECTIONS, status="approved", department_id="410105") for p in created
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_regions", stdout=io.StringIO())
    from accreg.accounts.models import Staff
    from accreg.accounts.services.staff import create_staff
    from accreg.review.exports import start_export, write_export
    from accreg.review.models import Export

    _people(args.rows)
    staff = Staff.objects.filter(username="bench-admin").first() or create_staff(
        "bench-admin", password="Bench-Mima-2026", department_code="410000", role="admin"
    )
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    export = start_export(staff, roster=True, reason="基准测试：导出正式名册", ip=None)
    began = time.perf_counter()
    write_export.call(export.pk)
    took = time.perf_counter() - began
    export = Export.objects.get(pk=export.pk)
    print(f"database:  {os.environ.get('DATABASE_URL', 'sqlite')}")
    size = export.file.size / 2**20
    print(f"roster:    {export.rows} rows in {took:.1f} s, {export.rows / took:,.0f} rows/s, {size:.1f} MiB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS:  {peak:.0f} MiB (before the export {baseline:.0f})")


if __name__ == "__main__":
    main()
