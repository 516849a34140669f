"""The ``indicators`` command: import, load-plan, evaluate (JSON and table), and its errors."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from ipoffice.indicators.evaluation import evaluate_target
from ipoffice.indicators.models import Observation, Plan, Target

pytestmark = pytest.mark.django_db

STATUSES = {"achieved", "on_track", "at_risk", "off_track", "no_data"}
FIELDS = {"indicator", "name_zh", "target", "baseline", "latest_value", "latest_year", "progress", "actual_cagr",
          "required_cagr", "projection", "status"}
HEADER = "indicator,region,year,value,unit,source\n"


def run(*args) -> str:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, text, name="obs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_reports_and_writes(tmp_path):
    path = write(tmp_path, HEADER + "有效发明专利量,广州,2011,10000,件,test\nPCT申请量,440000,2011,9000,件,test\n")
    assert run("import", str(path)) == f"{path}: created 2, revised 0, unchanged 0\n"
    assert Observation.objects.filter(year=2011, is_current=True).count() == 2
    assert "unchanged 2" in run("import", str(path))


def test_import_with_source_and_skip_unknown_regions(tmp_path, shared_data):
    yearbook = shared_data / "stats" / "cnipa_2023yearbook_t6-4_pct_applications_by_region.csv"
    with pytest.raises(CommandError, match="record 104, field 'region_zh': unknown region '合计'"):
        run("import", str(yearbook))
    assert "skipped 9 rows outside the division tree" in run("import", str(yearbook), "--skip-unknown-regions")
    bare = write(tmp_path, "indicator,region,year,value\nvalid_invention_patents,440000,2011,60000\n")
    run("import", str(bare), "--source", "统计公报")
    assert Observation.objects.get(year=2011, region__code="440000").source == "统计公报"


@pytest.mark.parametrize("text, reason", [
    (HEADER + "有效发明专利量,火星市,2011,1,件,test\n", "record 2, field 'region': unknown region '火星市'"),
    (HEADER + "invention_patents_per_10k,440000,2011,12.9,件/万人,test\n", "computed from valid_invention_patents"),
    (HEADER + "有效发明专利量,广州,2011,一万,件,test\n", "record 2, field 'value': '一万' is not a number"),
    ("place,when\n1,2\n", "no region column"),
])
def test_a_bad_file_is_a_command_error_with_the_reason(tmp_path, text, reason):
    good = write(tmp_path, HEADER + "有效发明专利量,广州,2011,10000,件,test\n", "good.csv")
    bad = write(tmp_path, text)
    with pytest.raises(CommandError) as caught:
        run("import", str(good), str(bad))
    assert str(caught.value).startswith(f"{bad}: ") and reason in str(caught.value)
    # The good file before it was imported; the bad one wrote nothing.
    assert list(Observation.objects.filter(year=2011).values_list("region__code", "value")) == [("440100", 10000)]


def test_unreadable_and_missing_files(tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "有效发明专利量,广州,2011,1,件,统计\n").encode("gbk"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("import", str(gbk))
    xlsx = write(tmp_path, "not a workbook", "obs.xlsx")
    with pytest.raises(CommandError, match="not a readable XLSX"):
        run("import", str(xlsx))
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "missing.csv"))
    assert not Observation.objects.filter(year=2011).exists()


@pytest.fixture
def evaluation() -> list[dict]:
    return json.loads(run("evaluate", "--plan", "gd-ip-13th", "--as-of", "2018", "--format", "json"))


def test_evaluate_json_has_one_object_per_target(evaluation):
    targets = list(Target.objects.filter(plan__code="gd-ip-13th").select_related("indicator"))
    assert isinstance(evaluation, list) and len(evaluation) == len(targets) == 30
    assert [(row["indicator"], row["kind"]) for row in evaluation] == [(t.indicator.code, t.kind) for t in targets]
    for row, target in zip(evaluation, targets, strict=True):
        assert FIELDS <= set(row), row
        assert row["status"] in STATUSES
        assert row["name_zh"] == target.indicator.name_zh
        assert row["target"] == float(target.value)
        assert row["latest_year"] is None or row["latest_year"] <= 2018
        if row["status"] == "no_data":  # nothing to project from
            assert row["projection"] is None, row
        assert isinstance(row["reason"], str) and row["reason"], row


def test_evaluate_json_is_the_evaluation(evaluation):
    """Each row is what evaluate_target computes, e.g. the valid invention patents from 138 878 in 2015."""
    plan = Plan.objects.get(code="gd-ip-13th")
    for row, target in zip(evaluation, plan.targets.select_related("indicator", "plan__region"), strict=True):
        expected = evaluate_target(target, 2018).as_dict()
        assert {k: row[k] for k in FIELDS} == {k: expected[k] for k in FIELDS}
    patents = next(r for r in evaluation if r["indicator"] == "valid_invention_patents")
    assert (patents["target"], patents["baseline"]) == (200000, 138878)


def test_evaluate_json_picks_up_new_observations(tmp_path):
    Observation.objects.filter(indicator__code="trading_institutions").delete()
    run("import", str(write(tmp_path, HEADER + "建设知识产权运营交易服务机构,广东,2018,9,家,test\n")))
    rows = json.loads(run("evaluate", "--as-of", "2018", "--format", "json"))
    row = next(r for r in rows if r["indicator"] == "trading_institutions")
    assert (row["baseline"], row["latest_value"], row["latest_year"]) == (0, 9, 2018)
    assert row["progress"] == pytest.approx(0.45) and row["status"] == "at_risk"
    assert row["projection"] == pytest.approx(15)


def test_evaluate_for_another_region_and_as_a_table():
    rows = json.loads(run("evaluate", "--as-of", "2018", "--region", "深圳", "--format", "json"))
    patents = next(r for r in rows if r["indicator"] == "valid_invention_patents")
    assert patents["latest_year"] == 2016 and patents["baseline"] is None  # the plan's baseline is the province's
    table = run("evaluate", "--as-of", "2018").splitlines()
    assert len(table) == 30
    assert all(line.split()[0] in STATUSES for line in table)


def test_unknown_plan_or_region_is_a_command_error():
    with pytest.raises(CommandError, match=r"unknown plan 'gd-ip-99th' \(plans: .*gd-ip-13th"):
        run("evaluate", "--plan", "gd-ip-99th", "--as-of", "2018")
    with pytest.raises(CommandError, match="unknown region '火星'"):
        run("evaluate", "--as-of", "2018", "--region", "火星")
    with pytest.raises(CommandError):
        run("evaluate", "--plan", "gd-ip-13th")  # --as-of is required


def test_load_plan(tmp_path):
    spec = {"code": "test-cli-plan", "name_zh": "测试", "name_en": "Test", "region": "440000", "base_year": 2020,
            "target_year": 2025, "indicators": [],
            "targets": [{"indicator": "valid_invention_patents", "kind": "reach", "value": 300000,
                         "seed": "达到30万件"}]}
    path = write(tmp_path, yaml.safe_dump(spec, allow_unicode=True), "plan.yaml")
    assert run("load-plan", str(path)) == "test-cli-plan: 1 targets\n"
    assert json.loads(run("evaluate", "--plan", "test-cli-plan", "--as-of", "2022", "--format", "json"))[0][
        "target"] == 300000
    spec["targets"][0]["kind"] = "triple"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match=r"record target 1 \(valid_invention_patents\), field 'kind'"):
        run("load-plan", str(path))
    assert Target.objects.get(plan__code="test-cli-plan").kind == "reach"
