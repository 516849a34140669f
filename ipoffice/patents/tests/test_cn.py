"""Generated Chinese patents and their import: the generator (determinism, numbers, mix, real reference data),
the CNIPA XML and the 60-column export (CSV, XLSX) parsers, and ``import_file`` on what the generator writes."""

import csv
import gc
import gzip
import io
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest
from django.core.management import call_command

from ipoffice.core import importing as core_importing
from ipoffice.patents import generator
from ipoffice.patents.importers.base import detect_parser
from ipoffice.patents.importing import import_file
from ipoffice.patents.models import Citation, Classification, LegalEvent, Party, Patent
from ipoffice.patents.numbers import cn_check_digit, parse_cn_application_number
from ipoffice.patents.search import search_patents

FORMATS = ["csv", "xlsx", "xml"]


@pytest.fixture(scope="module")
def reference():
    """Real IPC symbols (the shared table when present) and Guangdong districts from cpca (no database)."""
    return generator.load_reference(use_db=False)


@pytest.fixture(scope="module")
def records(reference):
    return list(generator.PatentGenerator(3000, 7, reference=reference))


def _comparable(parsed) -> dict:
    data = asdict(parsed)
    data.pop("record")
    for citation in data["citations"]:  # dates and categories come only with the XML
        citation.update(cited_date=None, category="", cited_by="")
    return data


