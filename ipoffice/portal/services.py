"""Figures shown on the portal's pages, computed from the registries."""

from django.db.models import Count, Q

from ipoffice.entities.models import Entity
from ipoffice.regions.models import Population, Region, RegionGroup
from ipoffice.regions.services import HOME_PROVINCE


def home_province() -> Region | None:
    return Region.objects.filter(code=HOME_PROVINCE).first()


def latest_population(region: Region) -> Population | None:
    return region.population.order_by("-year").first()


def key_figures() -> dict:
    """The home page's headline figures for the home province."""
    province = home_province()
    if province is None:
        return {}
    within = Q(region__code__startswith=province.code_prefix)
    entities = Entity.objects.filter(within)
    by_kind = dict(entities.values_list("kind").annotate(n=Count("id")))
    return {
        "province": province,
        "cities": province.children.filter(level=Region.Level.CITY).count(),
        "districts": Region.objects.filter(code__startswith=province.code_prefix,
                                           level=Region.Level.DISTRICT).count(),
        "population": latest_population(province),
        "entities": entities.count(),
        "by_kind": [(label, by_kind.get(value, 0)) for value, label in Entity.Kind.choices],
        "high_tech": entities.filter(is_high_tech=True).count(),
        "certified": entities.filter(is_gbt29490_certified=True).count(),
    }


def city_table(province: Region) -> list[dict]:
    """One row per city: group, districts, entities, latest population, entities per 10,000 people."""
    groups = {m.code: g for g in RegionGroup.objects.prefetch_related("members") for m in g.members.all()}
    counts = dict(Entity.objects.filter(region__code__startswith=province.code_prefix)
                  .values_list("region__code").annotate(n=Count("id")))
    rows = []
    for city in province.children.filter(level=Region.Level.CITY).prefetch_related("children", "population"):
        entities = sum(n for code, n in counts.items() if code.startswith(city.code_prefix))
        population = max(city.population.all(), key=lambda p: p.year, default=None)
        rows.append({
            "city": city, "group": groups.get(city.code), "districts": len(city.children.all()),
            "entities": entities, "population": population,
            "per_10k": round(entities / float(population.population_10k), 3) if population else None,
        })
    return rows


def district_table(city: Region) -> list[dict]:
    counts = dict(Entity.objects.filter(region__code__startswith=city.code_prefix)
                  .values_list("region__code").annotate(n=Count("id")))
    return [{"district": d, "entities": counts.get(d.code, 0)} for d in city.children.all()]
