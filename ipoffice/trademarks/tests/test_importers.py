"""The real ST.66, ST.96 and EUIPO records import with their fields right; imports are transactional, idempotent
and keep a manifest; the Chinese register layout (CSV and XLSX) reads the generator's files."""

import shutil
from datetime import date

import pytest

from ipoffice.entities.models import Entity
from ipoffice.trademarks.generator import GENERATED, HEADER, MarkGenerator, write_csv, write_xlsx
from ipoffice.trademarks.importers.base import detect_parser
from ipoffice.trademarks.importing import import_file, import_paths
from ipoffice.trademarks.models import ImportManifest, Trademark, TrademarkParty

pytestmark = pytest.mark.django_db

ST66 = "uspto_tsdr_ST66_sn76044902_PYTHON.xml"
ST96 = "uspto_tsdr_ST96_rn2178784.xml"


def parties(mark, role):
    return [p.name for p in mark.parties.filter(role=role).order_by("sequence")]


def test_formats_are_detected(trademark_data):
    formats = {p.name: (detect_parser(p).format if detect_parser(p) else None) for p in trademark_data.iterdir()}
    assert formats == {ST66: "wipo-st66", ST96: "wipo-st96", "euipo_tm_apple_size10.json": "euipo-json",
                       "euipo_tm_search_size10.json": "euipo-json", "Plumage-py.LICENSE.txt": None}


def test_st66_python(trademark_data):
    manifest = import_file(trademark_data / ST66)
    assert (manifest.status, manifest.format, manifest.read, manifest.created) == ("done", "wipo-st66", 1, 1)
    mark = Trademark.objects.get(office="US", application_number="76044902")
    assert (mark.mark_text, mark.registration_number, mark.mark_type, mark.mark_kind) == \
        ("PYTHON", "2824281", "word", "individual")
    assert (mark.filing_date, mark.registration_date, mark.preliminary_publication_date) == \
        (date(2000, 5, 9), date(2004, 3, 23), date(2003, 12, 30))
    assert mark.status == "registered" and "Sections 8 and 15" in mark.status_text
    assert mark.status_date == date(2010, 9, 8)
    assert parties(mark, "owner") == ["PYTHON SOFTWARE FOUNDATION"]
    assert parties(mark, "former_owner") == ["Corporation for National Research Initiatives"]
    assert parties(mark, "agent") == ["Leanne Stendell"]
    owner = mark.parties.get(role="owner")
    assert owner.country == "US" and owner.capacity == "ORIGINAL REGISTRANT" and "Wolfeboro Falls" in owner.address
    assert owner.entity is not None and owner.entity.name_en.upper().startswith("PYTHON SOFTWARE")
    goods = list(mark.goods.order_by("class_number").values_list("class_number", "name"))
    assert [g[0] for g in goods] == [9, 42]
    assert goods[0][1].startswith("Computer programs and downloadable computer programs")
    events = list(mark.events.all())
    assert len(events) == 31
    assert events[0].date == date(2000, 9, 28) and events[-1].code == "C15A"
    assert mark.owner_name == "PYTHON SOFTWARE FOUNDATION" and mark.text_latin == "PYTHON"
    assert mark.region is None  # a US owner has no Guangdong district


def test_st96_java(trademark_data):
    import_file(trademark_data / ST96)
    mark = Trademark.objects.get(office="US", application_number="74631225")
    assert (mark.mark_text, mark.registration_number, mark.mark_type, mark.status) == \
        ("JAVA", "2178784", "word", "registered")
    assert (mark.filing_date, mark.registration_date, mark.preliminary_publication_date) == \
        (date(1995, 2, 7), date(1998, 8, 4), date(1996, 10, 8))
    assert mark.status_text == "The registration has been renewed."
    assert parties(mark, "owner") == ["Oracle America, Inc."]
    assert parties(mark, "former_owner") == ["Sun Microsystems, Inc."]
    assert parties(mark, "agent") == ["Andrew Roppel"]
    assert list(mark.goods.values_list("class_number", flat=True)) == [9]
    assert mark.extra["renewal_date"] == "2008-08-04"
    assert mark.events.count() == 33


def test_euipo_records(trademark_data):
    manifest = import_file(trademark_data / "euipo_tm_apple_size10.json")
    assert (manifest.read, manifest.created, manifest.rejected) == (10, 10, 0)
    golden = Trademark.objects.get(office="EM", application_number="000428557")
    assert (golden.mark_text, golden.mark_type, golden.status) == ("Golden Apple", "word", "registered")
    assert (golden.filing_date, golden.registration_date, golden.term_end) == \
        (date(1996, 12, 2), date(1998, 10, 30), date(2026, 12, 2))
    assert golden.preliminary_publication_date == date(1998, 4, 27)  # the A.1 publication
    assert sorted(golden.goods.values_list("class_number", flat=True)) == [30, 32, 33]
    assert parties(golden, "owner") == ["Berentzen-Gruppe Aktiengesellschaft"]
    assert golden.events.count() == 6
    apple_tv = Trademark.objects.get(application_number="W00928475")
    assert (apple_tv.madrid_role, apple_tv.international_registration_number, apple_tv.designation_date) == \
        ("designation", "928475", date(2007, 5, 7))
    assert parties(apple_tv, "owner") == ["Apple Inc."] and parties(apple_tv, "agent") == ["LOCKE LORD LLP"]
    finlandia = Trademark.objects.get(application_number="000111153")
    assert (finlandia.mark_type, finlandia.status) == ("figurative", "expired")
    statuses = dict(Trademark.objects.filter(office="EM").values_list("application_number", "status"))
    assert statuses["000869644"] == "refused" and statuses["W00895170"] == "cancelled"

    import_file(trademark_data / "euipo_tm_search_size10.json")
    rizla = Trademark.objects.get(application_number="000274084")
    assert (rizla.mark_text, rizla.mark_type) == ("RIZLA+ INTERNATIONAL", "figurative")
    assert parties(rizla, "agent") == ["STEVENS HEWLETT & PERKINS"]
    assert Trademark.objects.get(application_number="000274977").status == "withdrawn"


