"""Personal data and secrets at rest (issue 13 item 12): nothing of a legacy person's identity
in plain in django_session, staff TOTP secrets encrypted in the database (existing ones by a
data migration), and the files that hold personal data readable by their owner only."""

import importlib
import json
from pathlib import Path
from types import SimpleNamespace

import pyotp
import pytest
from django.contrib.sessions.models import Session
from django.db import connection

from accreg.accounts.models import Staff
from accreg.accounts.people import id_number_of
from tests.fresh_process import run_module

pytestmark = pytest.mark.django_db


def stored_sessions() -> str:
    """Every session as the database keeps it, decoded (signed, not encrypted, by Django)."""
    return json.dumps([s.get_decoded() for s in Session.objects.all()], ensure_ascii=False)


def test_activation_keeps_the_name_and_id_number_out_of_the_session_store(client, legacy_person):
    person = legacy_person(name="赵云")
    number = id_number_of(person)

    step_two = client.post("/liaoning/activate/", {"step": "1", "name": "赵云", "id_number": number})

    assert "已找到 赵云 的档案" in step_two.content.decode()
    assert Session.objects.exists()
    assert "赵云" not in stored_sessions() and number not in stored_sessions()


def test_sign_in_hands_the_typed_identity_to_activation_without_keeping_it_in_plain(client, legacy_person):
    person = legacy_person(name="赵云")
    number = id_number_of(person)

    client.post(
        "/liaoning/login/", {"method": "name_id_password", "name": "赵云", "id_number": number, "password": "whatever1"}
    )

    assert "赵云" not in stored_sessions() and number not in stored_sessions()
    step_one = client.get("/liaoning/activate/?legacy=1").content.decode()
    assert f'value="{number}"' in step_one and 'value="赵云"' in step_one


def raw_otp_secret(staff: Staff) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT otp_secret FROM accounts_staff WHERE id = %s", [staff.pk])
        return cursor.fetchone()[0]


def test_a_staff_members_totp_secret_is_stored_encrypted(make_staff):
    staff = make_staff("jinshui_r", "410105")
    secret = Staff.objects.get(pk=staff.pk).otp_secret

    raw = raw_otp_secret(staff)

    assert len(secret) == 32 and secret not in raw
    assert pyotp.TOTP(secret).now().isdigit()


def test_the_migration_encrypts_the_secrets_kept_in_plain_before(make_staff):
    staff = make_staff("jinshui_r", "410105")
    with connection.cursor() as cursor:  # as the column held it before migration 0005
        cursor.execute("UPDATE accounts_staff SET otp_secret = %s WHERE id = %s", ["JBSWY3DPEHPK3PXP", staff.pk])
    migration = importlib.import_module("accreg.accounts.migrations.0005_staff_otp_secret_encrypted")
    from django.apps import apps

    migration.encrypt_plain_secrets(apps, SimpleNamespace(connection=connection))
    migration.encrypt_plain_secrets(apps, SimpleNamespace(connection=connection))  # safe to run again

    assert "JBSWY3DPEHPK3PXP" not in raw_otp_secret(staff)
    assert Staff.objects.get(pk=staff.pk).otp_secret == "JBSWY3DPEHPK3PXP"


def test_the_database_uploads_and_outbox_are_readable_by_their_owner_only(tmp_path: Path):
    data = tmp_path / "data"
    (data / "uploads").mkdir(parents=True, mode=0o755)  # as an older version left them
    (data / "db.sqlite3").touch(mode=0o644)
    (data / "sms-outbox.jsonl").touch(mode=0o644)
    for path in (data, data / "uploads", data / "db.sqlite3", data / "sms-outbox.jsonl"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    modes = run_module("tests.accounts.private_files_probe", data, drop=("MEDIA_ROOT",))
    assert modes == {
        "data_dir": "0o700",
        "database": "0o600",
        "database-wal": "0o600",
        "database-shm": "0o600",
        "uploads": "0o700",
        "upload_folder": "0o700",
        "upload": "0o600",
        "outbox": "0o600",
    }
