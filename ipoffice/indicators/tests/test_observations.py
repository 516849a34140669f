"""Importing observations (CSV, XLSX, the CNIPA yearbook), all or nothing, with revisions; derived series."""

from decimal import Decimal

import pytest
from openpyxl import Workbook

from ipoffice.core.errors import DataError
from ipoffice.indicators.models import Indicator, Observation
from ipoffice.indicators.observations import Point, import_observations, indicator_by_name, series, yearly_growth
from ipoffice.regions.models import Population, Region

pytestmark = pytest.mark.django_db

HEADER = "indicator,region,year,value,unit,source\n"
# Years before the plan that no shipped data uses, so that every count here is the test's own.
GOOD = (HEADER
        + "valid_invention_patents,440000,2011,60000,件,test\n"
        + "有效发明专利量,4401,2011,10000,件,test\n"
        + "valid_invention_patents,广州,2012,11000,,test\n"
        + "有效发明专利量,广州市,2013,\"12,100\",件,test\n")
YEARBOOK = "CNIPA 2023知识产权统计年报"


def write(tmp_path, text: str, name: str = "obs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def current(code: str, region: str, year: int) -> Observation | None:
    return Observation.objects.filter(indicator__code=code, region__code=region, year=year, is_current=True).first()


@pytest.fixture
def test_years_are_free():
    assert not Observation.objects.filter(year__in=[2011, 2012, 2013]).exists()


@pytest.mark.parametrize("text, code", [
    ("valid_invention_patents", "valid_invention_patents"),
    ("有效发明专利量", "valid_invention_patents"),
    ("有效发明专利拥有量", "valid_invention_patents"),  # another name
    ("萬人發明專利擁有量", "invention_patents_per_10k"),  # traditional characters
    ("PCT申请量", "pct_applications"),  # the table's name, with capitals
    ("ＰＣＴ国际专利申请量", "pct_applications"),  # full width
    ("pct_applications_received", "pct_applications"),  # the CNIPA yearbook column
    ("年均林业植物新品种申请量", "forestry_variety_applications"),
    ("建设知识产权运营交易服务机构", "trading_institutions"),
    (" 知识产权质押融资年度金额 ", "pledge_financing"),
])
def test_indicator_by_code_name_or_other_name(text, code):
    assert indicator_by_name(text).code == code


@pytest.mark.parametrize("text", ["", "year", "有效发明专利", "专利"])
def test_no_indicator_for_other_text(text):
    assert indicator_by_name(text) is None


def test_long_csv_by_code_or_name_and_any_form_of_region(tmp_path, test_years_are_free):
    before = Observation.objects.count()
    result = import_observations(write(tmp_path, GOOD))
    assert (result.created, result.revised, result.unchanged, result.skipped) == (4, 0, 0, [])
    assert Observation.objects.count() == before + 4
    assert current("valid_invention_patents", "440000", 2011).value == 60000
    assert [current("valid_invention_patents", "440100", y).value for y in (2011, 2012, 2013)] == [10000, 11000, 12100]
    row = current("valid_invention_patents", "440100", 2013)
    assert (row.revision, row.month, row.source, row.note) == (1, 0, "test", "")


def test_xlsx_long_format(tmp_path, test_years_are_free):
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "region", "year", "value", "unit", "source", "note"])
    sheet.append(["PCT申请量", 440000, 2011, 9000, "件", "xlsx test", "from a workbook"])
    sheet.append(["pledge_financing", "广州", 2012, 12.5, "亿元", "xlsx test", None])
    sheet.append([None] * 7)  # an empty row is no record
    sheet.append(["有效发明专利量", "4401", 2013, "12,100", None, "xlsx test", None])
    path = tmp_path / "obs.xlsx"
    book.save(path)
    result = import_observations(path)
    assert (result.created, result.unchanged) == (3, 0)
    assert current("pct_applications", "440000", 2011).value == 9000
    assert current("pct_applications", "440000", 2011).note == "from a workbook"
    assert current("pledge_financing", "440100", 2012).value == Decimal("12.5")
    assert current("valid_invention_patents", "440100", 2013).value == 12100
    assert import_observations(path).unchanged == 3


def test_source_from_the_caller_when_the_file_has_none(tmp_path, test_years_are_free):
    path = write(tmp_path, "indicator,region,year,value\nvalid_invention_patents,440000,2011,60000\n")
    with pytest.raises(DataError) as caught:
        import_observations(path)
    assert [(p.record, p.field) for p in caught.value.problems] == [(2, "source")]
    import_observations(path, source="统计年报 2011")
    assert current("valid_invention_patents", "440000", 2011).source == "统计年报 2011"


# ---- the real CNIPA yearbook table (wide: region_zh, region_en, year, pct_applications_received, source) ---------


@pytest.fixture
def yearbook(shared_data):
    return shared_data / "stats" / "cnipa_2023yearbook_t6-4_pct_applications_by_region.csv"


@pytest.fixture
def without_yearbook_rows():
    """The session's set-up imported the yearbook; start from none of its rows (back after the test)."""
    Observation.objects.filter(source__startswith=YEARBOOK).delete()


