import pytest
from django.db import connection

from ipoffice.core.sqlite import import_cache


def _cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_an_import_writes_with_a_large_page_cache_and_the_connection_gets_its_own_back():
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite page cache")
    before = _cache_size()
    with pytest.raises(RuntimeError), import_cache():
        assert _cache_size() == -524288
        raise RuntimeError("an import that fails")
    assert _cache_size() == before == -65536
