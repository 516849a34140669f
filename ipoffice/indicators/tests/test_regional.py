"""Regional view on a small hand-computed example: ranks, shares, per 10,000 people, PRD ratio, dispersion."""

import math
from decimal import Decimal

import pytest

from ipoffice.indicators.models import Indicator, Observation
from ipoffice.indicators.regional import city_rows, group_gap
from ipoffice.regions.models import Population, Region

pytestmark = pytest.mark.django_db

YEAR = 2031  # a year no shipped observation or population uses
# code: (name, group, value, population in 10,000 or None)
CITIES = {
    "440300": ("深圳市", "prd", 500, 1000),
    "440100": ("广州市", "prd", 300, 1500),
    "440500": ("汕头市", "east", 40, 500),
    "440800": ("湛江市", "west", 20, 700),
    "440200": ("韶关市", "north", 10, 300),
    "441400": ("梅州市", "north", 5, None),  # a value but no population
}


@pytest.fixture
def count():
    indicator = Indicator.objects.create(code="test_regional_count", name_zh="测试件数", name_en="Test count",
                                         unit="件", category="creation", measure="stock")
    assert not Population.objects.filter(year=YEAR).exists()
    for code, (_, _, value, population) in CITIES.items():
        region = Region.objects.get(code=code)
        Observation.objects.create(indicator=indicator, region=region, year=YEAR, value=value, source="test")
        if population:
            Population.objects.create(region=region, year=YEAR, population_10k=population, source="test")
    # Another year and a district must not count.
    Observation.objects.create(indicator=indicator, region=Region.objects.get(code="440100"), year=YEAR - 1,
                               value=9999, source="test")
    Observation.objects.create(indicator=indicator, region=Region.objects.get(code="440106"), year=YEAR,
                               value=9999, source="test")
    return indicator


@pytest.fixture
def density(count):
    return Indicator.objects.create(code="test_regional_density", name_zh="测试万人件数", name_en="Test density",
                                    unit="件/万人", category="creation", measure="density", per_10k_of=count)


def test_city_rows_rank_share_and_per_10k(count):
    rows = city_rows(count, YEAR)
    assert len(rows) == 21  # every city of Guangdong, those without data last
    known = [r for r in rows if r.value is not None]
    assert [(r.rank, r.code, r.name, r.group, r.value) for r in known] == [
        (1, "440300", "深圳市", "prd", 500), (2, "440100", "广州市", "prd", 300), (3, "440500", "汕头市", "east", 40),
        (4, "440800", "湛江市", "west", 20), (5, "440200", "韶关市", "north", 10), (6, "441400", "梅州市", "north", 5)]
    assert rows[:6] == known
    assert all(r.rank is None and r.share is None and r.per_10k is None for r in rows[6:])
    assert [r.code for r in rows[6:]] == sorted(r.code for r in rows[6:])
    total = 500 + 300 + 40 + 20 + 10 + 5
    assert {r.code: r.share for r in known} == pytest.approx(
        {code: value / total for code, (_, _, value, _) in CITIES.items()})
    assert sum(r.share for r in known) == pytest.approx(1)
    assert {r.code: r.per_10k for r in known} == pytest.approx(
        {"440300": 0.5, "440100": 0.2, "440500": 0.08, "440800": 20 / 700, "440200": 10 / 300, "441400": None})


def test_lower_is_better_reverses_the_ranks(count):
    count.direction = -1
    count.save()
    ranks = {r.code: r.rank for r in city_rows(count, YEAR) if r.rank}
    assert ranks == {"441400": 1, "440200": 2, "440800": 3, "440500": 4, "440100": 5, "440300": 6}


def test_group_gap_totals_per_10k_prd_ratio_and_cv(count):
    gap = group_gap(count, YEAR)
    groups = {g["code"]: g for g in gap["groups"]}
    assert list(groups) == ["prd", "east", "west", "north"]
    total = 875
    assert {code: (g["cities"], g["total"]) for code, g in groups.items()} == {
        "prd": (2, 800), "east": (1, 40), "west": (1, 20), "north": (2, 15)}
    assert {code: g["share"] for code, g in groups.items()} == pytest.approx(
        {"prd": 800 / total, "east": 40 / total, "west": 20 / total, "north": 15 / total})
    assert sum(g["share"] for g in groups.values()) == pytest.approx(1)
    # Per head over the cities with a population: 梅州 (no population) is left out of 粤北's 10 / 300.
    per_10k = {"prd": 800 / 2500, "east": 40 / 500, "west": 20 / 700, "north": 10 / 300}
    assert {code: g["per_10k"] for code, g in groups.items()} == pytest.approx(per_10k)
    assert gap["prd_ratio"] == pytest.approx({"east": 4.0, "west": 11.2, "north": 9.6})
    values = [0.5, 0.2, 0.08, 20 / 700, 10 / 300]  # per-capita values of the five cities with a population
    mean = sum(values) / len(values)
    cv = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) / mean
    assert gap["coefficient_of_variation"] == pytest.approx(cv)
    assert round(cv, 4) == 1.0509
    assert (gap["cities_with_data"], gap["indicator"], gap["year"]) == (5, "test_regional_count", YEAR)


def test_density_is_compared_by_means_not_sums(density):
    rows = {r.code: r for r in city_rows(density, YEAR)}
    assert rows["440300"].value == pytest.approx(0.5) and rows["440300"].rank == 1
    assert rows["441400"].value is None  # no population, no density
    assert all(r.share is None and r.per_10k is None for r in rows.values())
    gap = group_gap(density, YEAR)
    groups = {g["code"]: g for g in gap["groups"]}
    assert {code: g["mean"] for code, g in groups.items()} == pytest.approx(
        {"prd": 0.35, "east": 0.08, "west": 20 / 700, "north": 10 / 300})
    assert all("total" not in g for g in groups.values())
    assert gap["prd_ratio"] == pytest.approx({"east": 0.35 / 0.08, "west": 0.35 * 35, "north": 0.35 * 30})
    values = [0.5, 0.2, 0.08, 20 / 700, 10 / 300]
    mean = sum(values) / len(values)
    assert gap["coefficient_of_variation"] == pytest.approx(
        math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) / mean)


def test_a_year_without_data(count):
    gap = group_gap(count, YEAR + 5)
    assert gap["cities_with_data"] == 0 and gap["coefficient_of_variation"] is None and gap["prd_ratio"] == {}
    assert all(g["cities"] == 0 and g["total"] == 0 and g["per_10k"] is None for g in gap["groups"])
    assert all(r.rank is None for r in city_rows(count, YEAR + 5))


def test_one_city_gives_no_dispersion(count):
    Population.objects.filter(year=YEAR).exclude(region__code="440300").delete()
    gap = group_gap(count, YEAR)
    assert gap["cities_with_data"] == 1 and gap["coefficient_of_variation"] is None
    prd = next(g for g in gap["groups"] if g["code"] == "prd")
    assert prd["per_10k"] == pytest.approx(Decimal(500) / Decimal(1000))
    assert gap["prd_ratio"] == {}
