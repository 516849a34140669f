"""The navigation report on the worked example over a small generated corpus: its sections, recall and precision
from judged lines, byte-identical HTML for the same snapshot, the PDF, the output files and ``navigation run``."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from ipoffice.core.testing.browser import require_chinese_font
from ipoffice.patents.models import Patent

from .. import report, snapshots
from ..analyses import keys, run
from ..definition import EXAMPLE, load_definition
from ..models import Judgement
from ..snapshots import load_dataset, rules_of, take_snapshot
from ..worksheet import wilson
from .project_fixtures import corpus  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(corpus):  # noqa: F811
    project = load_definition(EXAMPLE)
    return take_snapshot(project)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_report_has_every_section(example):
    html = report.render_html(example)
    dataset = load_dataset(example)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert example.project.name in html and example.fingerprint in html
    assert "Generated data" in html  # the corpus is generated
    for heading in ("1 Project overview", "2 Method", "2.2 Search strategy", "2.3 Technology decomposition",
                    "2.4 Recall and precision", "2.5 Counting rules", "Conclusions", "Recommended paths",
                    "Risks and limitations", "Appendix: the dataset"):
        assert heading in html, heading
    assert example.query.text.replace('"', "&quot;") in html
    for node in dataset.nodes:
        assert f"{node['code']} {node['name']}" in html
    assert len(keys()) == html.count('class="nav-report-analysis"')
    assert "not yet assessed" in html
    assert example.project.findings.get(section="risks").text in html
    assert all(record.number in html for record in dataset.records)
    assert "Counted unit: applications" in html and "Data cut-off: 2024-12-31" in html


def test_recall_and_precision_come_from_the_judged_lines(example):
    ids = [r.id for r in load_dataset(example).records]
    assert len(ids) >= 5
    others = list(Patent.objects.exclude(pk__in=ids).values_list("pk", flat=True)[:2])
    for pk, relevant in zip(ids[:5], [True, True, True, False, None], strict=True):
        Judgement.objects.create(snapshot=example, sample="precision", patent_id=pk, in_dataset=True,
                                 relevant=relevant)
    for pk, in_dataset, relevant in [(ids[0], True, True), (ids[1], True, True), (others[0], False, True),
                                     (others[1], False, False)]:
        Judgement.objects.create(snapshot=example, sample="recall", patent_id=pk, in_dataset=in_dataset,
                                 relevant=relevant)
    rows = dict(report.quality_rows(example))
    precision, recall = rows["Precision"], rows["Recall"]
    assert (precision["successes"], precision["trials"], precision["sampled"]) == (3, 4, 5)
    assert (recall["successes"], recall["trials"], recall["sampled"]) == (2, 3, 4)
    low, high = wilson(3, 4)
    assert precision["value_text"] == "75.0%"
    assert precision["interval_text"] == f"{100 * low:.1f}%–{100 * high:.1f}%" == "30.1%–95.4%"
    assert recall["value_text"] == "66.7%"
    html = report.render_html(example)
    assert "75.0%" in html and "30.1%–95.4%" in html and "3 / 4" in html and "2 / 3" in html
    assert "not yet assessed" not in html


def test_the_same_snapshot_gives_the_same_html(example):
    first = report.render_html(example)
    snapshots._DATASETS.clear()  # read the snapshot's data again
    assert report.render_html(example) == first
    body = report.render_html(example, standalone=False)
    assert "<style>" not in body and body.strip().startswith('<article class="nav-report">')
    year = next(row["drill"] for row in run("trend", load_dataset(example), rules_of(example)).rows)
    link = reverse("navigation:drill", args=[example.project.slug, example.pk, "trend", year])
    assert f'href="{link}"' in body and f'href="{link}"' not in first


def test_the_pdf_holds_the_chinese_text_and_is_laid_out_once_per_text(example, settings, tmp_path, monkeypatch):
    require_chinese_font()
    settings.DATA_DIR = tmp_path
    pdf = report.stored_pdf(example)
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages[:3])  # cover and method
    assert example.project.name in text
    assert "电池材料与电化学体系" in text

    def lay_out(*args, **kwargs):
        raise AssertionError("laid out again")

    monkeypatch.setattr(report, "render_pdf", lay_out)
    assert report.stored_pdf(example) == pdf  # the same report text: the stored PDF
    example.project.findings.filter(section="risks").update(text="数据截至2024年底。")
    with pytest.raises(AssertionError, match="laid out again"):  # new findings: a new layout
        report.stored_pdf(example)


def test_write_outputs_writes_the_report_and_the_dataset(example, tmp_path):
    paths = report.write_outputs(example, tmp_path / "out")
    names = {p.name for p in paths}
    assert {"report.html", "report.pdf", "dataset.csv", "dataset.json"} <= names
    networks = {f"{key}.{ext}" for key in report.NETWORKS if key in keys() for ext in ("gexf", "graphml")}
    assert names - {"report.html", "report.pdf", "dataset.csv", "dataset.json"} == networks
    raw = (tmp_path / "out" / "dataset.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    records = load_dataset(example).records
    assert len(rows) == example.patent_count == len(records)
    assert [r["number"] for r in rows] == [r.number for r in records]
    assert [r["nodes"] for r in rows] == [" ".join(r.nodes) for r in records]
    assert [r["effects"] for r in rows] == ["; ".join(r.effects) for r in records]
    data = json.loads((tmp_path / "out" / "dataset.json").read_text(encoding="utf-8"))
    assert len(data["records"]) == example.patent_count
    assert (tmp_path / "out" / "report.html").read_text(encoding="utf-8") == report.render_html(example)


def test_navigation_run_and_analyses_commands(corpus, tmp_path):  # noqa: F811
    out = io.StringIO()
    call_command("navigation", "run", str(EXAMPLE), "--out", str(tmp_path / "nev"), stdout=out)
    printed = out.getvalue()
    for name in ("report.html", "report.pdf", "dataset.csv", "dataset.json"):
        assert (tmp_path / "nev" / name).stat().st_size > 0
        assert name in printed
    assert "snapshot" in printed and "patents" in printed
    out = io.StringIO()
    call_command("navigation", "analyses", "nev-battery-guangdong", "--key", "trend", stdout=out)
    [trend] = json.loads(out.getvalue())
    assert trend["key"] == "trend" and {"key", "title", "columns", "rows", "notes"} <= set(trend)
    out = io.StringIO()
    call_command("navigation", "snapshot", "nev-battery-guangdong", "--cutoff", "2022-12-31", stdout=out)
    assert "to 2022-12-31" in out.getvalue()


def test_commands_reject_bad_input(corpus, tmp_path):  # noqa: F811
    with pytest.raises(CommandError, match="no project 'nope'"):
        call_command("navigation", "analyses", "nope")
    with pytest.raises(CommandError, match="no such file"):
        call_command("navigation", "run", str(tmp_path / "missing.yaml"), "--out", str(tmp_path))
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: x\nname: x\ntype: industry\nquery: 电池 AND (\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.yaml: .*'query'.*the query language rejects it"):
        call_command("navigation", "run", str(bad), "--out", str(tmp_path))
    load_definition(EXAMPLE)
    with pytest.raises(CommandError, match="no snapshot yet"):
        call_command("navigation", "analyses", "nev-battery-guangdong")
    take_snapshot(load_definition(EXAMPLE))
    with pytest.raises(CommandError, match="no analysis 'nothing'"):
        call_command("navigation", "analyses", "nev-battery-guangdong", "--key", "nothing")


def test_the_dataset_names_every_region_positioning_compares(example):
    dataset = load_dataset(example)
    compared = {prefix.ljust(6, "0") for prefix in dataset.baseline if prefix != "CN"}
    assert compared - {r.region[:4] + "00" for r in dataset.records}  # some compared cities have no hit …
    assert compared <= dataset.regions.keys()  # … and are named all the same
