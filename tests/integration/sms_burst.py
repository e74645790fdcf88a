"""Queue COUNT SMS at RATE a second through `queue_sms`, as requests would, each again until its
queueing commits (the database may be restarting meanwhile). Run from the repository root:

    python -m tests.integration.sms_burst COUNT RATE

Message i goes to 139%08d and reads 【测试】第i条; prints one JSON line: queued, retries, seconds,
and queued_at (when each message's queueing committed, seconds since the epoch).
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(count: int, rate: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import InterfaceError, OperationalError, transaction

    from accreg.notifications.tasks import queue_sms
    from accreg.notifications.worker import close_connections

    started, retries, queued_at = time.monotonic(), 0, []
    for i in range(count):
        while True:
            try:
                with transaction.atomic():
                    queue_sms(f"139{i:08d}", f"【测试】第{i}条")
                queued_at.append(time.time())
                break
            except (OperationalError, InterfaceError):
                retries += 1
                close_connections()
                time.sleep(0.1)
        time.sleep(max(0.0, started + (i + 1) / rate - time.monotonic()))
    seconds = round(time.monotonic() - started, 2)
    print(json.dumps({"queued": count, "retries": retries, "seconds": seconds, "queued_at": queued_at}))


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]))
