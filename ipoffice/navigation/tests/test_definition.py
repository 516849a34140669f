"""Project definitions in YAML: a valid file builds the project, loading it again changes only what changed, and
every problem names the file, the key path and why."""

from datetime import date

import pytest
import yaml

from ipoffice.core.errors import DataError
from ipoffice.patents.models import Patent

from ..definition import EXAMPLE, load_definition
from ..models import NodeTag, Project
from .project_fixtures import corpus  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

SPEC = {
    "slug": "drones", "name": "无人机产业导航", "type": "industry", "client": "示例", "region": "440300",
    "industry": "C37", "counting": {"unit": "family", "applicants": "fractional", "cutoff": "2023-06-30",
                                    "lag_months": 12},
    "query": "无人机 OR ipc:B64C*", "query_note": "first version", "reference_query": "ipc:B64*",
    "nodes": [{"code": "1", "name": "飞行控制", "query": "飞控", "children": [
                  {"code": "1.1", "name": "导航", "query": "导航"}, {"code": "1.2", "name": "避障", "query": "避障"}]},
              {"code": "2", "name": "动力", "query": "电池 OR 电机"}],
    "effects": [{"name": "提高效率", "query": '"提高了工作效率"'}, {"name": "降低能耗", "query": '"降低了能耗"'}],
    "findings": {"summary": "结论", "risks": "风险"},
}


def write(tmp_path, spec, name="project.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def problems(path) -> dict[str, str]:
    with pytest.raises(DataError) as caught:
        load_definition(path)
    assert caught.value.source == str(path)
    return {p.field: p.reason for p in caught.value.problems}


def test_a_valid_definition_builds_the_project(tmp_path):
    project = load_definition(write(tmp_path, SPEC))
    assert (project.slug, project.project_type, project.region.code, project.industry) == \
        ("drones", "industry", "440300", "C37")
    assert (project.count_unit, project.applicant_counting, project.date_basis, project.cutoff_date,
            project.lag_months) == ("family", "fractional", "filing", date(2023, 6, 30), 12)
    assert [(q.version, q.text, q.note) for q in project.queries.all()] == \
        [(1, "无人机 OR ipc:B64C*", "first version")]
    tree = [(n.code, n.name, n.parent.code if n.parent else "") for n in project.nodes.order_by("sequence")]
    assert tree == [("1", "飞行控制", ""), ("1.1", "导航", "1"), ("1.2", "避障", "1"), ("2", "动力", "")]
    assert list(project.effects.values_list("name", "query")) == [("提高效率", '"提高了工作效率"'),
                                                                  ("降低能耗", '"降低了能耗"')]
    assert dict(project.findings.values_list("section", "text")) == {"summary": "结论", "risks": "风险"}


def test_loading_again_changes_only_what_changed(tmp_path):
    path = write(tmp_path, SPEC)
    project = load_definition(path)
    node_ids = dict(project.nodes.values_list("code", "pk"))
    load_definition(path)
    assert project.queries.count() == 1
    assert dict(project.nodes.values_list("code", "pk")) == node_ids
    changed = {**SPEC, "query": "无人机 OR 飞行器", "query_note": "wider", "effects": SPEC["effects"][:1],
               "nodes": [{**SPEC["nodes"][0], "children": SPEC["nodes"][0]["children"][:1]}],
               "findings": {"summary": "新结论"}}
    load_definition(write(tmp_path, changed))
    assert [(q.version, q.text, q.note) for q in project.queries.all()] == \
        [(2, "无人机 OR 飞行器", "wider"), (1, "无人机 OR ipc:B64C*", "first version")]
    assert sorted(project.nodes.values_list("code", flat=True)) == ["1", "1.1"]
    assert project.nodes.get(code="1.1").pk == node_ids["1.1"]
    assert list(project.effects.values_list("name", flat=True)) == ["提高效率"]
    assert project.findings.get(section="summary").text == "新结论"
    assert Project.objects.count() == 1


def test_problems_name_the_key_path_and_nothing_is_written(tmp_path):
    bad = {**SPEC, "type": "planning", "region": "449999", "industry": "Z12", "colour": "red",
           "counting": {"unit": "patents", "cutoff": "yesterday"},
           "nodes": [SPEC["nodes"][0], {"code": "2", "name": "动力", "query": "电池 AND (电机"},
                     {"code": "1", "name": "重复"}],
           "effects": [{"name": "提高效率"}]}
    found = problems(write(tmp_path, bad))
    assert "unknown type 'planning'" in found["type"]
    assert "unknown region code 449999" in found["region"]
    assert "GB/T 4754" in found["industry"]
    assert found["colour"] == "unknown key"
    assert "'patents' is not one of application, family" in found["counting.unit"]
    assert "not a date" in found["counting.cutoff"]
    assert "the query language rejects it" in found["nodes[1].query"]
    assert "at position" in found["nodes[1].query"]
    assert "used twice" in found["nodes[2].code"]
    assert found["effects[0].query"] == "missing"
    assert not Project.objects.exists()


def test_nested_branches_report_their_own_path(tmp_path):
    spec = {**SPEC, "nodes": [{"code": "1", "name": "飞行控制", "children": [
        {"code": "1.1", "name": "导航", "query": "导航 OR"}, {"code": "2.1", "name": "避障"}]}]}
    found = problems(write(tmp_path, spec))
    assert set(found) == {"nodes[0].children[0].query", "nodes[0].children[1].code"}


def test_a_file_that_is_not_a_definition(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("slug: [unclosed", encoding="utf-8")
    with pytest.raises(DataError, match="not valid YAML"):
        load_definition(path)
    assert problems(write(tmp_path, {"name": "x"})) == {"slug": "missing", "type": "missing", "query": "missing"}


def test_hand_tags_by_application_number(tmp_path, corpus):  # noqa: F811
    first, second = Patent.objects.order_by("pk").values_list("office", "application_number")[:2]
    spec = {**SPEC, "nodes": [{"code": "1", "name": "飞行控制", "query": "飞控",
                               "include": [first[0] + first[1]], "exclude": [second[1]]}]}
    project = load_definition(write(tmp_path, spec))
    tags = set(NodeTag.objects.filter(node__project=project).values_list("patent__application_number", "included"))
    assert tags == {(first[1], True), (second[1], False)}
    spec["nodes"][0]["include"].append("CN209999999999")
    assert problems(write(tmp_path, spec)) == {
        "nodes[0].include[1]": "no patent with application number CN209999999999"}


def test_the_worked_example_is_a_valid_definition():
    project = load_definition(EXAMPLE)
    assert project.project_type == "industry" and project.region.code == "440000"
    assert project.nodes.filter(parent=None).count() == 4
    assert all(project.nodes.filter(parent__code=code).count() >= 2 for code in "1234")
    assert set(project.findings.values_list("section", flat=True)) == {"summary", "recommendations", "risks"}
