"""Fixtures of the trademark tests: the real files, the 区分表 when it is there, the similarity engine."""

import importlib
import sys
from pathlib import Path

import pytest

from ipoffice.trademarks import classification, services

CLASSIFICATION_2026 = "classification/cn_nice_similar_groups_ncl13-2026.jsonl.gz"
ENGINE_NAMES = ("mark_keys", "compare", "goods_relation", "ClearanceIndex")


def real_engine_available() -> bool:
    try:
        module = importlib.import_module("ipoffice.trademarks.similarity")
    except ImportError:
        return False
    return all(hasattr(module, name) for name in ENGINE_NAMES)


@pytest.fixture(autouse=True)
def _fresh_caches():
    classification.clear_caches()
    services._index_cache.clear()
    services.keys_of.cache_clear()
    yield
    classification.clear_caches()
    services._index_cache.clear()


@pytest.fixture
def engine(monkeypatch):
    """The similarity engine: the real one when installed, else the test stand-in (tests/fake_similarity.py)."""
    if real_engine_available():
        return importlib.import_module("ipoffice.trademarks.similarity")
    from . import fake_similarity

    monkeypatch.setitem(sys.modules, "ipoffice.trademarks.similarity", fake_similarity)
    import ipoffice.trademarks as package

    monkeypatch.setattr(package, "similarity", fake_similarity, raising=False)
    return fake_similarity


@pytest.fixture
def trademark_data(shared_data) -> Path:
    return shared_data / "trademarks"


@pytest.fixture
def table_2026(shared_data) -> Path:
    path = shared_data / CLASSIFICATION_2026
    if not path.exists():
        pytest.skip(f"the 2026 区分表 {path} is not in the shared data folder")
    return path
