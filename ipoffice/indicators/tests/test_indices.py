"""Indices configured in data/indices/*.yaml, computed from observations in the database.

The values below are test fixtures, not official figures; population is the shipped 2020 census figure.
"""

import json
from decimal import Decimal

import pytest

from ipoffice.core.errors import DataError
from ipoffice.indicators.indices import (
    build_table,
    definition,
    definitions,
    guangdong_cities,
    load_definition,
    run_index,
)
from ipoffice.indicators.models import Indicator, Observation
from ipoffice.regions.models import Region
from ipoffice.regions.services import population_of

pytestmark = pytest.mark.django_db

SHENZHEN, GUANGZHOU, ZHUHAI, SHANWEI = "440300", "440100", "440400", "441500"
STRENGTH = {  # 深圳 best on everything, 广州 second except patent density, 珠海 last except density
    SHENZHEN: {"valid_invention_patents": 150000, "invention_grants": 31000, "pct_applications": 20000,
               "valid_domestic_trademarks": 1900000, "madrid_registrations": 3000, "gi_trademarks": 6,
               "copyright_registrations": 250000, "pledge_financing": 80, "protection_satisfaction": 82},
    GUANGZHOU: {"valid_invention_patents": 100000, "invention_grants": 16000, "pct_applications": 1800,
                "valid_domestic_trademarks": 1300000, "madrid_registrations": 800, "gi_trademarks": 5,
                "copyright_registrations": 150000, "pledge_financing": 40, "protection_satisfaction": 80},
    ZHUHAI: {"valid_invention_patents": 20000, "invention_grants": 3500, "pct_applications": 700,
             "valid_domestic_trademarks": 200000, "madrid_registrations": 100, "gi_trademarks": 1,
             "copyright_registrations": 20000, "pledge_financing": 10, "protection_satisfaction": 78},
    SHANWEI: {"valid_invention_patents": 500},  # 2 of 10 indicators (with the density): not ranked
}


def observe(data: dict, year: int = 2020):
    for region_code, values in data.items():
        region = Region.objects.get(code=region_code)
        for code, value in values.items():
            Observation.objects.create(indicator=Indicator.objects.get(code=code), region=region, year=year,
                                       value=Decimal(str(value)), source="test fixture")


def density(region_code: str, stock: float) -> float:
    return stock / float(population_of(Region.objects.get(code=region_code), 2020))


@pytest.fixture
def strength():
    observe(STRENGTH)


def test_the_shipped_indices_load_and_name_known_indicators():
    found = definitions()
    assert {"copyright-index", "city-ip-strength"} <= set(found)
    copyright_spec = found["copyright-index"].spec()
    assert copyright_spec.codes == ["copyright_registrations", "software_copyright_registrations", "copyright_holdings",
                                    "copyright_per_10k", "software_output", "copyright_gdp_share",
                                    "copyright_export_share"]
    strength_spec = found["city-ip-strength"].spec()
    assert [g.code for g in strength_spec.groups] == ["creation", "utilisation", "protection"]
    assert set(STRENGTH[SHENZHEN]) | {"invention_patents_per_10k"} == set(strength_spec.codes)


def test_seed_quotes_are_in_the_seed(shared_data):
    seed_folder = shared_data.parent / "seed"
    if not seed_folder.is_dir():
        pytest.skip("seed text not present")
    text = "".join(p.read_text(encoding="utf-8") for p in seed_folder.glob("*.txt"))
    for index in definitions().values():
        assert index.seed and index.seed in text, index.code


def test_the_cities_are_the_21_of_guangdong():
    cities = guangdong_cities()
    assert len(cities) == 21 and {c.level for c in cities} == {2}
    assert all(c.code.startswith("44") for c in cities)


def test_build_table_reads_series_and_computes_densities(strength):
    table = build_table("city-ip-strength", 2020)
    assert len(table) == 21
    assert table[SHENZHEN]["valid_invention_patents"] == 150000
    assert table[SHENZHEN]["invention_patents_per_10k"] == pytest.approx(150000 / 1756.01)
    assert table[SHANWEI]["pledge_financing"] is None
    assert table["445100"] == dict.fromkeys(table["445100"])  # 潮州: nothing observed
    assert build_table("city-ip-strength", 2021)[SHENZHEN]["invention_grants"] is None


def test_max_lag_takes_the_latest_earlier_value():
    observe({ZHUHAI: {"pledge_financing": 9}}, year=2019)
    assert build_table("city-ip-strength", 2020)[ZHUHAI]["pledge_financing"] is None
    assert build_table("city-ip-strength", 2020, max_lag=1)[ZHUHAI]["pledge_financing"] == 9