def test_yearbook_totals_are_rejected_with_record_and_field(yearbook, without_yearbook_rows):
    with pytest.raises(DataError) as caught:
        import_observations(yearbook)
    error = caught.value
    assert error.source == str(yearbook)
    problems = [(p.record, p.field, p.reason) for p in error.problems]
    labels = ["合计", "国内小计", "国外小计"] * 3
    assert problems == [(record, "region_zh", f"unknown region '{label}'")
                        for record, label in zip(range(104, 113), labels, strict=True)]
    assert "record 104, field 'region_zh': unknown region '合计'" in str(error)
    assert not Observation.objects.filter(source__startswith=YEARBOOK).exists()


def test_yearbook_with_skip_unknown_regions(yearbook, without_yearbook_rows):
    rows = yearbook.read_text(encoding="utf-8").splitlines()[1:]
    result = import_observations(yearbook, skip_unknown_regions=True)
    assert result.created == len(rows) - 9 == 102
    assert result.skipped == [f"record {n}: {label}" for n, label in
                              zip(range(104, 113), ["合计", "国内小计", "国外小计"] * 3, strict=True)]
    assert "skipped 9 rows" in str(result)
    pct = Indicator.objects.get(code="pct_applications")
    assert {y: p.value for y, p in series(pct, Region.objects.get(code="440000")).items() if y in (2018, 2022, 2023)} \
        == {2018: 25256, 2022: 24290, 2023: 23676}
    assert current("pct_applications", "110000", 2018).value == 6527
    again = import_observations(yearbook, skip_unknown_regions=True)
    assert (again.created, again.revised, again.unchanged) == (0, 0, 102)


# ---- malformed files: named file, record and field, nothing written --------------------------------------------

