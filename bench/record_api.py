"""Section save and record read throughput with 50 concurrent clients, next to a bare health check.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/accreg_bench .venv/bin/python bench/record_api.py
    [--seconds 20] [--clients 50] [--people 500] [--workers 4]

Starts gunicorn (sync workers) on a fresh data directory (the database named by DATABASE_URL, or
SQLite), creates people with API tokens, then for each endpoint runs the clients on loopback for
the given time: GET /api/v1/health, PUT /api/v1/me/record/sections/work (an employed person's whole
work section, with the department lookup), GET /api/v1/me/record (sections and every step's state).
Each line gives the throughput, its share of the health check's, the latencies, and the CPU time
per request of the server's workers and of PostgreSQL's processes (read from /proc; on a quiet
machine, the per-core capacity of each tier).

Each endpoint first runs `--warmup` seconds unmeasured, as a server in service has: its workers
have each made their first request of the kind (lazy imports, the rules and code lists, psycopg
preparing the statements), and every person's record exists (a person's first save creates it,
once in their life). The busiest weeks are people saving records they already have. The measured
seconds are then split over `--rounds` rounds of health, save, read, so that the speed of a shared
machine, which drifts from minute to minute, weighs on the three alike.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

from http_load import PY, ROOT, cpu_seconds, load, server_and_database_pids, start_server

WORK = {
    "employment": "employed",
    "unit_name": "重庆某某有限公司",
    "unit_credit_code": "91110000600037341L",
    "unit_region": "500103",
    "unit_address": "解放碑1号",
    "unit_type": "110",
    "unit_phone": "02320000000",
    "hire_date": "2015-07-01",
    "accounting_post": "02",
    "accounting_start_date": "2014-07-01",
    "accounting_years": 10,
    "technical_post": "00",
    "cpa": False,
    "tax_agent": False,
    "appraiser": False,
}

PEOPLE = """
import django; django.setup()
from django.contrib.auth.hashers import make_password
from stdnum.cn import ric
from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity, set_mobile
from accreg.accounts.services.tokens import issue_token
from accreg.provinces.loader import all_profiles
from accreg.regions.divisions import all_divisions
from accreg.regions.loading import build_departments, sync_regions
sync_regions(all_divisions()); build_departments(all_profiles().values())
password = make_password("kuaiji2026")
people = []
for n in range({count}):
    first17 = f"500103{{1960 + n // 1000:04d}}0101{{n % 1000:03d}}"
    person = Person(province="chongqing", name="测试", password=password)
    set_identity(person, check_id_number("111", first17 + ric.calc_check_digit(first17 + "0")))
    set_mobile(person, f"139{{n:08d}}")
    people.append(person)
# Only this run's people: a database kept from an earlier run holds people sealed with that run's keys.
print(" ".join(issue_token(person=p) for p in Person.objects.bulk_create(people)))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unmeasured load before each endpoint")
    parser.add_argument(
        "--rounds", type=int, default=4, help="the seconds of each endpoint, split over this many rounds"
    )
    parser.add_argument("--port", type=int, default=8872)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accreg-bench-") as tmp:
        data_dir = Path(tmp)
        server = start_server(data_dir, args.port, workers=args.workers)
        try:
            env = {**os.environ, "DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings"}
            tokens = subprocess.run(
                [PY, "-c", PEOPLE.format(count=args.people)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            auth = [{"Authorization": f"Bearer {token}"} for token in tokens]
            database = os.environ.get("DATABASE_URL", "SQLite").split("@")[-1]
            print(
                f"== gunicorn {args.workers} sync workers, {args.clients} clients, {args.seconds:.0f} s each"
                f" in {args.rounds} rounds after {args.warmup:.0f} s unmeasured, "
                f"{len(tokens)} people, database {database}"
            )
            body = [json.dumps(WORK, ensure_ascii=False).encode()]
            phases = [
                ("GET /api/v1/health", "/api/v1/health", None, "GET", None),
                ("PUT .../sections/work", "/api/v1/me/record/sections/work", body, "PUT", auth),
                ("GET /api/v1/me/record", "/api/v1/me/record", None, "GET", auth),
            ]
            for _, path, bodies, method, headers in phases if args.warmup else ():
                load(args.port, path, bodies, args.warmup, args.clients, method=method, headers=headers)
            totals = {
                label: {"requests": 0, "seconds": 0.0, "app": 0.0, "db": 0.0, "latencies": [], "statuses": {}}
                for label, *_ in phases
            }
            for _ in range(args.rounds):  # a slow minute of the machine falls on every endpoint alike
                for label, path, bodies, method, headers in phases:
                    workers, db_pids = server_and_database_pids(server)
                    app_before, db_before = cpu_seconds(workers), cpu_seconds(db_pids)
                    result = load(
                        args.port,
                        path,
                        bodies,
                        args.seconds / args.rounds,
                        args.clients,
                        method=method,
                        headers=headers,
                    )
                    total = totals[label]
                    total["requests"] += result["requests"]
                    total["seconds"] += result["requests"] / result["per_second"]
                    total["app"] += cpu_seconds(workers) - app_before
                    total["db"] += cpu_seconds(db_pids) - db_before
                    total["latencies"] += result["latencies"]
                    for status, count in result["statuses"].items():
                        total["statuses"][status] = total["statuses"].get(status, 0) + count
            health = 0.0
            for label, total in totals.items():
                latencies = sorted(total["latencies"])
                per_second = total["requests"] / total["seconds"]
                health = health or per_second
                print(
                    f"  {label:<24} {per_second:7.1f}/s ({per_second / health:4.0%} of health)"
                    f"  median {latencies[len(latencies) // 2] * 1000:6.1f} ms"
                    f"  p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:6.1f} ms"
                    f"  CPU per request: application {total['app'] / total['requests'] * 1000:.2f} ms,"
                    f" PostgreSQL {total['db'] / total['requests'] * 1000:.2f} ms"
                    f"  statuses {total['statuses']}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
