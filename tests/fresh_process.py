"""Run a test helper module in a process of its own, on a data directory (and so a file SQLite
database) of its own, and read the JSON it prints last: for what one process cannot show (several
connections racing, the modes start-up gives files)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings


def run_module(module: str, data_dir: Path, *, drop: tuple[str, ...] = ()) -> Any:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", *drop)}
    env.update(DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="tests.settings")
    run = subprocess.run(
        [sys.executable, "-m", module],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])
