"""Fires simultaneous wrong passwords at one staff account and tallies the answers (issue 13
item 13: the lock-out race): imported by tests/accounts/test_lockout_race.py, and run on its own in a fresh
process against a file-based SQLite database (`python -m tests.accounts.lockout_race`)."""

from __future__ import annotations

import json
import threading
from collections import Counter

ATTEMPTS = 40


def attempt(username: str, index: int) -> str:
    """One wrong password; the error code it got ("invalid_credentials": its password was checked)."""
    from accreg.accounts.services.sign_in import sign_in_staff
    from accreg.errors import DomainError

    try:
        sign_in_staff(username, f"wrong-password-{index}", None, ip="192.0.2.7")
    except DomainError as exc:
        return exc.code
    return "signed_in"


def fire(username: str, *, attempts: int = ATTEMPTS) -> dict[str, int]:
    """`attempts` threads released at once, each with a wrong password, then one attempt at a time
    until one is refused: how many answers of each code came back in all."""
    from django.db import connection

    answers: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(attempts)

    def at_once(index: int) -> None:
        start.wait()
        try:
            code = attempt(username, index)
        finally:
            connection.close()
        with lock:
            answers[code] += 1

    threads = [threading.Thread(target=at_once, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Attempts refused in the crowd take their rows back, so fewer than 5 may have been checked:
    # carry on one at a time until the account refuses.
    for index in range(attempts, attempts + 10):
        code = attempt(username, index)
        answers[code] += 1
        if code == "account_locked":
            break
    return dict(answers)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from accreg.accounts.models import Staff, StaffRole

    call_command("migrate", verbosity=0)
    staff = Staff(username="race_admin", is_superuser=True, is_staff=True, role=StaffRole.ADMIN)
    staff.set_password("Ceshi-Mima-2026")
    staff.save()
    print(json.dumps(fire("race_admin")))


if __name__ == "__main__":
    main()
