"""SQLite connection settings for a registry of millions of rows: every new connection gets a larger page cache,
memory-mapped reads (the operating system's page cache is shared between connections, which Django opens per
request) and temporary tables in memory (the search keeps each query's hits in one); read-only connections in
worker threads let one search use every core (:func:`fetch_in_parallel`)."""

import os
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

CACHE = "PRAGMA cache_size = -65536"  # KiB: 64 MiB per connection (the default is 2 MiB)
PRAGMAS = (
    CACHE,
    "PRAGMA mmap_size = 4294967296",  # address space, not memory: pages come from the OS cache
    "PRAGMA temp_store = MEMORY",
)


def tune(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for pragma in PRAGMAS:
            cursor.execute(pragma)


def install() -> None:
    connection_created.connect(tune, dispatch_uid="ipoffice.core.sqlite.tune")


@contextmanager
def import_cache():
    """A 512 MiB page cache while an import writes its file in one transaction: the pages it changes stay in
    memory instead of spilling to the database file before the commit (30,000 patents in one file: 8 % more per
    CPU second). SQLite takes the memory page by page as the transaction needs it and frees it when the cache is
    set back to the connection's usual size afterwards; nothing on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size = -524288")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(CACHE)


_workers = threading.local()  # per worker thread: its read-only connection to each database
_pool: tuple[int, ThreadPoolExecutor] | None = None  # (the process that made it, the pool): none after a fork
_pool_lock = threading.Lock()  # (requests on several threads may make it first)


def parallel_reads_possible() -> bool:
    """Whether other connections see what Django's connection sees: SQLite, more than one core, and no
    transaction open (in one, its uncommitted rows would be missing from the others)."""
    return connection.vendor == "sqlite" and (os.cpu_count() or 1) > 1 and connection.get_autocommit()


def fetch_in_parallel(statements: list[tuple[str, list]]) -> list[list[tuple]]:
    """The rows of each read statement (SQL with ``%s`` parameters, as Django's cursor takes it), the first
    on Django's connection and the others at the same time on worker threads (:func:`fetch_soon`)."""
    others = [fetch_soon(*statement) for statement in statements[1:]]
    with connection.cursor() as cursor:
        cursor.execute(*statements[0])
        first = cursor.fetchall()
    return [first, *(future.result() for future in others)]


def fetch_soon(sql: str, params: list) -> Future:
    """The rows of a read statement, to come: it runs on a worker thread's read-only connection while this thread
    goes on (the sqlite3 module lets go of the interpreter while SQLite runs a statement, so each uses a core of
    its own). Only where :func:`parallel_reads_possible`."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(os.cpu_count() or 1, "ipoffice-sqlite-read"))
    return _pool[1].submit(_fetch, connection.get_connection_params(), sql, params)


def _fetch(params: dict, sql: str, values: list) -> list[tuple]:
    """On a worker thread: the rows of ``sql`` from its connection to the database of ``params`` (Django's
    connection parameters), opened read-only on first use and kept."""
    connections = _workers.__dict__.setdefault("connections", {})
    key = params["database"]
    if key not in connections:
        reader = sqlite3.connect(**params)
        for pragma in (*PRAGMAS, "PRAGMA query_only = ON"):
            reader.execute(pragma)
        connections[key] = reader
    cursor = connections[key].cursor(factory=SQLiteCursorWrapper)
    try:
        cursor.execute(sql, values)
        return cursor.fetchall()
    finally:
        cursor.close()
