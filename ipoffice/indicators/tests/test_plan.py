"""The plan file against the plan's own text, idempotent loading, a second plan, and malformed plan files."""

import copy
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
import yaml

from ipoffice.core.errors import DataError
from ipoffice.indicators.evaluation import evaluate_plan
from ipoffice.indicators.models import Indicator, Observation, Plan, Target
from ipoffice.indicators.observations import indicator_by_name
from ipoffice.indicators.plans import PLANS, load_plan

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_ddc7f69a639aa816.txt"
CATEGORIES = {"知识产权创造": "creation", "知识产权运用": "utilisation", "知识产权保护": "protection",
              "知识产权管理": "management", "知识产权服务": "services"}
RATE = "年均增长率"


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.exists():
        pytest.skip(f"seed text {SEED} not present")
    return SEED.read_text(encoding="utf-8")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def section(text: str, start: str, end: str) -> str:
    head = text.index(start)
    return text[head:text.index(end, head)]


@pytest.fixture
def plan() -> Plan:
    return Plan.objects.get(code="gd-ip-13th")


@pytest.fixture
def shipped_file():
    with resources.as_file(PLANS / "gd-ip-13th.yaml") as path:
        yield Path(path)


def table_rows(seed: str) -> list[tuple[str, str, str]]:
    """(category, indicator, target) for each row of the table 到2020年实现以下主要目标 (tab-indented cells,
    records separated by empty lines, the category written only on the first row of its group)."""
    body = section(seed, "到2020年实现以下主要目标", "三、主要任务").splitlines()[1:]
    records, current = [], []
    for line in body + [""]:
        if line == "":
            if any(current):  # the last line is the blank before 三、主要任务
                records.append(current)
            current = []
        else:
            current.append(line.removeprefix("\t").strip())
    assert records[0] == ["分类", "指标", "目标"]
    rows, category = [], None
    for record in records[1:]:
        assert len(record) == 3, record
        category = record[0] or category
        rows.append((category, record[1], record[2]))
    return rows


def table_target(name: str, text: str) -> tuple[str, bool, Decimal, str]:
    """(indicator name, is a growth rate, number, unit) of one table row: 20万件 → 200000 件;
    年均增长率10% → a 10 % growth rate, whether 年均增长率 stands in the target or ends the name."""
    growth = text.startswith(RATE) or name.endswith(RATE)
    name, text = name.removesuffix(RATE), text.removeprefix(RATE)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(.*?)(以上)?", text)
    assert match, text
    return name, growth, Decimal(match.group(1)), match.group(2)


def in_unit(number: Decimal, unit: str, indicator: Indicator) -> Decimal:
    """The table's number in the indicator's unit: 20万件 for 件 is 200000, 100亿元 for 亿元 is 100, and
    20件 for 件/万人 is 20."""
    base = indicator.unit.split("/")[0]
    if unit == base:
        return number
    if unit == "万" + base:
        return number * 10000
    raise AssertionError(f"{number}{unit} cannot be read in {indicator.unit} ({indicator.code})")


def numbers_in(quote: str) -> set[Decimal]:
    found = {Decimal(n) * (10000 if wan else 1) for n, wan in re.findall(r"(\d+(?:\.\d+)?)(万)?", quote)}
    if "全部" in quote:  # 政府机关全部实现软件正版化: all of them, 100 %
        found.add(Decimal(100))
    return found


# ---- the plan against its text ---------------------------------------------------------------------------------


def test_the_table_parses_into_the_plans_eighteen_rows(seed):
    rows = table_rows(seed)
    assert len(rows) == 18
    assert {c for c, _, _ in rows} == {"知识产权创造", "知识产权运用", "知识产权保护", "知识产权服务"}
    assert rows[0] == ("知识产权创造", "有效发明专利量", "20万件")
    assert rows[-1] == ("知识产权服务", "知识产权服务业营业收入年均增长率", "20%")
    assert table_target("知识产权服务业营业收入年均增长率", "20%") == ("知识产权服务业营业收入", True, 20, "%")
    assert table_target("PCT申请量", "年均增长率10%") == ("PCT申请量", True, 10, "%")
    assert table_target("有效发明专利量", "20万件") == ("有效发明专利量", False, 20, "万件")
    assert table_target("知识产权保护社会满意度", "80分以上")[2:] == (80, "分")


def test_every_seed_quote_is_in_the_targets_section(seed, plan):
    goals = squeeze(section(seed, "（三）发展目标", "三、主要任务"))
    targets = list(plan.targets.select_related("indicator"))
    assert len(targets) == 30
    missing = [(t.indicator.code, t.seed_quote) for t in targets if squeeze(t.seed_quote) not in goals]
    assert missing == []


def test_every_seed_quote_states_the_targets_number_and_kind(plan):
    for target in plan.targets.select_related("indicator"):
        quote = target.seed_quote
        assert target.value in numbers_in(quote), (target.indicator.code, quote, target.value)
        assert ("年均增长" in quote) == (target.kind == Target.Kind.GROWTH_RATE), quote
        assert ("超过" in quote) == (target.kind == Target.Kind.EXCEED), quote


