"""SQLite connection settings for a registry of millions of rows: every new connection gets a larger page cache,
memory-mapped reads (the operating system's page cache is shared between connections, which Django opens per
request) and temporary tables in memory (the search keeps each query's hits in one)."""

from django.db.backends.signals import connection_created

PRAGMAS = (
    "PRAGMA cache_size = -65536",  # KiB: 64 MiB per connection (the default is 2 MiB)
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
