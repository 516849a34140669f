"""The full-text index of patent search (see ipoffice.patents.search.backends): an FTS5 table on SQLite, a
tsvector table with GIN indexes (and pg_trgm on applicant names, where the extension can be created) on
PostgreSQL. Each part runs only on its own database."""

from django.db import DatabaseError, migrations, transaction

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS patents_search_fts USING fts5("
    "title, abstract, claims, applicant, inventor, agency, agent, numbers, tokenize = 'ascii')",
    "CREATE TRIGGER IF NOT EXISTS patents_search_fts_delete AFTER DELETE ON patents_patent "
    "BEGIN DELETE FROM patents_search_fts WHERE rowid = old.id; END",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS patents_search_fts_delete", "DROP TABLE IF EXISTS patents_search_fts"]

POSTGRES = [
    "CREATE TABLE IF NOT EXISTS patents_search_doc (patent_id bigint PRIMARY KEY, "
    "body tsvector NOT NULL DEFAULT ''::tsvector, names tsvector NOT NULL DEFAULT ''::tsvector, "
    "numbers tsvector NOT NULL DEFAULT ''::tsvector, applicants text NOT NULL DEFAULT '')",
    "CREATE INDEX IF NOT EXISTS patents_search_doc_body ON patents_search_doc USING gin (body)",
    "CREATE INDEX IF NOT EXISTS patents_search_doc_names ON patents_search_doc USING gin (names)",
    "CREATE INDEX IF NOT EXISTS patents_search_doc_numbers ON patents_search_doc USING gin (numbers)",
    "CREATE OR REPLACE FUNCTION patents_search_doc_delete() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN DELETE FROM patents_search_doc WHERE patent_id = OLD.id; RETURN OLD; END $$",
    "CREATE TRIGGER patents_search_doc_delete AFTER DELETE ON patents_patent "
    "FOR EACH ROW EXECUTE FUNCTION patents_search_doc_delete()",
    "CREATE OR REPLACE FUNCTION patents_search_doc_truncate() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN TRUNCATE patents_search_doc; RETURN NULL; END $$",
    "CREATE TRIGGER patents_search_doc_truncate AFTER TRUNCATE ON patents_patent "
    "FOR EACH STATEMENT EXECUTE FUNCTION patents_search_doc_truncate()",
]
POSTGRES_TRIGRAM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS patents_search_doc_applicants ON patents_search_doc "
    "USING gin (applicants gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS patents_search_doc_truncate ON patents_patent",
    "DROP TRIGGER IF EXISTS patents_search_doc_delete ON patents_patent",
    "DROP FUNCTION IF EXISTS patents_search_doc_truncate()",
    "DROP FUNCTION IF EXISTS patents_search_doc_delete()",
    "DROP TABLE IF EXISTS patents_search_doc",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            for sql in SQLITE:
                cursor.execute(sql)
        elif vendor == "postgresql":
            for sql in POSTGRES:
                cursor.execute(sql)
            try:  # pg_trgm only serves name suggestions: without the right to create it, go on without it
                with transaction.atomic(using=schema_editor.connection.alias):
                    for sql in POSTGRES_TRIGRAM:
                        cursor.execute(sql)
            except DatabaseError:
                pass


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor, [])
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("patents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