def test_every_row_of_the_seed_table_is_a_target_with_the_same_number(seed, plan):
    targets = list(plan.targets.select_related("indicator"))
    for category, name, text in table_rows(seed):
        indicator_name, growth, number, unit = table_target(name, text)
        matches = [t for t in targets
                   if indicator_name in (t.indicator.name_zh, *t.indicator.aliases)
                   and (t.kind == Target.Kind.GROWTH_RATE) == growth]
        assert len(matches) == 1, f"table row {name} {text}: targets {matches}"
        target = matches[0]
        assert target.indicator.category == CATEGORIES[category], name
        if growth:
            assert unit == "%" and target.value == number, name
        else:
            assert target.value == in_unit(number, unit, target.indicator), name
        if name.startswith("建设"):
            assert target.kind == Target.Kind.COUNT_TO_BUILD, name
        # The import finds the indicator under the name the table writes (PCT申请量 included).
        assert indicator_by_name(indicator_name) == target.indicator, name


def test_table_numbers_are_read_in_the_indicators_unit(plan):
    by_code = {t.indicator.code: t for t in plan.targets.select_related("indicator")}
    assert by_code["valid_invention_patents"].value == 200_000
    assert by_code["valid_domestic_trademarks"].value == 2_100_000
    pledge = by_code["pledge_financing"]
    assert (pledge.value, pledge.indicator.unit) == (100, "亿元")
    assert by_code["copyright_gdp_share"].indicator.unit == "%"
    assert by_code["protection_satisfaction"].indicator.unit == "分"


def test_baselines_are_the_seeds_2015_figures(seed, plan):
    basis = squeeze(section(seed, "（一）发展基础", "（二）发展环境"))

    def figure(pattern: str) -> Decimal:
        return Decimal(re.search(pattern, basis).group(1))

    expected = {
        "valid_invention_patents": figure(r"有效发明专利量达到(\d+)件"),
        "invention_patents_per_10k": figure(r"万人发明专利拥有量([\d.]+)件"),
        "valid_domestic_trademarks": figure(r"商标有效注册量.{0,20}?达([\d.]+)万件") * 10000,
        "gi_trademarks": figure(r"地理标志商标总数达(\d+)件"),
        "madrid_registrations": figure(r"马德里商标国际注册总量达(\d+)件"),
    }
    assert expected == {"valid_invention_patents": 138878, "invention_patents_per_10k": Decimal("12.95"),
                        "valid_domestic_trademarks": 1659500, "gi_trademarks": 38, "madrid_registrations": 4550}
    targets = {t.indicator.code: t for t in plan.targets.select_related("indicator")}
    for code, value in expected.items():
        assert targets[code].baseline == value, code
    # The stock figures are also observations of 2015 for the province (shipped with the project).
    for code in ("valid_invention_patents", "valid_domestic_trademarks", "gi_trademarks", "madrid_registrations"):
        observed = Observation.objects.get(indicator__code=code, region__code="440000", year=2015, is_current=True)
        assert observed.value == expected[code], code


def test_density_indicators_are_derived_and_their_bases_exist(plan):
    assert Indicator.objects.get(code="invention_patents_per_10k").per_10k_of.code == "valid_invention_patents"
    assert Indicator.objects.get(code="copyright_per_10k").per_10k_of.code == "copyright_holdings"
    assert plan.region.code == "440000" and (plan.base_year, plan.target_year) == (2015, 2020)


# ---- loading -------------------------------------------------------------------------------------------------


def snapshot():
    return (list(Plan.objects.order_by("code").values()), list(Indicator.objects.order_by("code").values()),
            list(Target.objects.order_by("pk").values()), Observation.objects.count())


def test_loading_the_plan_twice_changes_nothing(shipped_file):
    before = snapshot()
    load_plan(shipped_file)
    once = snapshot()
    load_plan(shipped_file)
    assert snapshot() == once == before


SECOND_PLAN = {
    "code": "test-gz-14th",
    "name_zh": "广州市知识产权“十四五”规划（测试）",
    "name_en": "Guangzhou IP plan 2021–2025 (test)",
    "region": "广州市",
    "base_year": 2020,
    "target_year": 2025,
    "source": "test",
    "indicators": [
        {"code": "high_value_invention_patents", "name_zh": "高价值发明专利拥有量",
         "name_en": "High-value invention patents", "unit": "件", "category": "creation", "measure": "stock",
         "aliases": ["高价值发明专利"]},
    ],
    "targets": [
        {"indicator": "high_value_invention_patents", "kind": "reach", "value": 50000, "baseline": 20000,
         "seed": "高价值发明专利拥有量达到5万件"},
        {"indicator": "valid_invention_patents", "kind": "exceed", "value": "150000",
         "seed": "有效发明专利量超过15万件"},
    ],
}


