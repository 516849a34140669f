"""PostgreSQL: the search documents' ``filters`` vector kept in the row (STORAGE MAIN), ``numbers`` and
``applicants`` moved out of line first (EXTERNAL). Nothing on SQLite.

The toaster moves EXTENDED columns out of line before it compresses MAIN ones, and a document's row is over
2 kB until its body vector is compressed: so the small EXTENDED vectors went to the TOAST table in most rows (the
filters in 74 % of them at 1 M), and every recheck of a filter (a phrase or a weighted word beside ``year:`` or
``city:``) fetched them from there. ``"制备方法" AND year:2018..2022 NOT type:design`` read 163,897 buffers for
50,381 table pages, 51,027 after this; 850–1,010 → 570–860 ms. The table is made again: a column's storage
applies to the rows written after it is set."""

import importlib

from django.db import migrations

doc = importlib.import_module("ipoffice.patents.migrations.0008_search_doc_filters")

COLUMNS = "patent_id, body, names, numbers, applicants, filters"  # (title is generated)


def _storage(storage: dict[str, str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            trigram = cursor.fetchone() is not None
            for sql in [
                "CREATE TABLE patents_search_doc_new "
                "(LIKE patents_search_doc INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING STORAGE)",
                "ALTER TABLE patents_search_doc_new "
                + ", ".join(f"ALTER COLUMN {column} SET STORAGE {kind}" for column, kind in storage.items()),
                f"INSERT INTO patents_search_doc_new ({COLUMNS}) SELECT {COLUMNS} FROM patents_search_doc",
                "DROP TABLE patents_search_doc",
                "ALTER TABLE patents_search_doc_new RENAME TO patents_search_doc",
                "ALTER TABLE patents_search_doc ADD CONSTRAINT patents_search_doc_pkey PRIMARY KEY (patent_id)",
                *doc.INDEXES, *([doc.TRIGRAM] if trigram else []), "ANALYZE patents_search_doc",
            ]:
                cursor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("patents", "0011_search_fts_automerge"),
    ]

    operations = [
        migrations.RunPython(_storage({"filters": "MAIN", "numbers": "EXTERNAL", "applicants": "EXTERNAL"}),
                             _storage({"filters": "EXTENDED", "numbers": "EXTENDED", "applicants": "EXTENDED"}),
                             elidable=False),
    ]
