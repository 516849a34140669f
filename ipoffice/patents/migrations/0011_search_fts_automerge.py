"""SQLite: FTS5 merges the index's segments 16 at a time instead of 4 (its ``automerge`` option). Writing 1 M
patents' documents into the index cost 72 µs each with 4 and 52 with 16 (8: 58), while counting the matches of
four queries over them took the same time (55 and 53 ms): the merges that a large import did over and over are
most of that difference. PostgreSQL: nothing (its GIN indexes have no such option)."""

from django.db import migrations


def _automerge(segments: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute("INSERT INTO patents_search_fts (patents_search_fts, rank) "
                                  f"VALUES ('automerge', {segments})")
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("patents", "0010_covering_indexes"),
    ]

    operations = [migrations.RunPython(_automerge(16), _automerge(4))]
