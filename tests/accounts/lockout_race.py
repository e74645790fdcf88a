"""Fires simultaneous wrong passwords at one staff account and tallies the answers (issue 13
item 13: the lock-out race): imported by tests/accounts/test_lockout_race.py, and run on its own in a fresh
process against a file-based SQLite database (`python -m tests.accounts.lockout_race`)."""

from __future__ import annotations

import json
import threading
from collections import Counter

ATTEMPTS = 40


def fire(username: str, *, attempts: int = ATTEMPTS) -> Counter[str]:
    """`attempts` threads released at once, each signing in with a wrong password: the error
    code each one got back ("invalid_credentials" means its password was checked)."""
    from django.db import connection

    from accreg.accounts.services.sign_in import sign_in_staff
    from accreg.errors import DomainError

    answers: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(attempts)

    def attempt(index: int) -> None:
        start.wait()
        try:
            sign_in_staff(username, f"wrong-password-{index}", None, ip="192.0.2.7")
            code = "signed_in"
        except DomainError as exc:
            code = exc.code
        finally:
            connection.close()
        with lock:
            answers[code] += 1

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


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
