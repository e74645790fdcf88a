"""A trigram index for searching submissions by part of the unit name, on PostgreSQL only (SQLite
has no such index and scans, which is fine at the sizes it serves)."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS submission_unit_name_trgm "
            "ON collection_submission USING gin (unit_name gin_trgm_ops)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS submission_unit_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("collection", "0005_submission_counts")]
    operations = [migrations.RunPython(create, drop)]
