"""PostgreSQL: the titles' own tsvector (the A-weighted lexemes of ``body``, kept by PostgreSQL itself) with its
GIN index, so that a ``title:`` query is an exact index lookup instead of a recheck of every candidate's whole
body vector. Nothing on SQLite (FTS5 has a column per field)."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE patents_search_doc ADD COLUMN IF NOT EXISTS title tsvector "
    "GENERATED ALWAYS AS (ts_filter(body, '{a}')) STORED",
    "CREATE INDEX IF NOT EXISTS patents_search_doc_title ON patents_search_doc USING gin (title)",
]
BACKWARD = ["DROP INDEX IF EXISTS patents_search_doc_title",
            "ALTER TABLE patents_search_doc DROP COLUMN IF EXISTS title"]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("patents", "0004_export_permission"),
    ]

    operations = [
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
    ]
