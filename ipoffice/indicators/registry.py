"""Indicator values the registries can compute themselves, shown beside the official figures.

A registry module registers a function for an indicator code, e.g. the patents module for
``valid_invention_patents``: ``@register("valid_invention_patents")`` on ``def f(region, year) -> float | None``.
"""

from collections.abc import Callable

_COMPUTERS: dict[str, Callable] = {}


def register(indicator_code: str):
    def decorator(function: Callable) -> Callable:
        _COMPUTERS[indicator_code] = function
        return function

    return decorator


def registry_value(indicator_code: str, region, year: int) -> float | None:
    """The registry's own figure for the indicator, or None when no registry computes it."""
    function = _COMPUTERS.get(indicator_code)
    return function(region, year) if function else None


def computable() -> set[str]:
    return set(_COMPUTERS)
