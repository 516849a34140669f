"""The analyses of a navigation project: each a table plus a chart, each figure drilling down to its patents.

An analysis is a function ``(dataset, rules) -> Analysis`` registered with :func:`analysis`; modules of this
package register theirs on import. :func:`run_all` runs them in registry order (the report's order).
"""

import gc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..counting import Rules
from ..dataset import Dataset


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text | int | float | percent | link (a patent or entity URL in the row's "<key>_url")


@dataclass
class Analysis:
    key: str
    title: str
    method: str  # how the figures are counted, in one or two sentences (shown under the table)
    columns: list[Column]
    rows: list[dict]  # values by column key; a row's "drill" (if any) is its key in ``drill``
    chart: dict | None = None  # Vega-Lite spec, rendered by indicators.charts.to_svg
    drill: dict[str, list[int]] = field(default_factory=dict)  # drill key → ids of the patents behind a figure
    notes: list[str] = field(default_factory=list)  # e.g. years incomplete because of the publication lag
    extra: dict = field(default_factory=dict)  # analysis-specific data (e.g. network nodes and edges)


Analyser = Callable[[Dataset, Rules], Analysis]
_REGISTRY: dict[str, Analyser] = {}


def analysis(key: str) -> Callable[[Analyser], Analyser]:
    """Register an analysis under its key (unique; the order of registration is the report's order)."""

    def register(function: Analyser) -> Analyser:
        if key in _REGISTRY and _REGISTRY[key] is not function:
            raise ValueError(f"analysis {key!r} is registered twice")
        _REGISTRY[key] = function
        return function

    return register


def keys() -> list[str]:
    _load()
    return list(_REGISTRY)


def run(key: str, dataset: Dataset, rules: Rules) -> Analysis:
    _load()
    if key not in _REGISTRY:
        raise KeyError(f"no analysis {key!r}; there are: {', '.join(_REGISTRY)}")
    with _collector_paused():
        return _REGISTRY[key](dataset, rules)


def run_all(dataset: Dataset, rules: Rules) -> list[Analysis]:
    _load()
    with _collector_paused():
        return [function(dataset, rules) for function in _REGISTRY.values()]


@contextmanager
def _collector_paused():
    """The analyses make millions of small acyclic objects over a dataset of millions more; Python's cyclic garbage
    collector would walk them all again and again (a third of the time over 100,000 patents). Reference counting
    still frees everything; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_MODULES = ("trends", "life_cycle", "composition", "geography", "players", "classification", "effects", "networks",
            "key_patents", "concentration", "legal_status", "positioning")


def _load() -> None:
    """Import the analysis modules (each registers its analyses) and put the registry in the report's order: by
    module in _MODULES, then by registration, whichever module was imported first."""
    from importlib import import_module

    for name in _MODULES:
        import_module(f"{__name__}.{name}")
    rank = {f"{__name__}.{name}": i for i, name in enumerate(_MODULES)}
    ordered = sorted(_REGISTRY.items(), key=lambda item: rank.get(item[1].__module__, len(rank)))
    _REGISTRY.clear()
    _REGISTRY.update(ordered)