def test_reimport_changes_nothing(trademark_data):
    first = import_paths([trademark_data])
    assert {m.status for m in first} == {"done"}
    assert sum(m.created for m in first) == 22
    counts = (Trademark.objects.count(), TrademarkParty.objects.count(), Entity.objects.count())
    again = import_paths([trademark_data])
    assert sum(m.unchanged for m in again) == 22 and sum(m.created + m.updated for m in again) == 0
    assert (Trademark.objects.count(), TrademarkParty.objects.count(), Entity.objects.count()) == counts
    assert ImportManifest.objects.filter(status="done").count() == 8


def test_a_truncated_file_imports_nothing(trademark_data, tmp_path):
    broken = tmp_path / "broken_st96.xml"
    text = (trademark_data / ST96).read_bytes()
    broken.write_bytes(text[: len(text) // 2])
    manifest = import_file(broken)
    assert manifest.status == "failed" and "not well-formed XML" in manifest.error
    assert "broken_st96.xml" in manifest.error
    assert not Trademark.objects.exists()

    unknown = tmp_path / "notes.txt"
    unknown.write_text("hello")
    assert "format not recognised" in import_file(unknown).error


def test_bad_records_are_rejected_with_their_reason(trademark_data, tmp_path):
    import json

    data = json.loads((trademark_data / "euipo_tm_search_size10.json").read_text())
    data["trademarks"][2]["niceClasses"] = [25, 99]
    data["trademarks"][4]["applicationNumber"] = ""
    path = tmp_path / "euipo_edited.json"
    path.write_text(json.dumps(data))
    manifest = import_file(path)
    assert (manifest.status, manifest.created, manifest.rejected) == ("done", 8, 2)
    reasons = {p["record"]: p["reason"] for p in manifest.problems}
    assert reasons == {"record 3": "Nice class 99 is not 1-45", "record 5": "no applicationNumber"}


def test_generated_register_extract_csv_and_xlsx(tmp_path, django_db_blocker):
    csv_path, xlsx_path = tmp_path / "register.csv", tmp_path / "register.xlsx"
    write_csv(csv_path, 60, seed=7, as_of=date(2020, 12, 31), workers=1)
    write_xlsx(xlsx_path, 5, seed=8, as_of=date(2020, 12, 31))
    assert detect_parser(csv_path).format == "cn-register-csv"
    assert detect_parser(xlsx_path).format == "cn-register-xlsx"
    manifest = import_file(csv_path)
    assert (manifest.status, manifest.created, manifest.rejected) == ("done", 60, 0), manifest.problems
    marks = Trademark.objects.filter(source_format="cn-register-csv")
    assert marks.filter(is_generated=True).count() == 60
    registered = marks.filter(status="registered").first()
    assert registered.term_start == registered.registration_date and registered.term_end
    assert registered.goods.exclude(group_code="").exists()
    owner = registered.parties.get(role="owner")
    assert owner.entity is not None and owner.region is not None and owner.region.code.startswith("44")
    assert registered.region_id == owner.region_id
    assert import_file(csv_path).unchanged == 60
    assert import_file(xlsx_path).updated == 5  # the same generated numbers, other marks (another seed)


def test_generator_is_deterministic_and_labelled():
    one = MarkGenerator(seed=3).chunk(0, 200)
    two = MarkGenerator(seed=3).chunk(0, 200)
    assert one == two and MarkGenerator(seed=4).chunk(0, 200) != one
    assert all(row[HEADER.index("数据来源")] == GENERATED for row in one)
    assert MarkGenerator(seed=3).chunk(150, 50) == one[150:]
    texts = [row[HEADER.index("商标名称")] for row in one]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)  # Chinese
    assert any(t.isascii() and t.isalpha() for t in texts)  # pinyin or English


def test_register_extract_errors_name_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    rows = MarkGenerator(seed=5).chunk(0, 3)
    rows[1][HEADER.index("国际分类")] = "99"
    rows[2][HEADER.index("专用权期限")] = "ten years"
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    manifest = import_file(path)
    assert manifest.created == 1 and manifest.rejected == 2
    assert [p["record"] for p in manifest.problems] == ["row 3", "row 4"]
    assert "国际分类 '99'" in manifest.problems[0]["reason"]
    assert "专用权期限 'ten years'" in manifest.problems[1]["reason"]
    missing = tmp_path / "missing.csv"
    missing.write_text("注册号,商标名称\n1,甲\n", encoding="utf-8")
    result = import_file(missing)
    assert result.status == "failed" and "missing column(s)" in result.error


def test_import_cli(trademark_data, tmp_path, capsys):
    from django.core.management import call_command

    shutil.copy(trademark_data / ST96, tmp_path / ST96)
    call_command("trademarks", "import", str(tmp_path / ST96))
    out = capsys.readouterr().out
    assert "wipo-st96" in out and "created 1" in out