def test_run_index_ranks_the_cities(strength):
    result = run_index("city-ip-strength", 2020, runs=500)
    json.dumps(result, allow_nan=False)
    ranked = [u for u in result["units"] if u["rank"] is not None]
    assert [(u["code"], u["rank"]) for u in ranked] == [(SHENZHEN, 1), (GUANGZHOU, 2), (ZHUHAI, 3)]
    assert result["ranked"] == 3 and len(result["units"]) == 21
    shanwei = next(u for u in result["units"] if u["code"] == SHANWEI)
    assert shanwei["rank"] is None and shanwei["coverage"] == pytest.approx(0.2)
    assert ranked[0]["name"] == "深圳市"

    # min-max over the three cities, equal weights in each pillar, pillars 0.5 / 0.25 / 0.25
    def share(code, region):
        values = {r: STRENGTH[r][code] for r in (SHENZHEN, GUANGZHOU, ZHUHAI)}
        return (values[region] - min(values.values())) / (max(values.values()) - min(values.values()))

    densities = {r: density(r, STRENGTH[r]["valid_invention_patents"]) for r in (SHENZHEN, GUANGZHOU, ZHUHAI)}
    creation = [c for c in STRENGTH[SHENZHEN] if c not in ("pledge_financing", "protection_satisfaction")]
    for region in (GUANGZHOU, ZHUHAI):
        shares = [share(c, region) for c in creation]
        shares.append((densities[region] - densities[GUANGZHOU]) / (densities[SHENZHEN] - densities[GUANGZHOU]))
        expected_creation = 100 * sum(shares) / 8
        expected = 0.5 * expected_creation + 0.25 * 100 * share("pledge_financing", region) + \
            0.25 * 100 * share("protection_satisfaction", region)
        unit = next(u for u in ranked if u["code"] == region)
        assert unit["groups"]["creation"] == pytest.approx(expected_creation)
        assert unit["score"] == pytest.approx(expected)
    assert ranked[0]["score"] == pytest.approx(100)
    assert ranked[0]["uncertainty"]["rank_low"] == ranked[0]["uncertainty"]["rank_high"] == 1
    for unit in ranked:
        band = unit["uncertainty"]
        assert band["rank_low"] <= unit["rank"] <= band["rank_high"]
    assert shanwei["uncertainty"]["ranked_share"] == 0

    groups = {g["code"]: g for g in result["groups"]}
    assert groups["creation"]["weight"] == pytest.approx(0.5)
    pledge = groups["utilisation"]["indicators"][0]
    assert pledge["name_zh"] == "知识产权质押融资年度金额" and pledge["weight"] == pytest.approx(0.25)
    assert result["uncertainty"]["runs"] == 500
    assert result["method"]["normalisation"] == "minmax"


def test_run_index_is_repeatable(strength):
    assert run_index("city-ip-strength", 2020, runs=200, seed=3) == run_index("city-ip-strength", 2020, runs=200,
                                                                              seed=3)


def test_the_copyright_index_ranks_cities_with_partial_data():
    observe({
        SHENZHEN: {"copyright_registrations": 250000, "software_copyright_registrations": 120000,
                   "copyright_holdings": 900000},
        GUANGZHOU: {"copyright_registrations": 150000, "software_copyright_registrations": 90000,
                    "copyright_holdings": 800000},
        ZHUHAI: {"copyright_registrations": 15000, "software_copyright_registrations": 9000,
                 "copyright_holdings": 200000},
        SHANWEI: {"copyright_registrations": 100},  # 1 of 7: not ranked
    })
    result = run_index("copyright-index", 2020, runs=200)
    ranked = [(u["code"], u["rank"]) for u in result["units"] if u["rank"] is not None]
    # per 10,000 people: 深圳 512.5, 珠海 819.8, 广州 428.3 — 珠海 beats 广州 on density only
    assert ranked == [(SHENZHEN, 1), (GUANGZHOU, 2), (ZHUHAI, 3)]
    shenzhen = result["units"][0]
    assert shenzhen["coverage"] == pytest.approx(4 / 7)
    assert shenzhen["groups"]["industry"] is None  # no industry data: the index is the creation pillar
    assert shenzhen["score"] == pytest.approx(shenzhen["groups"]["creation"])
    assert any("software_output: no value" in w for w in result["warnings"])


def test_an_index_with_no_data_ranks_nobody():
    result = run_index("copyright-index", 2020, runs=50)
    assert result["ranked"] == 0 and result["uncertainty"] is None
    assert "no unit has enough data to be ranked" in result["warnings"]


def test_unknown_index():
    with pytest.raises(DataError, match="no index 'nope'"):
        definition("nope")


def write(tmp_path, text):
    path = tmp_path / "index.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_index_files_are_checked_field_by_field(tmp_path):
    path = write(tmp_path, """
code: bad
name_zh: 坏
name_en: Bad
normalisation: median
colour: red
groups:
  - code: g
    weight: -1
    indicators:
      - {code: invention_grants, direction: 2}
      - {code: invention_grants}
""")
    with pytest.raises(DataError) as error:
        load_definition(path)
    text = str(error.value)
    for part in ("'median' is not one of", "unknown field(s) colour", "group g, field 'weight'",
                 "indicator invention_grants, field 'direction'", "given twice"):
        assert part in text


def test_unknown_indicators_are_named(tmp_path):
    path = write(tmp_path, """
code: odd
name_zh: 怪
name_en: Odd
groups:
  - code: g
    indicators: [{code: invention_grants}, {code: no_such_indicator}]
""")
    index = load_definition(path)
    with pytest.raises(DataError, match="unknown indicator 'no_such_indicator'"):
        index.spec()


def test_direction_comes_from_the_indicator_unless_the_file_says(tmp_path):
    Indicator.objects.filter(code="invention_grants").update(direction=-1)
    path = write(tmp_path, """
code: d
name_zh: 方向
name_en: Direction
groups:
  - code: g
    indicators: [{code: invention_grants}, {code: pct_applications, direction: -1}, {code: gi_trademarks}]
""")
    directions = {i.code: i.direction for i in load_definition(path).spec().indicators}
    assert directions == {"invention_grants": -1, "pct_applications": -1, "gi_trademarks": 1}
