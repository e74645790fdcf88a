"""Where a section save and a record read spend their time, in process (issue 16 item 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/accreg_bench_profile .venv/bin/python \
        bench/record_api_profile.py [--requests 300] [--top 30]

Migrates the database named by DATABASE_URL (or a temporary SQLite file), creates one Chongqing
person with an API token, and sends `PUT /api/v1/me/record/sections/work` and `GET /api/v1/me/record`
through Django's test client (the whole middleware stack, no network). Prints, per endpoint, the
SQL statements of one request and the mean time (wall, and this process's CPU: the part the code
can change, and less disturbed by other work on the machine), then cProfile's heaviest functions (cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="accreg-profile-")
    os.environ.setdefault("DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ACCREG_ENV", "development")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["DEBUG"] = "false"  # as in production: development's DEBUG logs every SQL statement
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from record_api import WORK
    from stdnum.cn import ric

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from accreg.accounts.identity import check_id_number
    from accreg.accounts.models import Person
    from accreg.accounts.people import set_identity, set_mobile
    from accreg.accounts.services.tokens import issue_token
    from accreg.provinces.loader import all_profiles
    from accreg.regions.divisions import all_divisions
    from accreg.regions.loading import build_departments, sync_regions

    sync_regions(all_divisions())
    build_departments(all_profiles().values())
    first17 = f"50010319{time.time_ns() % 100:02d}0101{os.getpid() % 1000:03d}"
    Person.objects.filter(name="剖析").delete()
    person = Person(province="chongqing", name="剖析")
    set_identity(person, check_id_number("111", first17 + ric.calc_check_digit(first17 + "0")))
    set_mobile(person, f"138{time.time_ns() % 10**8:08d}")
    person.save()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(person=person)}")
    body = json.dumps(WORK, ensure_ascii=False)

    def save() -> int:
        return client.put("/api/v1/me/record/sections/work", body, content_type="application/json").status_code

    def read() -> int:
        return client.get("/api/v1/me/record").status_code

    def health() -> int:
        return client.get("/api/v1/health").status_code

    for label, call in (
        ("GET /api/v1/health", health),
        ("PUT /api/v1/me/record/sections/work", save),
        ("GET /api/v1/me/record", read),
    ):
        assert call() == 200
        with CaptureQueriesContext(connection) as queries:
            call()
        print(f"== {label}: {len(queries.captured_queries)} SQL statements")
        for query in queries.captured_queries:
            print(f"   {query['time']}s  {query['sql'][:160]}")
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            call()
        mean = (time.perf_counter() - started) / args.requests * 1000
        cpu_mean = (time.process_time() - cpu) / args.requests * 1000
        print(f"   mean {mean:.2f} ms, of which this process's CPU {cpu_mean:.2f} ms, over {args.requests} requests")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            call()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
