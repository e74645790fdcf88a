"""Indexes for the reviewer's search on PostgreSQL (issue 14; SQLite scans, which is fine at its sizes):

- two characters of a unit name ("恒信"): the trigram index of 0006 cannot serve a fragment
  shorter than three characters, so the unit name's two-character pieces are indexed
  (`accreg_bigrams(unit_name)`, GIN) and the queue asks `accreg_bigrams(unit_name) @> {恒信}`;
- a search in every status is ordered by submission time with no status to lead the queue
  indexes, so (submitted_at, id) lets a common prefix ("王") stop after one page.
"""

from django.db import migrations

BIGRAMS = """
CREATE OR REPLACE FUNCTION accreg_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}'::text[])
   FROM generate_series(1, char_length(t) - 1) AS i $$
"""


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BIGRAMS)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS submission_unit_name_bigrams "
            "ON collection_submission USING gin (accreg_bigrams(unit_name))"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS submission_by_time ON collection_submission (submitted_at, id)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS submission_by_time")
        schema_editor.execute("DROP INDEX IF EXISTS submission_unit_name_bigrams")
        schema_editor.execute("DROP FUNCTION IF EXISTS accreg_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("collection", "0008_submission_latest")]
    operations = [migrations.RunPython(create, drop)]
