"""Population import: the real Greater Bay Area table, idempotence, and malformed files that write nothing."""

import csv
from decimal import Decimal

import pytest

from ipoffice.core.errors import DataError
from ipoffice.regions.models import Population, Region
from ipoffice.regions.services import import_population, population_of

pytestmark = pytest.mark.django_db

GBA_CITIES = {"广州": "440100", "深圳": "440300", "珠海": "440400", "佛山": "440600", "惠州": "441300",
              "东莞": "441900", "中山": "442000", "江门": "440700", "肇庆": "441200"}
OUTSIDE = {"香港", "澳门"}
HEADER = "region,year,population_10k,source\n"


@pytest.fixture
def gba(shared_data):
    return shared_data / "stats" / "gba_city_population_2016_2020_10k.csv"


@pytest.fixture
def empty_population():
    """Start from no population rows at all (the session's reference rows are back after the test)."""
    Population.objects.all().delete()


def _rows(path):
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _write(tmp_path, text, name="population.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _snapshot():
    """Everything an import could write: the rows and their history."""
    return (sorted(Population.objects.values_list("region__code", "year", "population_10k", "source")),
            Population.history.count())


# --- the real Greater Bay Area file ------------------------------------------------------------------------


def test_gba_file_with_skip_outside(gba, empty_population):
    rows = _rows(gba)
    assert len(rows) == 55 and {r["city"] for r in rows} == set(GBA_CITIES) | OUTSIDE
    counts = import_population(gba, skip_outside=True)
    assert counts == {"created": 45, "updated": 0, "unchanged": 0}  # 9 cities x 5 years; HK and Macao skipped
    assert Population.objects.count() == 45
    for row in rows:
        if row["city"] in OUTSIDE:
            continue
        record = Population.objects.get(region__code=GBA_CITIES[row["city"]], year=int(row["year"]))
        assert record.population_10k == Decimal(row["population_10k"])
        assert record.source == row["source"][:300] and record.note == row["note"][:300]
    assert not Population.objects.filter(region__code__in=["810000", "820000"]).exists()
    assert population_of(Region.objects.get(code="440300"), 2016) == Decimal("1190.84")
    assert population_of(Region.objects.get(code="440100"), 2020) == Decimal("1867.66")
    assert population_of(Region.objects.get(code="440100"), 2015) is None


def test_gba_file_import_is_idempotent(gba, empty_population):
    import_population(gba, skip_outside=True)
    before = _snapshot()
    assert import_population(gba, skip_outside=True) == {"created": 0, "updated": 0, "unchanged": 45}
    assert _snapshot() == before  # no row and no history version written


def test_gba_reference_rows_loaded_by_setup(gba):
    """``setup`` imported the file already: importing it again finds every figure unchanged."""
    assert import_population(gba, skip_outside=True) == {"created": 0, "updated": 0, "unchanged": 45}


def test_gba_file_without_skip_outside_names_every_outside_row(gba, empty_population):
    rows = _rows(gba)
    outside_lines = [number for number, row in enumerate(rows, start=2) if row["city"] in OUTSIDE]
    assert len(outside_lines) == 10
    with pytest.raises(DataError) as caught:
        import_population(gba)
    error = caught.value
    assert error.source == str(gba)
    assert [p.record for p in error.problems] == outside_lines
    assert {p.field for p in error.problems} == {"city"}
    message = str(error)
    assert message.startswith(f"{gba}: 10 problems, nothing imported")
    assert f"record {outside_lines[0]}, field 'city'" in message
    assert "香港特别行政区" in message and "澳门特别行政区" in message
    assert Population.objects.count() == 0  # the 45 good rows were not written either


# --- updates ----------------------------------------------------------------------------------------------------


def test_changed_value_updates_and_keeps_history(tmp_path, empty_population):
    first = _write(tmp_path, HEADER + "广州市,2020,1867.66,七普\n深圳市,2020,1756.01,七普\n", "a.csv")
    assert import_population(first) == {"created": 2, "updated": 0, "unchanged": 0}
    second = _write(tmp_path, HEADER + "广州市,2020,1874.03,年鉴修订\n深圳市,2020,1756.01,另一来源\n", "b.csv")
    assert import_population(second) == {"created": 0, "updated": 1, "unchanged": 1}
    guangzhou = Population.objects.get(region__code="440100", year=2020)
    assert (guangzhou.population_10k, guangzhou.source) == (Decimal("1874.03"), "年鉴修订")
    assert [h.population_10k for h in guangzhou.history.all()] == [Decimal("1874.03"), Decimal("1867.66")]
    # The same figure from a second source keeps the first source.
    assert Population.objects.get(region__code="440300", year=2020).source == "七普"


def test_more_decimals_than_stored_are_rounded_and_reimport_changes_nothing(tmp_path, empty_population):
    """七普 counts given to the person (1867.6605 × 10,000) are kept to two places, as the column stores them."""
    path = _write(tmp_path, HEADER + "广州市,2020,1867.6605,七普\n深圳市,2020,1756.0061,七普\n")
    assert import_population(path) == {"created": 2, "updated": 0, "unchanged": 0}
    assert population_of(Region.objects.get(code="440100"), 2020) == Decimal("1867.66")
    assert population_of(Region.objects.get(code="440300"), 2020) == Decimal("1756.01")
    before = _snapshot()
    assert import_population(path) == {"created": 0, "updated": 0, "unchanged": 2}
    assert _snapshot() == before


def test_accepted_variants(tmp_path, empty_population):
    path = tmp_path / "variants.csv"
    path.write_text("\ufeffcode,year,population_10k,note\n"  # BOM, 'code' column, no source column
                    "4401,2019,\"1,530.59\",年末常住人口\n"  # thousands separator
                    "440106,2019, 178.45 ,\n"
                    "广州市,2019,1530.59,重复但相同\n",  # the same figure twice is not a conflict
                    encoding="utf-8")
    with pytest.raises(DataError, match="record 2, field 'source': no source given"):
        import_population(path)
    counts = import_population(path, source="广州统计年鉴 2020")
    assert counts == {"created": 2, "updated": 0, "unchanged": 1}
    assert population_of(Region.objects.get(code="440100"), 2019) == Decimal("1530.59")
    assert population_of(Region.objects.get(code="440106"), 2019) == Decimal("178.45")
    assert Population.objects.get(region__code="440106").source == "广州统计年鉴 2020"


# --- malformed files: the file, the record and the field are named, and nothing is written --------------------

GOOD = "广州市,2020,1867.66,七普\n"


@pytest.mark.parametrize("body, record, field, words", [
    (GOOD + "深圳市,2020,17x6.01,七普\n", 3, "population_10k", "'17x6.01' is not a positive number"),
    (GOOD + "深圳市,2020,,七普\n", 3, "population_10k", "'' is not a positive number"),
    (GOOD + "深圳市,2020,-5,七普\n", 3, "population_10k", "'-5' is not a positive number"),
    (GOOD + "深圳市,2020,0,七普\n", 3, "population_10k", "'0' is not a positive number"),
    (GOOD + "深圳市,2020,NaN,七普\n", 3, "population_10k", "'NaN' is not a positive number"),
    (GOOD + "深圳市,2020,Infinity,七普\n", 3, "population_10k", "'Infinity' is not a positive number"),
    (GOOD + "深圳市,2020,0.004,七普\n", 3, "population_10k", "'0.004' is not a positive number"),
    (GOOD + "深圳市,2020,175601000000,七普\n", 3, "population_10k",
     "175601000000.00 is too large (at most 8 digits before the decimal point)"),  # persons, not 10,000s
    (GOOD + "深圳市,二〇二〇,1756.01,七普\n", 3, "year", "'二〇二〇' is not a year"),
    (GOOD + "深圳市,2020.5,1756.01,七普\n", 3, "year", "'2020.5' is not a year"),
    (GOOD + "深圳市,1800,1756.01,七普\n", 3, "year", "'1800' is not a year"),
    (GOOD + "449999,2020,100.00,七普\n", 3, "region", "unknown region code 449999"),
    (GOOD + "火星市,2020,100.00,七普\n", 3, "region", "unknown region '火星市'"),
    (GOOD + ",2020,100.00,七普\n", 3, "region", "unknown region ''"),
    (GOOD + "深圳市,2020,1756.01,\n", 3, "source", "no source given"),
    (GOOD + "广州,2020,1900.00,另一来源\n", 3, "population_10k",
     "广州市 2020 given twice with different values (1867.66 and 1900.00)"),
])
def test_malformed_row(tmp_path, body, record, field, words):
    path = _write(tmp_path, HEADER + body)
    before = _snapshot()
    with pytest.raises(DataError) as caught:
        import_population(path)
    error = caught.value
    assert [(p.record, p.field) for p in error.problems] == [(record, field)]
    message = str(error)
    assert message == f"{path}: record {record}, field '{field}': {error.problems[0].reason}"
    assert words in message
    assert _snapshot() == before  # the good row on line 2 was not written


@pytest.mark.parametrize("header, missing", [
    ("region,year,source\n", "population_10k"),
    ("region,population_10k,source\n", "year"),
    ("name,year,population_10k,source\n", "region"),
    ("place,when,how_many\n", "year, population_10k, region"),
])
def test_missing_column(tmp_path, header, missing):
    path = _write(tmp_path, header + "广州市,2020,1867.66\n")
    before = _snapshot()
    with pytest.raises(DataError) as caught:
        import_population(path)
    assert str(caught.value) == f"{path}: missing column(s): {missing}"
    assert _snapshot() == before


def test_every_problem_is_listed_at_once(tmp_path):
    body = "深圳市,20x0,1756.01,七普\n珠海市,2020,abc,七普\n澳门,2020,68.31,澳门统计局\n"
    path = _write(tmp_path, HEADER + GOOD + body)
    before = _snapshot()
    with pytest.raises(DataError) as caught:
        import_population(path)
    assert [(p.record, p.field) for p in caught.value.problems] == [(3, "year"), (4, "population_10k"),
                                                                    (5, "region")]
    assert str(caught.value).startswith(f"{path}: 3 problems, nothing imported:\n  record 3, field 'year'")
    assert _snapshot() == before


def test_skip_outside_drops_only_the_outside_rows(tmp_path, empty_population):
    path = _write(tmp_path, HEADER + GOOD + "香港,2020,747.42,香港政府统计处\n澳門,2020,68.31,澳门统计暨普查局\n")
    with pytest.raises(DataError) as caught:
        import_population(path)
    assert [(p.record, p.field) for p in caught.value.problems] == [(3, "region"), (4, "region")]
    assert "outside the mainland division tree" in str(caught.value)
    assert Population.objects.count() == 0
    assert import_population(path, skip_outside=True) == {"created": 1, "updated": 0, "unchanged": 0}
    assert list(Population.objects.values_list("region__code", flat=True)) == ["440100"]
