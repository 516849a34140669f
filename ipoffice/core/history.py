"""Reading the change history (django-simple-history) of any tracked model: who, when, what changed."""

from dataclasses import dataclass
from itertools import islice

from django.apps import apps
from django.db.models import Model

# The models whose history officers may browse, by a short public name.
TRACKED = {
    "region": "regions.Region",
    "population": "regions.Population",
    "regiongroup": "regions.RegionGroup",
    "entity": "entities.Entity",
    "entityalias": "entities.EntityAlias",
}


def register(name: str, label: str) -> None:
    """Let a module expose its tracked model's history (e.g. ``register("patent", "patents.Patent")``)."""
    TRACKED[name] = label


@dataclass
class Change:
    when: object
    who: str
    kind: str  # created / changed / deleted
    label: str
    object_id: object
    model: str
    fields: list[tuple[str, object, object]]  # (field, old, new)


_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def _model(name: str) -> type[Model]:
    if name not in TRACKED:
        raise LookupError(name)
    return apps.get_model(TRACKED[name])


def _as_change(name: str, record) -> Change:
    fields = []
    previous = record.prev_record if record.history_type == "~" else None
    if previous is not None:
        delta = record.diff_against(previous)
        fields = [(c.field, c.old, c.new) for c in delta.changes]
    user = record.history_user
    return Change(record.history_date, user.get_username() if user else "system",
                  _KINDS[record.history_type], str(record), record.id, name, fields)


def object_history(name: str, pk) -> list[Change]:
    """Every recorded version of one object, newest first."""
    model = _model(name)
    return [_as_change(name, r) for r in model.history.filter(id=pk).select_related("history_user")]


def recent_changes(limit: int = 100, model: str | None = None) -> list[Change]:
    """The latest changes across the tracked models (or one of them), newest first."""
    names = [model] if model else list(TRACKED)
    changes = []
    for name in names:
        records = _model(name).history.select_related("history_user").order_by("-history_date")[:limit]
        changes.extend(_as_change(name, r) for r in records)
    changes.sort(key=lambda c: c.when, reverse=True)
    return list(islice(changes, limit))
