"""What OCR read off a card (its ID number, the holder's address) was kept in plain JSON; the
column now holds Fernet ciphertext. The data step reads and writes the raw column, since the
model field would decrypt on read."""

import json

from django.db import migrations

import accreg.accounts.fields

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so; a JSON object never does


def _column(apps, schema_editor):
    reading = apps.get_model("reading", "Reading")
    quote = schema_editor.connection.ops.quote_name
    return quote(reading._meta.db_table), quote(reading._meta.get_field("facts").column)


def encrypt_plain_facts(apps, schema_editor):
    from accreg.accounts.sensitive import encrypt

    table, column = _column(apps, schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table}")
        for pk, value in cursor.fetchall():
            if value and not value.startswith(FERNET_PREFIX):
                plain = json.dumps(json.loads(value), ensure_ascii=False, sort_keys=True)
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [encrypt(plain), pk])


def decrypt_facts(apps, schema_editor):
    from accreg.accounts.sensitive import decrypt

    table, column = _column(apps, schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table}")
        for pk, value in cursor.fetchall():
            if value and value.startswith(FERNET_PREFIX):
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [decrypt(value), pk])


class Migration(migrations.Migration):
    dependencies = [
        ("reading", "0002_phash_plain_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reading",
            name="facts",
            field=accreg.accounts.fields.EncryptedJSONField(blank=True, default=dict, verbose_name="识别结果"),
        ),
        migrations.RunPython(encrypt_plain_facts, decrypt_facts),
    ]
