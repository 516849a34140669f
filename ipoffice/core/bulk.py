"""Bulk writes for the importers: rows go in without building model instances or compiling Django's bulk
INSERT, by COPY on PostgreSQL and one ``executemany`` on SQLite. No signals are sent, as with ``bulk_create``;
values are converted for the database as Django would convert them (dates, JSON)."""

from datetime import date, datetime

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

_PLAIN = {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "TextField", "FloatField",
          "ForeignKey", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField"}


def write_rows(table: str, columns: list[str], rows: list) -> None:
    """Rows of values (already in the database's form) into ``table``'s ``columns``."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def _converters(fields) -> list:
    """(position, field) of the fields whose values need Django's conversion for the database (dates, JSON)."""
    return [(i, f) for i, f in enumerate(fields) if f.get_internal_type() not in _PLAIN]


_REPEATING = (type(None), date, datetime)  # values converted once per column and batch


def _prepared(rows, converters) -> list:
    if not converters:
        return rows
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: every attribute read through the proxy costs
    converters = [(i, f.get_db_prep_save) for i, f in converters]
    # (position, value) → converted: dates, times (a batch shares its time stamp) and NULL repeat within a batch,
    # and so do empty JSON values, keyed by their type; each conversion costs microseconds
    memo = {}
    prepared = []
    for row in rows:
        row = list(row)
        for i, convert in converters:
            value = row[i]
            kind = type(value)
            if kind in _REPEATING:
                key = (i, value)
            elif not value and (kind is dict or kind is list):
                key = (i, kind)
            else:
                row[i] = convert(value, db)
                continue
            if key not in memo:
                memo[key] = convert(value, db)
            row[i] = memo[key]
        prepared.append(row)
    return prepared


def insert_rows(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows (tuples of the fields ``names``, attnames such as ``patent_id``) into the model's table; the other
    fields take their defaults."""
    if not rows:
        return
    opts = model._meta
    given = [opts.get_field(name[:-3] if name.endswith("_id") else name) for name in names]
    rest = [f for f in opts.concrete_fields if not f.primary_key and f not in given]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    prepared = _prepared(rows, _converters(given))
    if defaults:
        prepared = [(*row, *defaults) for row in prepared]
    write_rows(opts.db_table, [f.column for f in (*given, *rest)], prepared)


def reserve_ids(model, count: int) -> list[int]:
    """``count`` new primary keys of the model: from its sequence on PostgreSQL; on SQLite after the largest id
    ever given (Django's tables there are AUTOINCREMENT, so ids of deleted rows are not given again)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, model._meta.pk.column, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(m) FROM (SELECT MAX({connection.ops.quote_name(model._meta.pk.column)}) AS m "
                       f"FROM {connection.ops.quote_name(table)} UNION ALL "
                       f"SELECT seq FROM sqlite_sequence WHERE name = %s)", [table])
        first = (cursor.fetchone()[0] or 0) + 1
        return list(range(first, first + count))


def insert_objects(objs: list) -> None:
    """New model instances of one model into its table, their primary keys reserved first and set on them
    (``auto_now`` fields are set as Django sets them, to one time for the batch)."""
    if not objs:
        return
    model = type(objs[0])
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    stamps = [(f.attname, f.pre_save(objs[0], True)) for f in fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    attnames = [f.attname for f in fields]
    rows = []
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        for attname, stamp in stamps:
            setattr(obj, attname, stamp)
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
        rows.append([pk, *(getattr(obj, name) for name in attnames)])
    pk_and_fields = [opts.pk, *fields]
    write_rows(opts.db_table, [f.column for f in pk_and_fields], _prepared(rows, _converters(pk_and_fields)))


def insert_with_history(objs: list) -> list:
    """:func:`insert_objects`, and a "created" row for each in the model's history table (django-simple-history),
    as its ``bulk_create_with_history`` writes them but without Django's bulk INSERT. Returns ``objs``."""
    if not objs:
        return objs
    insert_objects(objs)
    history = type(objs[0]).history.model
    now = timezone.now()
    tracked = [f.attname for f in history.tracked_fields]
    insert_objects([history(history_date=now, history_type="+", history_user=None, history_change_reason=None,
                            **{name: getattr(obj, name) for name in tracked}) for obj in objs])
    return objs
