"""Sections of an entity's profile page that modules contribute (patents, trademarks, cases, ...).

A module calls ``register(section)`` in its ``AppConfig.ready``; a section is a callable taking the entity
and returning ``None`` (nothing to show) or ``{"title": ..., "template": ..., **context}``.
"""

from collections.abc import Callable

_SECTIONS: list[Callable] = []


def register(section: Callable) -> Callable:
    if section not in _SECTIONS:
        _SECTIONS.append(section)
    return section


def sections_for(entity) -> list[dict]:
    return [s for s in (section(entity) for section in _SECTIONS) if s]
