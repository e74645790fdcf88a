"""Staff TOTP secrets were kept in plain; the column now holds Fernet ciphertext (issue 13 item 12).
The data step reads and writes the raw column, since the model field would decrypt on read."""

from django.db import migrations

import accreg.accounts.fields

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so; a base32 TOTP secret never does


def _rows(schema_editor, apps):
    staff = apps.get_model("accounts", "Staff")
    quote = schema_editor.connection.ops.quote_name
    return quote(staff._meta.db_table), quote(staff._meta.get_field("otp_secret").column)


def encrypt_plain_secrets(apps, schema_editor):
    from accreg.accounts.sensitive import encrypt

    table, column = _rows(schema_editor, apps)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} <> ''")
        for pk, value in cursor.fetchall():
            if not value.startswith(FERNET_PREFIX):
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [encrypt(value), pk])


def decrypt_secrets(apps, schema_editor):
    from accreg.accounts.sensitive import decrypt

    table, column = _rows(schema_editor, apps)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} <> ''")
        for pk, value in cursor.fetchall():
            if value.startswith(FERNET_PREFIX):
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [decrypt(value), pk])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_legacy_import"),
    ]

    operations = [
        migrations.AlterField(
            model_name="staff",
            name="otp_secret",
            field=accreg.accounts.fields.EncryptedTextField(blank=True, editable=False, verbose_name="动态口令密钥"),
        ),
        migrations.RunPython(encrypt_plain_secrets, decrypt_secrets),
    ]