GOOD_ROW = "valid_invention_patents,440000,2011,60000,件,test\n"
BAD = {
    "unknown indicator": ("no_such_indicator,440000,2012,1,件,test\n", "indicator", "unknown indicator"),
    "unknown region": ("valid_invention_patents,火星市,2012,1,件,test\n", "region", "unknown region '火星市'"),
    "unknown region code": ("valid_invention_patents,449999,2012,1,件,test\n", "region", "unknown region code"),
    "bad number": ("valid_invention_patents,440000,2012,1.2.3,件,test\n", "value", "'1.2.3' is not a number"),
    "not a finite number": ("valid_invention_patents,440000,2012,NaN,件,test\n", "value", "is not a number"),
    "empty value": ("valid_invention_patents,440000,2012,,件,test\n", "value", "is not a number"),
    "bad year": ("valid_invention_patents,440000,20l2,1,件,test\n", "year", "is not a year"),
    "year out of range": ("valid_invention_patents,440000,1900,1,件,test\n", "year", "is not a year"),
    "unit mismatch": ("valid_invention_patents,440000,2012,6,万件,test\n", "unit", "unit '万件'"),
    "duplicate with another value": ("有效发明专利量,广东省,2011,60001,件,test\n", "value", "given twice"),
    "derived indicator": ("invention_patents_per_10k,440000,2012,12.95,件/万人,test\n", "indicator",
                          "computed from valid_invention_patents"),
    "no source": ("valid_invention_patents,440000,2012,1,件,\n", "source", "no source"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_row_names_file_record_and_field_and_nothing_is_written(tmp_path, case, test_years_are_free):
    row, field, reason = BAD[case]
    path = write(tmp_path, HEADER + GOOD_ROW + row)
    before = (Observation.objects.count(), Observation.history.count())
    with pytest.raises(DataError) as caught:
        import_observations(path)
    error = caught.value
    assert error.source == str(path)
    assert [(p.record, p.field) for p in error.problems] == [(3, field)]
    assert reason in error.problems[0].reason
    assert str(error).startswith(f"{path}: record 3, field '{field}'")
    assert (Observation.objects.count(), Observation.history.count()) == before
    assert current("valid_invention_patents", "440000", 2011) is None


def test_every_problem_is_listed_at_once(tmp_path):
    path = write(tmp_path, HEADER + "".join(row for row, _, _ in BAD.values()) + GOOD_ROW)
    with pytest.raises(DataError) as caught:
        import_observations(path)
    # Here the duplicate comes first, so the good row after it is the one reported.
    problems = [(p.record, p.field) for p in caught.value.problems]
    expected = [(n, field) for n, (case, (_, field, _)) in enumerate(BAD.items(), start=2)
                if case != "duplicate with another value"]
    assert problems == expected + [(len(BAD) + 2, "value")]
    assert f"{len(BAD)} problems, nothing imported" in str(caught.value)


def test_the_same_row_twice_with_the_same_value_is_one_observation(tmp_path, test_years_are_free):
    result = import_observations(write(tmp_path, HEADER + GOOD_ROW + GOOD_ROW.replace("440000", "广东")))
    assert (result.created, result.unchanged) == (1, 1)


@pytest.mark.parametrize("text, reason", [
    ("", "no rows"),
    ("indicator,region,year,value\n", "no rows"),
    ("indicator,place,year,value,source\nvalid_invention_patents,440000,2011,1,t\n", "no region column"),
    ("indicator,region,when,value,source\nvalid_invention_patents,440000,2011,1,t\n", "no 'year' column"),
    ("region,year,apples,source\n440000,2011,1,t\n", "no column named after an indicator"),
])
def test_a_file_without_the_needed_columns(tmp_path, text, reason):
    path = write(tmp_path, text)
    with pytest.raises(DataError, match=reason) as caught:
        import_observations(path)
    assert caught.value.source == str(path)


def test_unreadable_files_are_data_errors(tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "有效发明专利量,广州,2011,1,件,统计\n").encode("gbk"))
    with pytest.raises(DataError, match="not UTF-8") as caught:
        import_observations(gbk)
    assert caught.value.source == str(gbk)
    xlsx = tmp_path / "broken.xlsx"
    xlsx.write_bytes(b"indicator,region\n")
    with pytest.raises(DataError, match="not a readable XLSX") as caught:
        import_observations(xlsx)
    assert caught.value.source == str(xlsx)


def test_wide_xlsx_with_a_bad_cell(tmp_path, test_years_are_free):
    book = Workbook()
    book.active.append(["city", "year", "有效发明专利量", "pct_applications", "source"])
    book.active.append(["广州", 2011, 10000, 500, "t"])
    book.active.append(["深圳", 2011, 20000, "n/a", "t"])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    with pytest.raises(DataError) as caught:
        import_observations(path)
    assert [(p.record, p.field) for p in caught.value.problems] == [(3, "pct_applications")]
    assert not Observation.objects.filter(year=2011).exists()


# ---- re-import and revisions -----------------------------------------------------------------------------------


def test_reimport_is_idempotent(tmp_path, test_years_are_free):
    path = write(tmp_path, GOOD)
    import_observations(path)
    state = (Observation.objects.count(), Observation.history.count())
    result = import_observations(path)
    assert (result.created, result.revised, result.unchanged) == (0, 0, 4)
    assert (Observation.objects.count(), Observation.history.count()) == state


def test_a_changed_value_becomes_revision_2_and_current(tmp_path, test_years_are_free):
    import_observations(write(tmp_path, GOOD))
    first = current("valid_invention_patents", "440100", 2012)
    changed = GOOD.replace("广州,2012,11000,,test", "广州,2012,11500,,revised bulletin")
    result = import_observations(write(tmp_path, changed))
    assert (result.created, result.revised, result.unchanged) == (0, 1, 3)
    rows = Observation.objects.filter(indicator__code="valid_invention_patents", region__code="440100", year=2012)
    assert [(o.revision, o.value, o.is_current, o.source) for o in rows.order_by("revision")] == [
        (1, 11000, False, "test"), (2, 11500, True, "revised bulletin")]
    assert current("valid_invention_patents", "440100", 2012).revision == 2
    indicator, region = first.indicator, first.region
    assert series(indicator, region)[2012].value == 11500
    # History: revision 1 created, then marked not current; revision 2 created.
    history = Observation.history.filter(indicator=indicator, region=region, year=2012).order_by("history_id")
    assert [(h.history_type, h.revision, h.is_current) for h in history] == [
        ("+", 1, True), ("~", 1, False), ("+", 2, True)]
    # The old value again is a third revision, not a return to the first.
    result = import_observations(write(tmp_path, GOOD))
    assert result.revised == 1
    assert (current("valid_invention_patents", "440100", 2012).revision, rows.count()) == (3, 3)


# ---- derived series --------------------------------------------------------------------------------------------


def test_density_is_stock_over_population_and_absent_without_population(test_years_are_free):
    stock = Indicator.objects.get(code="valid_invention_patents")
    density = Indicator.objects.get(code="invention_patents_per_10k")
    guangzhou = Region.objects.get(code="440100")
    for year, value in ((2011, 30000), (2012, 36000)):
        Observation.objects.create(indicator=stock, region=guangzhou, year=year, value=value, source="t")
    Population.objects.create(region=guangzhou, year=2011, population_10k=Decimal("1275.14"), source="t")
    points = series(density, guangzhou)
    assert 2012 not in points  # no population for 2012
    point = points[2011]
    assert point.value == pytest.approx(30000 / 1275.14)
    assert (point.derived, point.numerator, point.population_10k) == (True, 30000, pytest.approx(1275.14))


def test_the_provinces_2015_density_from_the_shipped_figures():
    density = Indicator.objects.get(code="invention_patents_per_10k")
    province = Region.objects.get(code="440000")
    population = Population.objects.get(region=province, year=2015).population_10k
    assert series(density, province)[2015].value == pytest.approx(138878 / float(population))
    assert Observation.objects.filter(indicator=density).count() == 0  # never stored, always computed


def test_yearly_growth_needs_the_previous_year_and_a_positive_value():
    points = {year: Point(year, value, "t") for year, value in
              {2011: 100, 2012: 110, 2014: 121, 2015: 0, 2016: 50, 2017: 40}.items()}
    assert yearly_growth(points) == pytest.approx({2012: 0.1, 2015: -1.0, 2017: -0.2})
    assert yearly_growth({}) == {}
