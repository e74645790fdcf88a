"""The account lock-out holds under simultaneous attempts: of 40 wrong passwords sent at once and
those sent one by one after them, 5 are checked in all and the next is refused as locked
(decisions 0010 and 0021)."""

from pathlib import Path

import pytest

from accreg.accounts.models import SignInFailure
from tests.accounts.lockout_race import fire
from tests.fresh_process import run_module


def test_simultaneous_wrong_passwords_on_a_file_sqlite_database_get_five_checks(tmp_path: Path):
    answers = run_module("tests.accounts.lockout_race", tmp_path)
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
