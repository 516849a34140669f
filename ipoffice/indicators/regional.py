"""Regional view: each city's value, rank and share, and the gap between the Pearl River Delta and the rest."""

import statistics
from dataclasses import dataclass

from ipoffice.regions.models import Region, RegionGroup
from ipoffice.regions.services import HOME_PROVINCE, population_of

from .models import Indicator, Measure
from .observations import series

INTENSIVE = {Measure.DENSITY, Measure.SHARE, Measure.SCORE}  # not summed across regions


@dataclass
class CityRow:
    code: str
    name: str
    group: str | None
    value: float | None
    rank: int | None = None
    share: float | None = None
    per_10k: float | None = None


def cities(province_code: str = HOME_PROVINCE) -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.CITY, code__startswith=province_code[:2]))


def city_rows(indicator: Indicator, year: int, province_code: str = HOME_PROVINCE) -> list[CityRow]:
    """Every city with its value in ``year``, ranked (1 = best by the indicator's direction)."""
    group_of = {m.code: g.code for g in RegionGroup.objects.prefetch_related("members") for m in g.members.all()}
    rows = []
    for city in cities(province_code):
        point = series(indicator, city).get(year)
        row = CityRow(city.code, city.name, group_of.get(city.code), point.value if point else None)
        population = population_of(city, year)
        if point and population and indicator.measure not in INTENSIVE:
            row.per_10k = point.value / float(population)
        rows.append(row)
    known = sorted((r for r in rows if r.value is not None), key=lambda r: -indicator.direction * r.value)
    for rank, row in enumerate(known, start=1):
        row.rank = rank
    if indicator.measure not in INTENSIVE:
        total = sum(r.value for r in known)
        for row in known:
            row.share = row.value / total if total else None
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.code))


def group_gap(indicator: Indicator, year: int, province_code: str = HOME_PROVINCE) -> dict:
    """The Pearl River Delta against the east, west and north: totals, shares, per-capita ratio, and the
    coefficient of variation across cities (of per-capita values for counts, of the values otherwise)."""
    rows = city_rows(indicator, year, province_code)
    groups = {}
    for group in RegionGroup.objects.order_by("order"):
        members = [r for r in rows if r.group == group.code and r.value is not None]
        entry = {"code": group.code, "name": group.name, "name_en": group.name_en, "cities": len(members)}
        if indicator.measure in INTENSIVE:
            entry["mean"] = statistics.fmean(r.value for r in members) if members else None
        else:
            entry["total"] = sum(r.value for r in members)
            entry["share"] = sum(r.share or 0 for r in members)
            # Per head over the cities whose population is known: a city without it must not add to the total.
            paired = [r for r in members if r.per_10k is not None]
            population = sum(float(population_of(Region.objects.get(code=r.code), year)) for r in paired)
            entry["per_10k"] = sum(r.value for r in paired) / population if population else None
        groups[group.code] = entry
    comparable = [r.per_10k if indicator.measure not in INTENSIVE else r.value for r in rows]
    comparable = [v for v in comparable if v is not None]
    cv = statistics.pstdev(comparable) / statistics.fmean(comparable) if len(comparable) > 1 and \
        statistics.fmean(comparable) else None
    key = "mean" if indicator.measure in INTENSIVE else "per_10k"
    prd = groups.get("prd", {}).get(key)
    ratios = {code: prd / g[key] for code, g in groups.items()
              if code != "prd" and prd is not None and g.get(key)}
    return {"indicator": indicator.code, "year": year, "groups": list(groups.values()),
            "prd_ratio": ratios, "coefficient_of_variation": cv, "cities_with_data": len(comparable)}
