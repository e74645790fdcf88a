"""Owner-only files and folders for what holds personal data at rest: the data folder, the SQLite
database with its -wal and -shm, the uploads, the SMS outbox (issue 13 item 12). Called from
settings at start-up; new uploads follow FILE_UPLOAD_PERMISSIONS and their folders
FILE_UPLOAD_DIRECTORY_PERMISSIONS."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> None:
    """Create the folder owner-only, or make an existing one so (its files stay out of reach of
    other accounts even where older ones were made 0644)."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    path.chmod(FOLDER_MODE)


def private_file(path: Path) -> None:
    """Create the file owner-only if missing, or make an existing one so."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    path.chmod(FILE_MODE)


def private_sqlite(name: str) -> None:
    """SQLite creates its -wal and -shm files with the mode of the database file, so an owner-only
    database file, made before SQLite first opens it, keeps all three owner-only. In-memory and
    URI names are left alone."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    database = Path(name)
    private_file(database)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            companion.chmod(FILE_MODE)
