"""Test set-up shared by every module: the reference data is loaded once per test database."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

pytest_plugins = ["ipoffice.core.testing.browser"]

SHARED_DATA = Path(os.environ.get("IPOFFICE_SHARED_DATA", Path(__file__).resolve().parent.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Migrate, then load divisions, groups, population and roles, as ``ipoffice setup`` does."""
    with django_db_blocker.unblock():
        call_command("setup", stdout=open(os.devnull, "w"))


@pytest.fixture
def shared_data() -> Path:
    """The real public data files beside the project; tests using them skip when the folder is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} not present")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and other cached values never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
