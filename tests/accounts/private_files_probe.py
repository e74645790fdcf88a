"""Run on its own in a fresh process (`python -m tests.accounts.private_files_probe`) with
DATA_DIR set: starts Django as the site does, writes to the SQLite database, stores an upload and
sends an SMS to the outbox, then prints each path's permission bits as JSON (issue 13 item 12)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import connection

    from accreg.notifications.sms import OutboxBackend

    call_command("migrate", verbosity=0)
    data = Path(settings.DATA_DIR)
    database = Path(settings.DATABASES["default"]["NAME"])
    with connection.cursor() as cursor:  # WAL mode: -wal and -shm exist while a connection is open
        cursor.execute("CREATE TABLE IF NOT EXISTS probe (x integer)")
        cursor.execute("INSERT INTO probe VALUES (1)")
        stored = default_storage.save("materials/2026/12/photo.jpg", ContentFile(b"\xff\xd8\xff"))
        OutboxBackend().send("13900000000", "【测试】您的验证码为123456")
        paths = {
            "data_dir": data,
            "database": database,
            "database-wal": database.with_name(database.name + "-wal"),
            "database-shm": database.with_name(database.name + "-shm"),
            "uploads": Path(settings.MEDIA_ROOT),
            "upload_folder": Path(settings.MEDIA_ROOT) / "materials" / "2026" / "12",
            "upload": Path(default_storage.path(stored)),
            "outbox": Path(settings.SMS_OUTBOX),
        }
        print(json.dumps({key: oct(stat.S_IMODE(os.stat(path).st_mode)) for key, path in paths.items()}))


if __name__ == "__main__":
    main()
