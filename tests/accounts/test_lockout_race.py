"""The account lock-out holds under simultaneous attempts: of 40 wrong passwords sent at once and
those sent one by one after them, 5 are checked in all and the next is refused as locked
(decisions 0010 and 0021)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from accreg.accounts.models import SignInFailure
from tests.accounts.lockout_race import fire


def test_simultaneous_wrong_passwords_on_a_file_sqlite_database_get_five_checks(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="tests.settings")

    run = subprocess.run(
        [sys.executable, "-m", "tests.accounts.lockout_race"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    answers = json.loads(run.stdout.strip().splitlines()[-1])
    assert (tmp_path / "db.sqlite3").is_file()  # a real database file, several connections at once
    assert answers["invalid_credentials"] == 5
    assert set(answers) == {"invalid_credentials", "account_locked"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_passwords_on_postgresql_get_five_checks(reference_data, make_staff):
    make_staff("race_r", "410105")

    answers = fire("race_r")

    assert answers["invalid_credentials"] == 5
    assert set(answers) == {"invalid_credentials", "account_locked"}
    assert SignInFailure.objects.filter(account_key__startswith="staff:").count() == 5
