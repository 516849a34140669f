"""Sections that modules contribute to the portal's entity and region pages (patents, trademarks, cases …).

A module calls ``register(section, page="entity")`` (or ``page="region"``) in its ``AppConfig.ready``; a section
is a callable taking the entity (or region) and returning ``None`` (nothing to show) or
``{"title": ..., "template": ..., **context}``.
"""

from collections.abc import Callable

_SECTIONS: dict[str, list[Callable]] = {"entity": [], "region": []}


def register(section: Callable, page: str = "entity") -> Callable:
    if section not in _SECTIONS[page]:
        _SECTIONS[page].append(section)
    return section


def sections_for(obj, page: str = "entity") -> list[dict]:
    return [s for s in (section(obj) for section in _SECTIONS[page]) if s]
