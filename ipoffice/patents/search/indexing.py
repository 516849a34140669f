"""Building the whole index: every patent, in batches, in one transaction per batch."""

from collections.abc import Callable

from django.db import transaction

from ..models import Patent
from .backends import get_backend


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
