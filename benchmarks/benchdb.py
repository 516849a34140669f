"""The database a benchmark runs on, and Django set up on it.

SQLite (the default): one file per corpus and size under a folder. With ``DATABASE_URL=postgres://…``: one
PostgreSQL database per size, named after DATABASE_URL's database with the size appended, created when missing.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def open_database(corpus: str, size: int, directory: Path, *, fresh: bool = False) -> str:
    """Point Django at the benchmark database of ``corpus`` and ``size`` (emptied first when ``fresh``), set Django
    up and return the database URL."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        head, _, name = base.rpartition("/")
        url = f"{head}/{name or 'ipoffice_bench_' + corpus}_{size}"
        _postgres_database(url, fresh)
    else:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{corpus}-{size}.sqlite3"
        if fresh:
            path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipoffice.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def _postgres_database(url: str, fresh: bool) -> None:
    import psycopg

    head, _, name = url.rpartition("/")
    with psycopg.connect(f"{head}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def server_cpu_seconds() -> float | None:
    """CPU seconds used so far by the PostgreSQL server's processes on this machine (backends, autovacuum, WAL
    writer, checkpointer; ended ones through their parent's children times), or None on SQLite or when the
    server is elsewhere. A difference of two readings is the server's share of the work in between."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    ticks = total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
        except OSError:  # the process ended meanwhile
            continue
        if fields[0].endswith("(postgres"):
            ticks += sum(int(value) for value in fields[1].split()[11:15])  # utime stime cutime cstime
            total += 1
    return ticks / os.sysconf("SC_CLK_TCK") if total else None
