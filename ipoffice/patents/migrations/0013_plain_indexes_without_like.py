"""Plain B-trees, without PostgreSQL's ``_like`` copies, on the text columns only looked up by equality.

Django gives every ``db_index`` text column a second B-tree on PostgreSQL (``varchar_pattern_ops``, for
``LIKE 'prefix%'``): one more index for every import to keep up, asked by no query here for these columns
(``ipc_main`` and ``symbol`` keep theirs: the IPC pages and filters ask for prefixes). The fields lose
``db_index`` and the models name their indexes instead. On the database the indexes are renamed, not built
again, and the ``_like`` copies dropped: Django's own operations would rebuild the whole table on SQLite for each
field. The history table's indexes on them go: nothing looks up its rows by those columns.
"""

from django.db import migrations, models

#: the fields of the patent (and its history) that lose ``db_index``, as they are now
PATENT_FIELDS = [
    ("family_id", dict(blank=True, max_length=30, verbose_name="family id")),
    ("grant_number", dict(blank=True, max_length=40, verbose_name="grant number")),
    ("legal_status", dict(blank=True, max_length=12, verbose_name="legal status", choices=[
        ("pending", "pending"), ("granted", "in force"), ("lapsed", "lapsed"), ("withdrawn", "withdrawn or rejected"),
        ("invalidated", "invalidated"), ("", "unknown")])),
    ("patent_type", dict(max_length=12, verbose_name="type", choices=[
        ("invention", "invention"), ("utility", "utility model"), ("design", "design"), ("plant", "plant patent"),
        ("reissue", "reissue"), ("other", "other")])),
    ("publication_number", dict(blank=True, max_length=40, verbose_name="publication number")),
]


#: model → [(column, the index's name now)]
RENAMED = {
    "patent": [(name, f"patent_{name}") for name, _field in PATENT_FIELDS],
    "citation": [("cited_number", "citation_cited_number")],
    "legalevent": [("code", "legalevent_code")],
}


def _indexes(apps, schema_editor):
    """(table, column, Django's name of its db_index index, of its ``_like`` copy, the name now) of every index
    renamed; and of the history table's, with None as the name now."""
    name = schema_editor._create_index_name  # (the names Django gave a db_index index and its copy)
    tables = {model: apps.get_model("patents", model)._meta.db_table for model in (*RENAMED, "historicalpatent")}
    found = [(tables[model], column, new) for model, columns in RENAMED.items() for column, new in columns]
    found += [(tables["historicalpatent"], column, None) for column, _field in PATENT_FIELDS]
    return [(table, column, name(table, [column]), name(table, [column], suffix="_like"), new)
            for table, column, new in found]


def forward(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, column, old, like, new in _indexes(apps, schema_editor):
        if postgres:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{like}"')
        if postgres and new:
            schema_editor.execute(f'ALTER INDEX IF EXISTS "{old}" RENAME TO "{new}"')
            continue
        schema_editor.execute(f'DROP INDEX IF EXISTS "{old}"')
        if new:
            schema_editor.execute(f'CREATE INDEX "{new}" ON "{table}" ("{column}")')


def backward(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, column, old, like, new in _indexes(apps, schema_editor):
        if postgres and new:
            schema_editor.execute(f'ALTER INDEX IF EXISTS "{new}" RENAME TO "{old}"')
        else:
            if new:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{new}"')
            schema_editor.execute(f'CREATE INDEX "{old}" ON "{table}" ("{column}")')
        if postgres:
            schema_editor.execute(f'CREATE INDEX "{like}" ON "{table}" ("{column}" varchar_pattern_ops)')


def _unindexed(model, name, **kwargs):
    return migrations.AlterField(model_name=model, name=name, field=models.CharField(**kwargs))


class Migration(migrations.Migration):

    dependencies = [
        ("patents", "0012_search_doc_filters_in_row"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                _unindexed("citation", "cited_number", blank=True, max_length=40),
                _unindexed("legalevent", "code", max_length=10, verbose_name="code"),
                *(_unindexed(model, name, **kwargs) for model in ("historicalpatent", "patent")
                  for name, kwargs in PATENT_FIELDS),
                *(migrations.AddIndex(model_name=model, index=models.Index(fields=[column], name=new))
                  for model, columns in RENAMED.items() for column, new in columns),
            ],
        ),
    ]