def _written(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


# ------------------------------------------------------------------------------------------------ generator


def test_same_seed_same_bytes(tmp_path, reference):
    for name in ("a", "b"):
        generator.generate(tmp_path / name, 150, 42, formats=FORMATS, per_file=60, reference=reference)
    generator.generate(tmp_path / "c", 150, 43, formats=["csv"], reference=reference)
    first, second = _written(tmp_path / "a"), _written(tmp_path / "b")
    assert sorted(first) == ["cn_patents_generated_s42_n150-00001.xml", "cn_patents_generated_s42_n150-00002.xml",
                             "cn_patents_generated_s42_n150-00003.xml", "cn_patents_generated_s42_n150.csv",
                             "cn_patents_generated_s42_n150.xlsx"]
    assert first == second
    other = (tmp_path / "c" / "cn_patents_generated_s43_n150.csv").read_bytes()
    assert other != first["cn_patents_generated_s42_n150.csv"]


def test_numbers_are_valid_and_unique(records):
    kinds = {"invention": "1", "utility": "2", "design": "3"}
    for r in records:
        digits, patent_type = parse_cn_application_number(r.display_application_number)
        assert (digits, patent_type) == (r.number, r.type)
        assert r.check == cn_check_digit(r.number)
        assert r.type_digit in ((1, 8) if r.type == "invention" else (int(kinds[r.type]),))
        assert re.fullmatch(rf"{kinds[r.type]}\d{{8}}{r.pub_number[-1]}", r.pub_number)
        assert r.pub_number[-1] == {"invention": "A", "utility": "U", "design": "S"}[r.type]
        if r.grant_number:
            assert r.grant_number == (r.pub_number[:-1] + "B" if r.type == "invention" else r.pub_number)
            assert r.grant_date >= r.app_date
        assert r.app_date < r.pub_date <= generator.AS_OF
        assert all(day <= generator.AS_OF for day, _, _ in r.events)
        assert all(r.pub_date > cited_day for _, cited_day in r.citations)
        for priority in r.priorities:
            assert parse_cn_application_number(priority["number"])[1] in ("invention", "utility")
            assert priority["date"] < r.app_date
    assert len({r.application_number for r in records}) == len(records)
    assert len({r.pub_number for r in records}) == len(records)
    assert any(r.check == "X" for r in records)  # the tenth check character occurs
    assert any(r.type_digit == 8 and r.pct for r in records)  # PCT national phase entries


def test_mix_years_and_histories(records):
    shares = Counter(r.type for r in records)
    for kind, share in generator.TYPE_MIX.items():
        assert abs(shares[kind] / len(records) - share) < 0.03, (kind, shares)
    years = Counter(r.app_date.year for r in records)
    assert set(years) <= set(range(2010, 2025)) and years[2020] > 2 * years[2010]
    statuses = Counter(r.legal_status for r in records)
    assert set(statuses) >= {"pending", "granted", "lapsed", "withdrawn"}
    assert statuses["granted"] + statuses["lapsed"] > len(records) / 2
    twins = [(a, b) for a, b in zip(records, records[1:], strict=False)
             if b.type == "utility" and a.type == "invention" and a.family_id == b.family_id]
    assert twins and all(a.app_date == b.app_date and a.title == b.title for a, b in twins)  # 一案双申
    cited = Counter(number for r in records for number, _ in r.citations)
    by_number = {r.pub_number: r for r in records}
    assert cited and all(by_number[n].cited_by == count for n, count in cited.items())
    assert any(len(r.applicants) > 1 for r in records)
    assert all(r.inventors and r.applicants for r in records)
    kinds = Counter(a.kind for r in records for a in r.applicants)
    assert {"企业", "大专院校", "个人"} <= set(kinds) and kinds["企业"] > kinds["个人"]


def test_custom_mix_and_fallback_ipc():
    reference = generator.Reference({s: v.split() for s, v in generator.FALLBACK_IPC.items()},
                                    {s: spec[1] for s, spec in generator.SUBCLASSES.items()}, "fallback",
                                    *generator.load_places(use_db=False))
    only = list(generator.PatentGenerator(200, 1, reference=reference, mix={"invention": 1, "utility": 0,
                                                                             "design": 0}))
    assert {r.type for r in only} == {"invention"}
    assert all(set(r.ipc) <= set(sum(reference.ipc.values(), [])) for r in only)


def test_ipc_codes_are_real(records, shared_data):
    table = shared_data / "classification" / "ipc_2026_01_zh.csv.gz"
    with gzip.open(table, "rt", encoding="utf-8") as fh:
        symbols = {row["symbol"] for row in csv.DictReader(fh)}
    used = {code for r in records for code in r.ipc}
    assert used and used <= symbols
    assert {c for codes in generator.FALLBACK_IPC.values() for c in codes.split()} <= symbols
    assert all(re.fullmatch(r"\d{2}-\d{2}", code) for r in records for code in r.locarno)


def test_event_codes_are_real(records, shared_data):
    with (shared_data / "legal_status" / "epo_inpadoc_legal_event_codes_CN.csv").open(encoding="utf-8") as fh:
        codes = {row["Event-code"] for row in csv.DictReader(fh)}
    used = Counter(code for r in records for _, code, _ in r.events)
    assert set(used) <= codes
    assert {"C06", "PB01", "C10", "SE01", "C14", "GR01", "CF01", "TR01"} <= set(used)
    old = [d for r in records for d, code, _ in r.events if code in ("C06", "C14")]
    assert max(old) < generator.CODE_SWITCH <= min(d for r in records for d, code, _ in r.events if code == "GR01")


def test_districts_are_real_guangdong_codes(records, shared_data):
    with (shared_data / "regions" / "guangdong_counties.csv").open(encoding="utf-8") as fh:
        counties = {row["code"]: row["name"] for row in csv.DictReader(fh)}
    places = {a.place for r in records for a in r.applicants}
    for place in places:
        if place.district:
            assert counties.get(place.code) == place.district, place
            assert place.district in next(a.address for r in records for a in r.applicants if a.place == place)
        else:  # 东莞, 中山: towns under the city
            assert place.code in ("441900", "442000")
    assert {p.code[:4] for p in places} >= {"4401", "4403", "4406", "4419"}


def test_management_command(tmp_path):
    out = io.StringIO()
    call_command("generate", "patents", "--count", "40", "--seed", "5", "--out", str(tmp_path), "--format", "all",
                 "--per-file", "25", stdout=out)
    text = out.getvalue()
    assert "generated 40 patents" in text and "records/s" in text and generator.GENERATED_MARK in text
    assert len(list(tmp_path.glob("*.xml"))) == 2 and len(list(tmp_path.glob("*.csv"))) == 1


# ------------------------------------------------------------------------------------------------- parsers


@pytest.mark.parametrize("fmt", FORMATS)
def test_parsers_read_back_every_field(tmp_path, reference, fmt):
    summary = generator.generate(tmp_path, 120, 3, formats=[fmt], per_file=50, reference=reference)
    expected = {r.application_number: _comparable(r.parsed())
                for r in generator.PatentGenerator(120, 3, reference=reference)}
    seen = 0
    for path in summary.paths[fmt]:
        parser = detect_parser(path)
        assert parser.format == ("cnipa-xml" if fmt == "xml" else "cn-export")
        for item in parser().parse(path):
            assert _comparable(item) == expected[item.application_number]
            seen += 1
    assert seen == 120


def test_export_column_variants_and_date_forms(tmp_path, reference):
    summary = generator.generate(tmp_path, 30, 9, formats=["csv"], reference=reference)
    text = summary.paths["csv"][0].read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    renamed = {"申请号": "申请（专利）号", "专利名称": "发明名称", "公开(公告)号": "公开号", "申请人": "申请(专利权)人",
               "发明人": "发明（设计）人", "公开(公告)日": "公开日"}
    header = [renamed.get(h, h) for h in rows[0]]
    body = []
    for row in rows[1:]:
        row[2] = row[2].replace("-", ".")  # 申请日 as YYYY.MM.DD
        row[4] = row[4].replace("-", "")  # 公开日 as YYYYMMDD
        body.append(row)
    variant = tmp_path / "export.tsv"
    with variant.open("w", encoding="utf-8", newline="") as fh:
        fh.write("检索结果导出（generated）\n")  # a title line above the header
        csv.writer(fh, delimiter="\t").writerows([header, *body])
    parser = detect_parser(variant)
    assert parser.format == "cn-export"
    expected = {r.application_number: _comparable(r.parsed())
                for r in generator.PatentGenerator(30, 9, reference=reference)}
    parsed = list(parser().parse(variant))
    assert len(parsed) == 30 and all(_comparable(p) == expected[p.application_number] for p in parsed)
    assert parsed[0].record == "row 3"


def test_list_cells_split_on_any_separator_without_the_spaces_around_it():
    from ipoffice.patents.importers.fmt_cn_export import _split

    cell = " 华为技术有限公司 ；\u3000清华大学| 张 三 \n\n李四;; "
    assert _split(cell) == ["华为技术有限公司", "清华大学", "张 三", "李四"]
    assert _split(None) == _split("") == _split(" \u3000 ") == []
    assert _split(2016.0) == ["2016.0"]


def test_xlsx_from_another_writer_and_unrelated_workbooks(tmp_path, reference):
    from datetime import date

    from openpyxl import Workbook

    summary = generator.generate(tmp_path, 25, 21, formats=["csv"], reference=reference)
    rows = list(csv.reader(io.StringIO(summary.paths["csv"][0].read_text(encoding="utf-8-sig"))))
    assert len(generator.COLUMNS) == 60 and all(len(row) == 60 for row in rows)
    book = Workbook()
    sheet = book.active
    sheet.append(["申请(专利)号" if h == "申请号" else "申请日期" if h == "申请日" else h for h in rows[0]])
    for row in rows[1:]:
        sheet.append([date.fromisoformat(value) if i == 2 else value for i, value in enumerate(row)])
    book.save(tmp_path / "excel_export.xlsx")
    parser = detect_parser(tmp_path / "excel_export.xlsx")
    assert parser is not None and parser.format == "cn-export"
    expected = {r.application_number: _comparable(r.parsed())
                for r in generator.PatentGenerator(25, 21, reference=reference)}
    parsed = list(parser().parse(tmp_path / "excel_export.xlsx"))
    assert len(parsed) == 25 and all(_comparable(p) == expected[p.application_number] for p in parsed)
    other = Workbook()
    other.active.append(["name", "value"])
    other.save(tmp_path / "budget.xlsx")
    found = detect_parser(tmp_path / "budget.xlsx")
    assert found is None or found.format != "cn-export"


# -------------------------------------------------------------------------------------------------- import


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_import_generated_files(tmp_path, fmt):
    reference = generator.load_reference()  # districts from the Region table, as the command does
    assert reference.region_source == "db"
    records = list(generator.PatentGenerator(300, 11, reference=reference))
    summary = generator.generate(tmp_path, 300, 11, formats=[fmt], per_file=150, reference=reference)
    manifests = [import_file(path) for path in summary.paths[fmt]]
    assert [m.status for m in manifests] == ["done"] * len(manifests), [m.error for m in manifests]
    assert sum(m.read for m in manifests) == sum(m.created for m in manifests) == 300
    assert sum(m.rejected + m.updated + m.unchanged for m in manifests) == 0
    assert Patent.objects.filter(office="CN", is_generated=True).count() == 300

    for r in records[::37]:  # field by field
        patent = Patent.objects.get(office="CN", application_number=r.application_number)
        assert (patent.application_date, patent.publication_number, patent.publication_date, patent.grant_number,
                patent.grant_date, patent.kind, patent.patent_type) == \
            (r.app_date, r.pub_number, r.pub_date, r.grant_number, r.grant_date, r.kind, r.type)
        assert (patent.title, patent.titles, patent.abstract, patent.first_claim, patent.claims_count) == \
            (r.title, {"zh": r.title}, r.abstract, r.first_claim, r.claims_count)
        assert (patent.legal_status, patent.family_id, patent.ipc_main, patent.source_format) == \
            (r.legal_status, r.family_id, r.ipc[0] if r.ipc else "", "cnipa-xml" if fmt == "xml" else "cn-export")
        classes = Classification.objects.filter(patent=patent).order_by("scheme", "sequence")
        assert [c.symbol for c in classes if c.scheme == "ipc"] == r.ipc
        assert [c.symbol for c in classes if c.scheme == "locarno"] == r.locarno
        parties = list(Party.objects.filter(patent=patent).order_by("role", "sequence"))
        assert [p.name for p in parties if p.role == "applicant"] == [a.name for a in r.applicants]
        assert [p.name for p in parties if p.role == "inventor"] == r.inventors
        assert [p.name for p in parties if p.role == "agent"] == r.agents
        assert [p.name for p in parties if p.role == "agency"] == ([r.agency.name] if r.agency else [])
        assert [c.cited_number for c in Citation.objects.filter(patent=patent).order_by("sequence")] == \
            [number for number, _ in r.citations]
        assert [(e.date, e.code, e.description) for e in LegalEvent.objects.filter(patent=patent)
                .order_by("date", "id")] == sorted(r.events, key=lambda e: e[0])

    applicants = Party.objects.filter(patent__office="CN", role="applicant").select_related("region")
    assert not applicants.filter(entity__isnull=True).exists()  # every applicant linked to an entity
    expected = {(r.application_number, r.applicants[0].name): r.applicants[0].place.code for r in records}
    firsts = applicants.filter(sequence=0)
    resolved = {(p.patent.application_number, p.name): p.region.code if p.region else None
                for p in firsts.select_related("patent")}
    assert resolved == expected
    assert all(p.patent.region_id == p.region_id for p in firsts.select_related("patent"))

    again = [import_file(path) for path in summary.paths[fmt]]
    assert sum(m.unchanged for m in again) == 300 and sum(m.created + m.updated for m in again) == 0


@pytest.mark.django_db
def test_bad_check_digit_rejects_only_that_row(tmp_path, reference):
    summary = generator.generate(tmp_path, 20, 13, formats=["csv"], reference=reference)
    path = summary.paths["csv"][0]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    number = rows[5][1]  # the fifth record, row 6 of the file
    wrong = "0" if number[-1] != "0" else "1"
    rows[5][1] = number[:-1] + wrong
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    manifest = import_file(path)
    assert (manifest.status, manifest.read, manifest.created, manifest.rejected) == ("done", 20, 19, 1)
    problem = manifest.problems[0]
    assert problem["record"] == "row 6" and problem["field"] == "申请号"
    assert f"check character is {wrong}, should be {number[-1]}" in problem["reason"]
    assert not Patent.objects.filter(application_number=number[2:].replace(".", "")).exists()


@pytest.mark.django_db
def test_one_application_twice_in_a_file_keeps_the_later_record(tmp_path, reference):
    """A later publication of the same application in the same batch (a grant after its application) replaces
    the earlier one's parties, classes, citations and events, as it does from a later file: none twice."""
    path = generator.generate(tmp_path, 5, 17, formats=["csv"], reference=reference).paths["csv"][0]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    title = rows[0].index("专利名称")
    later = [*rows[2]]
    later[title] = "一种改进后的测试用钛合金紧固件"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([*rows, later])
    manifest = import_file(path)
    assert (manifest.read, manifest.created, manifest.updated, manifest.rejected) == (6, 5, 1, 0)
    patent = Patent.objects.get(title=later[title])
    once = import_file(path)  # the same file again: nothing changes
    assert (once.unchanged, once.created + once.updated) == (6, 0)
    assert Party.objects.filter(patent=patent).exists()
    for model in (Party, Classification, Citation, LegalEvent):
        written = model.objects.filter(patent=patent)
        assert written.count() == len(set(written.values_list(
            *{Party: ("role", "sequence"), Classification: ("scheme", "sequence"), Citation: ("sequence",),
              LegalEvent: ("date", "code")}[model])))
    assert len(search_patents("钛合金紧固件").hits) == 1


@pytest.mark.django_db
def test_gbk_csv_is_refused_whole(tmp_path, reference):
    summary = generator.generate(tmp_path, 15, 17, formats=["csv"], reference=reference)
    path = summary.paths["csv"][0]
    gbk = tmp_path / "gbk_export.csv"
    gbk.write_bytes(path.read_text(encoding="utf-8-sig").encode("gbk", errors="replace"))
    manifest = import_file(gbk)
    assert manifest.status == "failed" and manifest.format == "cn-export"
    assert "not UTF-8" in manifest.error and "GBK" in manifest.error and "nothing imported" in manifest.error
    assert manifest.created == 0 and not Patent.objects.exists()


@pytest.mark.django_db
def test_an_import_collects_garbage_less_often_and_puts_the_thresholds_back_when_it_fails(
        tmp_path, reference, monkeypatch):
    data = generator.generate(tmp_path, 10, 19, formats=["xml"], reference=reference).paths["xml"][0].read_bytes()
    cut = tmp_path / "truncated.xml"
    cut.write_bytes(data[: len(data) // 2])
    during, parse = [], core_importing.parse_failures

    def watched(items):
        during.append(gc.get_threshold())
        yield from parse(items)

    monkeypatch.setattr(core_importing, "parse_failures", watched)
    before = gc.get_threshold()
    assert import_file(cut).status == "failed"
    assert during == [core_importing.BULK_GC_THRESHOLDS] != [before]
    assert gc.get_threshold() == before


@pytest.mark.django_db
def test_truncated_xml_writes_nothing(tmp_path, reference):
    summary = generator.generate(tmp_path, 40, 19, formats=["xml"], per_file=40, reference=reference)
    data = summary.paths["xml"][0].read_bytes()
    cut = tmp_path / "truncated.xml"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    manifest = import_file(cut)
    assert manifest.status == "failed" and manifest.format == "cnipa-xml"
    assert "not well-formed" in manifest.error and manifest.created == 0
    assert not Patent.objects.exists() and not Party.objects.exists()