def write_plan(tmp_path, spec, name="plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def test_a_second_plan_file_loads_without_code_changes(tmp_path):
    shipped = Target.objects.filter(plan__code="gd-ip-13th").count()
    plan = load_plan(write_plan(tmp_path, SECOND_PLAN))
    assert (plan.code, plan.region.code, plan.base_year, plan.target_year) == ("test-gz-14th", "440100", 2020, 2025)
    targets = list(plan.targets.select_related("indicator"))
    assert [(t.indicator.code, t.kind, t.value, t.baseline) for t in targets] == [
        ("high_value_invention_patents", "reach", 50000, 20000),
        ("valid_invention_patents", "exceed", 150000, None)]
    assert indicator_by_name("高价值发明专利") == targets[0].indicator
    assert Target.objects.filter(plan__code="gd-ip-13th").count() == shipped
    evaluations = evaluate_plan(plan, 2022)
    assert [(e.indicator, e.region, e.baseline) for e in evaluations] == [
        ("high_value_invention_patents", "440100", 20000), ("valid_invention_patents", "440100", None)]
    # Dropping a target from the file drops it from the plan; loading again is stable.
    smaller = copy.deepcopy(SECOND_PLAN)
    smaller["targets"] = smaller["targets"][:1]
    load_plan(write_plan(tmp_path, smaller))
    assert plan.targets.count() == 1


def broken(change) -> dict:
    spec = copy.deepcopy(SECOND_PLAN)
    change(spec)
    return spec


MALFORMED = {
    "unknown category": (lambda s: s["indicators"][0].update(category="culture"),
                         "indicator high_value_invention_patents", "category", "'culture' is not one of"),
    "unknown measure": (lambda s: s["indicators"][0].update(measure="ratio"),
                        "indicator high_value_invention_patents", "measure", "'ratio' is not one of"),
    "unknown indicator": (lambda s: s["targets"][1].update(indicator="no_such_indicator"),
                          "target 2 (no_such_indicator)", "indicator", "unknown indicator 'no_such_indicator'"),
    "bad number": (lambda s: s["targets"][0].update(value="五万"),
                   "target 1 (high_value_invention_patents)", "value", "'五万' is not a number"),
    "bad baseline": (lambda s: s["targets"][0].update(baseline="2万"),
                     "target 1 (high_value_invention_patents)", "baseline", "'2万' is not a number"),
    "not a finite number": (lambda s: s["targets"][0].update(value=float("nan")),
                            "target 1 (high_value_invention_patents)", "value", "is not a number"),
    "null value": (lambda s: s["targets"][0].update(value=None),
                   "target 1 (high_value_invention_patents)", "value", "missing"),
    "missing seed": (lambda s: s["targets"][0].pop("seed"),
                     "target 1 (high_value_invention_patents)", "seed", "quote the plan text"),
    "unknown kind": (lambda s: s["targets"][0].update(kind="double"),
                     "target 1 (high_value_invention_patents)", "kind", "'double' is not one of"),
    "same target twice": (lambda s: s["targets"].append(dict(s["targets"][0], value=60000)),
                          "target 3 (high_value_invention_patents)", "kind", "a second 'reach' target"),
    "bad year": (lambda s: s.update(base_year="2O20"), "plan", "base_year", "'2O20' is not a year"),
    "years reversed": (lambda s: s.update(target_year=2019), "plan", "target_year", "after the baseline year"),
    "missing field": (lambda s: s.pop("targets"), "plan", "targets", "missing"),
    "unknown region": (lambda s: s.update(region="火星市"), "plan", "region", "unknown region"),
    "missing indicator field": (lambda s: s["indicators"][0].pop("unit"), "indicator 1", "unit", "missing"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_plan_names_record_and_field_and_writes_nothing(tmp_path, case):
    change, record, field, reason = MALFORMED[case]
    path = write_plan(tmp_path, broken(change))
    before = snapshot()
    with pytest.raises(DataError) as caught:
        load_plan(path)
    error = caught.value
    assert error.source == str(path)
    assert any(p.record == record and p.field == field and reason in p.reason for p in error.problems), \
        [str(p) for p in error.problems]
    assert f"record {record}, field '{field}'" in str(error)
    assert snapshot() == before
    assert not Plan.objects.filter(code="test-gz-14th").exists()
    assert not Indicator.objects.filter(code="high_value_invention_patents").exists()


def test_a_malformed_update_leaves_the_loaded_plan_as_it_was(tmp_path, shipped_file):
    spec = yaml.safe_load(shipped_file.read_text(encoding="utf-8"))
    spec["name_zh"] = "改过的名字"
    spec["indicators"][0]["name_en"] = "changed"
    spec["targets"][0]["value"] = 999999
    spec["targets"][-1]["indicator"] = "no_such_indicator"
    before = snapshot()
    with pytest.raises(DataError) as caught:
        load_plan(write_plan(tmp_path, spec))
    assert [(p.record, p.field) for p in caught.value.problems] == [("target 30 (no_such_indicator)", "indicator")]
    assert snapshot() == before


@pytest.mark.parametrize("text, reason", [("code: [unclosed", "not valid YAML"), ("", "no mapping"),
                                          ("- a list\n- of things\n", "no mapping")])
def test_a_file_that_is_not_a_plan_is_a_data_error(tmp_path, text, reason):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=reason) as caught:
        load_plan(path)
    assert caught.value.source == str(path)
