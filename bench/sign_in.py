"""Sign-in benchmark: Argon2 cost per parameter set, then sign-ins per second through the API.

    .venv/bin/python bench/sign_in.py [--seconds 15] [--clients 8] [--people 200]

Part 1 verifies passwords in-process with our parameters and Django's defaults: time per
verification and the memory each one holds. Part 2 starts gunicorn (2 sync workers, as `make run`)
on a fresh SQLite database in a temporary DATA_DIR (or DATABASE_URL when set), registers people,
and fires `POST /api/v1/sessions` (id_password) from concurrent clients on loopback, next to a bare
health check in the same run. Per-IP rate limits are lifted for the run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from http_load import PY, ROOT, load, start_server


def hash_cost() -> None:
    from argon2 import PasswordHasher

    print("== Argon2id verification, one core")
    for label, params in [
        ("accreg (t=2, m=19 MiB, p=1)", {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}),
        ("Django default (t=2, m=100 MiB, p=8)", {"time_cost": 2, "memory_cost": 102400, "parallelism": 8}),
    ]:
        code = (
            "import resource,time,statistics\n"
            "from argon2 import PasswordHasher\n"
            f"ph=PasswordHasher(**{params!r})\n"
            "h=ph.hash('kuaiji2026')\n"
            "t=[]\n"
            "for _ in range(20):\n"
            "    s=time.perf_counter(); ph.verify(h,'kuaiji2026'); t.append(time.perf_counter()-s)\n"
            "peak=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(statistics.median(t)*1000, peak/1024)\n"
        )
        out = subprocess.run(
            [PY, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"}
        ).stdout.split()
        median_ms, peak_mb = (float(x) for x in out)
        print(
            f"  {label:<40} median {median_ms:6.1f} ms  → {1000 / median_ms:5.1f}/s per core; "
            f"memory per verification {params['memory_cost'] / 1024:.0f} MiB (process peak {peak_mb:.0f} MB)"
        )
    del PasswordHasher


def create_people(data_dir: Path, count: int) -> list[str]:
    env = {**os.environ, "DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = f"""
import django; django.setup()
from django.contrib.auth.hashers import make_password
from stdnum.cn import ric
from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity, set_mobile
password = make_password("kuaiji2026")
numbers = []
people = []
for n in range({count}):
    first17 = f"410105{{1960 + n // 1000:04d}}0101{{n % 1000:03d}}"
    number = first17 + ric.calc_check_digit(first17 + "0")
    person = Person(province="henan", name="测试", password=password)
    set_identity(person, check_id_number("111", number)); set_mobile(person, f"139{{n:08d}}")
    people.append(person); numbers.append(number)
Person.objects.bulk_create(people)
print(" ".join(numbers))
"""
    out = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--port", type=int, default=8871)
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))

    hash_cost()
    with tempfile.TemporaryDirectory(prefix="accreg-bench-") as tmp:
        data_dir = Path(tmp)
        server = start_server(data_dir, args.port)
        try:
            numbers = create_people(data_dir, args.people)
            bodies = [
                json.dumps({"method": "id_password", "id_number": n, "password": "kuaiji2026"}).encode()
                for n in numbers
            ]
            database = os.environ.get("DATABASE_URL", "SQLite").split("@")[-1]
            print(
                f"== HTTP on 127.0.0.1, gunicorn 2 sync workers, {args.clients} clients, {args.seconds:.0f} s, "
                f"database {database}"
            )
            health = load(args.port, "/api/v1/health", None, args.seconds / 3, args.clients)
            sign_ins = load(args.port, "/api/v1/sessions", bodies, args.seconds, args.clients)
            for label, result in [("GET /api/v1/health", health), ("POST /api/v1/sessions", sign_ins)]:
                print(
                    f"  {label:<24} {result['per_second']:7.1f}/s  median {result['median_ms']:7.1f} ms  "
                    f"p99 {result['p99_ms']:7.1f} ms  statuses {result['statuses']}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
