"""Keeping the index in step: the whole index rebuilt in batches, and a patent re-indexed whenever it or one of
its parties changes through the ORM (admin, edit pages, shell, scripts).

The importer writes in bulk and indexes each batch once; it runs inside :func:`index_suspended`, so the rows it
saves one by one (a patent updated by a later publication) are not indexed a second time. IPC/CPC, regions,
types, status and dates are searched in the normal tables, so a changed classification needs no index write.
Deleted patents leave the index through database triggers.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ipoffice.core.importing import fewer_collections

from ..models import Party, Patent
from .backends import get_backend

_suspended: ContextVar[bool] = ContextVar("patent_index_suspended", default=False)


@fewer_collections()
def reindex_all(*, batch: int = 2000, progress: Callable[[int], None] | None = None) -> int:
    """Empty the index and index every patent again; returns the number indexed."""
    backend = get_backend()
    with transaction.atomic():
        backend.clear()
    done, last = 0, 0
    while True:
        ids = list(Patent.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            backend.index(ids)
        done += len(ids)
        last = ids[-1]
        if progress:
            progress(done)
    if hasattr(backend, "optimize"):
        backend.optimize()
    return done


@contextmanager
def index_suspended():
    """No index writes from the ORM hooks inside: for a writer that indexes what it wrote itself."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def _patent_saved(sender, instance: Patent, raw: bool = False, **kwargs) -> None:
    if not raw and not _suspended.get():
        get_backend().index([instance.pk])


def _party_changed(sender, instance: Party, raw: bool = False, **kwargs) -> None:
    if raw or _suspended.get():
        return
    if Patent.objects.filter(pk=instance.patent_id).exists():  # not when the patent itself is being deleted
        get_backend().index([instance.patent_id])


def connect() -> None:
    """Hook the index to the ORM (called once, from the app's ``ready``)."""
    post_save.connect(_patent_saved, sender=Patent, dispatch_uid="patents.index.patent_saved")
    post_save.connect(_party_changed, sender=Party, dispatch_uid="patents.index.party_saved")
    post_delete.connect(_party_changed, sender=Party, dispatch_uid="patents.index.party_deleted")
