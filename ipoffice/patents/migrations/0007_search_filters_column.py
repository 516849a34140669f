"""SQLite: the full-text table gets a ninth column, ``filters``, the structured fields as tokens (office, type,
status, filing year, division codes; see ``filter_tokens``). FTS5 cannot add a column, so the table is made again
and every indexed row copied over with its new column (then merged into one segment, as after a rebuild); the
index needs no rebuild from the patents. Nothing on PostgreSQL (its ``filters`` vector came with 0008)."""

from datetime import date

from django.db import migrations

OLD_COLUMNS = ("title", "abstract", "claims", "applicant", "inventor", "agency", "agent", "numbers")
TRIGGER = ("CREATE TRIGGER patents_search_fts_delete AFTER DELETE ON patents_patent "
           "BEGIN DELETE FROM patents_search_fts WHERE rowid = old.id; END")
BATCH = 5000


def _rebuild(cursor, columns: tuple[str, ...], rows) -> None:
    """The table made again with ``columns``, filled from ``rows(cursor)`` (batches of rows, rowid first)."""
    cursor.execute("DROP TRIGGER IF EXISTS patents_search_fts_delete")
    cursor.execute(f"CREATE VIRTUAL TABLE patents_search_fts_new USING fts5({', '.join(columns)}, "
                   f"tokenize = 'ascii')")
    insert = (f"INSERT INTO patents_search_fts_new (rowid, {', '.join(columns)}) "
              f"VALUES ({', '.join(['?'] * (len(columns) + 1))})")
    for batch in rows(cursor):
        cursor.executemany(insert, batch)
    cursor.execute("INSERT INTO patents_search_fts_new (patents_search_fts_new) VALUES ('optimize')")
    cursor.execute("DROP TABLE patents_search_fts")
    cursor.execute("ALTER TABLE patents_search_fts_new RENAME TO patents_search_fts")
    cursor.execute(TRIGGER)


def _with_filters(cursor):
    # The running code's token function: what a reindex would write (a migration of the index, not of its rules).
    from ipoffice.patents.search.backends import filter_tokens

    read = cursor.connection.cursor()  # (a second cursor: the first one writes while this one reads)
    read.execute(f"SELECT f.rowid, {', '.join('f.' + c for c in OLD_COLUMNS)}, p.office, p.patent_type, "
                 f"p.legal_status, p.application_date, r.code FROM patents_search_fts f "
                 f"JOIN patents_patent p ON p.id = f.rowid LEFT JOIN regions_region r ON r.id = p.region_id")
    while batch := read.fetchmany(BATCH):
        yield [(*row[:9], " ".join(filter_tokens(row[9], row[10], row[11],
                                                 _date(row[12]), row[13]))) for row in batch]


def _date(value):
    """A filing date as read: a date where Django's SQLite converters run, else its ISO text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _without_filters(cursor):
    read = cursor.connection.cursor()
    read.execute(f"SELECT rowid, {', '.join(OLD_COLUMNS)} FROM patents_search_fts")
    while batch := read.fetchmany(BATCH):
        yield batch


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor.cursor, (*OLD_COLUMNS, "filters"), _with_filters)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor.cursor, OLD_COLUMNS, _without_filters)


class Migration(migrations.Migration):

    dependencies = [
        ("patents", "0006_party_linked_indexes"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
