"""PostgreSQL: the ``filters`` tsvector of the search documents (office, type, status, filing year and division
codes as tokens, :func:`ipoffice.patents.search.backends.filter_tokens`) with its GIN index, so that filters
beside common words intersect index entries instead of joining a patent row per hit (as SQLite's ``filters``
column does since 0007). Nothing on SQLite.

The table is made again with the column filled in SQL from the patents, then indexed: an UPDATE of every row
would rewrite each row's entries in every GIN index and leave the table twice its size. The vectors that
queries rank by (``body``, ``names``, ``title``) are kept in the row (compressed where the row is long: STORAGE
MAIN), not in the TOAST table: with the title and filter vectors beside it, most bodies had gone out of line,
and ``ts_rank`` fetched each hit's from there (``装置 AND city:4401`` at 1 M: 1.5 → 0.7 s)."""

import importlib

from django.db import migrations

on_postgresql = importlib.import_module("ipoffice.patents.migrations.0005_search_title_vector").run

ALNUM = "regexp_replace(lower({}), '[^0-9a-z]', '', 'g')"
#: The tokens of filter_tokens, in SQL: o<office> t<type> s<status> [y<year>] [r<2> r<4> r<6> r<code>].
TOKENS = (
    f"array_to_tsvector(ARRAY['o' || lower(p.office), 't' || {ALNUM.format('p.patent_type')}, "
    f"'s' || {ALNUM.format('p.legal_status')}] "
    "|| CASE WHEN p.application_date IS NULL THEN '{}'::text[] "
    "ELSE ARRAY['y' || extract(year FROM p.application_date)::int] END "
    "|| CASE WHEN r.code IS NULL OR r.code = '' THEN '{}'::text[] "
    "ELSE ARRAY['r' || left(r.code, 2), 'r' || left(r.code, 4), 'r' || left(r.code, 6), 'r' || r.code] END)"
)
VECTOR = "tsvector NOT NULL DEFAULT ''::tsvector"
FORWARD = [
    f"CREATE TABLE patents_search_doc_new (patent_id bigint PRIMARY KEY, body {VECTOR}, names {VECTOR}, "
    f"numbers {VECTOR}, applicants text NOT NULL DEFAULT '', "
    f"title tsvector GENERATED ALWAYS AS (ts_filter(body, '{{a}}')) STORED, filters {VECTOR})",
    "ALTER TABLE patents_search_doc_new "
    + ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in ("body", "names", "title")),
    f"INSERT INTO patents_search_doc_new (patent_id, body, names, numbers, applicants, filters) "
    f"SELECT s.patent_id, s.body, s.names, s.numbers, s.applicants, {TOKENS} FROM patents_search_doc s "
    f"JOIN patents_patent p ON p.id = s.patent_id LEFT JOIN regions_region r ON r.id = p.region_id",
    "DROP TABLE patents_search_doc",
    "ALTER TABLE patents_search_doc_new RENAME TO patents_search_doc",
    "ALTER INDEX patents_search_doc_new_pkey RENAME TO patents_search_doc_pkey",
]
INDEXES = [f"CREATE INDEX patents_search_doc_{column} ON patents_search_doc USING gin ({column})"
           for column in ("body", "names", "numbers", "title", "filters")]
TRIGRAM = "CREATE INDEX patents_search_doc_applicants ON patents_search_doc USING gin (applicants gin_trgm_ops)"
BACKWARD = ["DROP INDEX IF EXISTS patents_search_doc_filters",
            "ALTER TABLE patents_search_doc DROP COLUMN IF EXISTS filters"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")  # (0002 made it where it could)
        trigram = cursor.fetchone() is not None
        for sql in (*FORWARD, *INDEXES, *([TRIGRAM] if trigram else []), "ANALYZE patents_search_doc"):
            cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("patents", "0007_search_filters_column"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, on_postgresql(BACKWARD), elidable=False),
    ]
