"""The USPTO parsers (``importers/fmt_uspto_*``) on every real USPTO file of the shared data folder, and the
import of those files through :func:`ipoffice.patents.importing.import_file` (re-import, truncated file, XML bomb).

Expected values were read by eye from the files themselves.
"""

import datetime
import re
from pathlib import Path

import pytest

from ipoffice.patents.importers.base import HEAD_BYTES, ParsedPatent, RecordError, detect_parser, parsers

D = datetime.date

# file → (format, documents); a document: (application number, filing date, publication or grant number,
# its date, kind, title begins, first applicant, first inventor, main IPC, citations, one cited number)
FILES = {
    "go-uspto_application_v1-5-A1_1.xml": ("uspto-application-v1.5", [
        ("09725796", D(2000, 11, 29), "20010000001", D(2001, 3, 15), "A1", "Solvent mixture for use in a vapor",
         "Lawrence A. Clark", "Lawrence A. Clark", "B08B3/00", 0, None)]),
    "go-uspto_application_v1-5-A1_2.xml": ("uspto-application-v1.5", [
        ("09726341", D(2000, 12, 1), "20010000002", D(2001, 3, 15), "A1", "Process for detecting and correcting",
         "Wolfgang Ruf", "Wolfgang Ruf", "D21C11/12", 0, None)]),
    "go-uspto_application_v4-0-A1.xml": ("uspto-application-v4.0", [
        ("10909766", D(2004, 8, 2), "20050000001", D(2005, 1, 6), "A1", "Novelty jeans",
         "Tina Goldkind", "Tina Goldkind", "A41D1/06", 0, None)]),
    "go-uspto_application_v4-0-A2_1.xml": ("uspto-application-v4.0", [
        ("10743857", D(2003, 12, 22), "20050004655", D(2005, 1, 6), "A2", "METHODS AND APPARATUS FOR A STENT",
         "Abbott Labortories Vascular Enterprises Limited", "Randolf Von Oepen", "A61F2/06", 0, None)]),
    "go-uspto_application_v4-4-A1.xml": ("uspto-application-v4.4", [
        ("17173265", D(2021, 2, 11), "20210267109", D(2021, 9, 2), "A1", "METHODS AND APPARATUS FOR YARD AND GARDEN",
         "Daniel O'Keefe", "Daniel O'Keefe", "A01B1/04", 0, None)]),
    "go-uspto_application_v4-4-A2.xml": ("uspto-application-v4.4", [
        ("14266913", D(2014, 5, 1), "20150075015", D(2015, 3, 19), "A2", "RAZOR WITH CUTTING BLADE",
         "Thomas J. Bucco", "Thomas J. Bucco", "B26B21/52", 0, None)]),
    "go-uspto_application_v4-5-A1.xml": ("uspto-application-v4.5", [
        ("17437086", D(2019, 9, 19), "20220159901", D(2022, 5, 26), "A1", "SEED DISTRIBUTOR USED FOR AGRICULTURAL",
         "Ariel Alberto Antonio Spinsanti", "Ariel Alberto Antonio Spinsanti", "A01C7/04", 0, None)]),
    "go-uspto_application_v4-5-A2.xml": ("uspto-application-v4.5", [
        ("17309147", D(2019, 11, 5), "20220160114", D(2022, 5, 26), "A2", "CARRYING CASE WITH PIVOTING HOUSING",
         "BEVIS GEAR INC.", "Matthew Bevis", "A45F3/04", 0, None)]),
    "go-uspto_grant_v2-5-B1.xml": ("uspto-grant-v2.5", [
        ("09529968", D(2000, 4, 24), "06334226", D(2002, 1, 1), "B1", "Faucet support member",
         "Toto Ltd.", "Osamu Tokunaga", "E03C1/04", 14, "3669141")]),
    "go-uspto_grant_v2-5-B2.xml": ("uspto-grant-v2.5", [
        ("09782496", D(2001, 2, 13), "06530116", D(2003, 3, 11), "B2", "Vacuum cleaner with muffled detachable",
         "Shop Vac Corporation", "Robert C. Berfield", "A47L5/14", 37, "2276844")]),
    "go-uspto_grant_v2-5-S1.xml": ("uspto-grant-v2.5", [
        ("29129833", D(2000, 9, 22), "D0452599", D(2002, 1, 1), "S1", "Confection item in the form of a tied braid",
         "Ute Rossi-Wolter", "Ute Rossi-Wolter", None, 4, "3530862")]),
    "go-uspto_grant_v4-0-B2.xml": ("uspto-grant-v4.0", [
        ("10141259", D(2002, 5, 7), "06857133", D(2005, 2, 22), "B2", "Method and apparatus for manufacturing",
         "David V. Reynolds", "David V. Reynolds", "A41D13/00", 8, "3820200")]),
    "go-uspto_grant_v4-5-B1.xml": ("uspto-grant-v4.5", [
        ("14558596", D(2014, 12, 2), "09358892", D(2016, 6, 7), "B1", "System and method for pre-charging a hybrid",
         "Toyota Motor Engineering & Manufacturing North America, Inc.", "Geoffrey D. Gaither", "B60L9/00", 28,
         "5856709")]),
    "go-uspto_grant_v4-5-B2.xml": ("uspto-grant-v4.5", [
        ("16232658", D(2018, 12, 26), "11147202", D(2021, 10, 19), "B2", "Wheeled hand truck",
         "Yeow Ng", "Yeow Ng", "A01B1/24", 41, "554139")]),
    "go-uspto_test.xml": ("uspto-grant-v4.5", [
        ("16232658", D(2018, 12, 26), "11147202", D(2021, 10, 19), "B2", "Wheeled hand truck",
         "Yeow Ng", "Yeow Ng", "A01B1/24", 41, "554139"),
        ("15900792", D(2018, 2, 20), "11147203", D(2021, 10, 19), "B2", "Middle mounted implement tractor",
         "Philip Jensen", "Philip Jensen", "A01B51/02", 19, "3027662")]),
    "ppd_US03932709.greenbook": ("uspto-aps", [
        ("05449155", D(1974, 3, 7), "03932709", D(1976, 1, 13), "A", "Electronic business telephone",
         "General Teletronics Incorporated", "Don G. Hoff", "H04M11/00", 9, "3518629")]),
    "ppd_US03937375.greenbook": ("uspto-aps", [
        ("05518454", D(1974, 10, 29), "03937375", D(1976, 2, 10), "A", "Bumper support for a boat loader",
         "Everette E. Daniels", "Everette E. Daniels", "B60R9/00", 5, "2542907")]),
    "ppd_US04347903.greenbook": ("uspto-aps", [
        ("06192529", D(1980, 3, 10), "04347903", D(1982, 9, 7), "A", "Electronic reading balance",
         "Shimadzu Corporation", "Shozo Yano", "G01G19/04", 3, "4102421")]),
    "ppd_US06336130.xml": ("uspto-grant-v2.5", [
        ("09413215", D(1999, 10, 5), "06336130", D(2002, 1, 1), "B1", "Arrangement for improving availability",
         "Telefonaktiebolaget LM Ericsson (publ)", "Thanh Van Do", "G06F15/16", 9, "5825759")]),
    "ppd_US06337117.xml": ("uspto-grant-v2.5", [
        ("09343526", D(1999, 6, 30), "06337117", D(2002, 1, 8), "B1", "Optical memory device",
         "Mitsubishi Chemical Corporation", "Shinya Maenosono", "B32B3/02", 2, "5422489")]),
    "ppd_US06859910.xml": ("uspto-grant-v4.0", [
        ("09832323", D(2001, 4, 10), "06859910", D(2005, 2, 22), "B2", "Methods and systems for transactional",
         "Bluestreak.com", "John Charles Croy", "G06F15/00", 8, "5793966")]),
    "ppd_US06970935.xml": ("uspto-grant-v4.0", [
        ("09703574", D(2000, 11, 1), "06970935", D(2005, 11, 29), "B1", "Conversational networking via transport",
         "International Business Machines Corporation", "Stephane H. Maes", "G06F15/16", 11, "5918020")]),
    "ppd_US07272630B2.xml": ("uspto-grant-v4.2", [
        ("10991571", D(2004, 11, 18), "07272630", D(2007, 9, 18), "B2", "Locating potentially identical objects",
         "Microsoft Corporation", "John R. Douceur", "G06F15/13", 116, "5202982")]),
    "ppd_US08926509.xml": ("uspto-grant-v4.5", [
        ("12134151", D(2008, 6, 5), "08926509", D(2015, 1, 6), "B2", "Wireless physiological sensor patches",
         "Surendar Magar", "Surendar Magar", "A61B5/00", 160, "4313443")]),
    "ppd_US08927118.xml": ("uspto-grant-v4.5", [
        ("13349377", D(2012, 1, 12), "08927118", D(2015, 1, 6), "B2", "Material for organic electroluminescence",
         "Tomoki Kato", "Tomoki Kato", "H05B33/14", 104, "5843607")]),
    "ppd_US08930553.xml": ("uspto-grant-v4.5", [
        ("13648029", D(2012, 10, 9), "08930553", D(2015, 1, 6), "B2", "Managing mid-dialog session initiation",
         "International Business Machines Corporation", "Nitzan Nissim", "G06F15/16", 21, "7844851")]),
    "ppd_US20010000044A1.xml": ("uspto-application-v1.5", [
        ("09342866", D(1999, 6, 29), "20010000044", D(2001, 3, 15), "A1", "Systems and Methods For Transacting",
         "Wayne W Lin", "Wayne W Lin", "G06F17/60", 0, None)]),
    "ppd_US20010000943A1.xml": ("uspto-application-v1.5", [
        ("09727454", D(2000, 12, 4), "20010000943", D(2001, 5, 10), "A1", "Organic electroluminescence device",
         "IDEMITSU KOSAN CO., LTD.", "Kenichi Fukuoka", "H01J1/62", 0, None)]),
    "ppd_US20010009014A1.xml": ("uspto-application-v1.5", [
        ("09777392", D(2001, 2, 5), "20010009014", D(2001, 7, 19), "A1", "Facilitating real-time, multi-point",
         "James A. Savage, III", "James A. Savage, III", "G06F15/16", 0, None)]),
    "ppd_US20050004437A1.xml": ("uspto-application-v4.0", [
        ("10830857", D(2004, 4, 23), "20050004437", D(2005, 1, 6), "A1", "Simulation device for playful evaluation",
         "Heiner Kaufmann", "Heiner Kaufmann", "A61B5/00", 0, None)]),
    "ppd_US20050004974A1.xml": ("uspto-application-v4.0", [
        ("10687244", D(2003, 10, 16), "20050004974", D(2005, 1, 6), "A1", "Device model agent",
         "Xerox Corporation", "Naveen Sharma", "G06F15/16", 0, None)]),
    "ppd_USD435854S1.xml": ("uspto-grant-sgml-v2.4", [
        ("29116510", D(1999, 1, 6), "D0435854", D(2001, 1, 2), "S", "Disc cartridge",
         "Hitachi Maxell, Ltd.", "Hiroyoshi Takagi", None, 10, "D271298")]),
}


@pytest.fixture
def uspto(shared_data) -> Path:
    folder = shared_data / "patents" / "uspto"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    return folder


def _records(path: Path) -> list:
    return list(detect_parser(path)().parse(path))


def _uspto_parsers():
    return [p for p in parsers() if p.format.startswith("uspto-")]


def test_every_uspto_file_is_covered(uspto):
    present = {p.name for p in uspto.iterdir() if p.is_file() and "LICENSE" not in p.name.upper()}
    assert present == set(FILES)


@pytest.mark.parametrize("name", sorted(FILES))
def test_detected_by_exactly_one_uspto_parser(uspto, name):
    path = uspto / name
    head = path.read_bytes()[:HEAD_BYTES]
    assert [p.format for p in _uspto_parsers() if p.detect(head, name)] == [FILES[name][0]]
    assert detect_parser(path).format == FILES[name][0]


def test_no_uspto_parser_claims_other_offices_files(shared_data):
    others = [p for p in (shared_data / "patents").rglob("*") if p.is_file() and "uspto" not in p.parts]
    assert others
    for path in others:
        head = path.read_bytes()[:HEAD_BYTES]
        assert not [p.format for p in _uspto_parsers() if p.detect(head, path.name)], path.name


@pytest.mark.parametrize("name", sorted(FILES))
def test_parse(uspto, name):
    fmt, expected = FILES[name]
    records = _records(uspto / name)
    assert [type(r) for r in records] == [ParsedPatent] * len(expected)
    grant = "grant" in fmt or fmt == "uspto-aps"
    for i, (record, values) in enumerate(zip(records, expected, strict=True), start=1):
        (application, filed, number, published, kind, title, applicant, inventor, ipc, n_citations, cited) = values
        assert record.office == "US"
        assert record.record == f"document {i}"
        assert (record.application_number, record.application_date) == (application, filed)
        if grant:
            assert (record.grant_number, record.grant_date, record.publication_number) == (number, published, "")
        else:
            assert (record.publication_number, record.publication_date, record.grant_number) == (number, published, "")
        assert record.kind == kind
        assert record.title.startswith(title)
        assert record.patent_type == ("design" if kind.startswith("S") else "invention")
        assert next(p.name for p in record.parties if p.role == "applicant") == applicant
        assert next(p.name for p in record.parties if p.role == "inventor") == inventor
        assert (record.ipc[0] if record.ipc else None) == ipc
        assert len(record.citations) == n_citations
        if cited:
            assert cited in {c.cited_number for c in record.citations}
        assert record.family_id == ""
        assert record.abstract or kind.startswith("S")


# --- details of particular files -------------------------------------------------------------------------------

def test_grant_v45_details(uspto):
    (record,) = _records(uspto / "go-uspto_grant_v4-5-B1.xml")
    assert record.cpc[:2] == ["B60L11/1809", "B60K35/00"]
    assert record.ipc == ["B60L9/00", "B60L11/00", "B60L11/18", "G01C21/26", "B60K35/00", "B60W20/00"]
    assert record.claims_count == 20
    assert record.first_claim.startswith("1. A pre-charging system for improving reverse direction hill climb "
                                         "performance of a hybrid vehicle, comprising: a battery having a state")
    toyota, inventor, agent = record.parties  # the assignee repeats the applicant: kept once
    assert (toyota.address, toyota.country) == ("Erlanger, KY, US", "US")
    assert (inventor.address, inventor.country) == ("Nagoya, JP", "JP")
    assert (agent.name, agent.role, agent.country) == ("Snell & Wilmer LLP", "agent", "")
    first = record.citations[0]
    assert (first.cited_office, first.cited_number, first.cited_kind, first.cited_date) == ("US", "5856709", "A",
                                                                                           D(1999, 1, 1))
    assert (first.category, first.cited_by) == ("cited by applicant", "applicant")
    examiner = [c for c in record.citations if c.cited_by == "examiner"]
    assert examiner[0].cited_number == "7653474"
    npl = [c for c in record.citations if c.non_patent]
    assert len(npl) == 4 and npl[0].non_patent.startswith("Route profile analysis")


def test_application_v45_pct(uspto):
    (record,) = _records(uspto / "go-uspto_application_v4-5-A1.xml")
    assert record.pct == {"application_number": "PCT/IB2019/057948", "filing_date": "2019-09-19",
                          "national_phase_date": "2021-09-08"}
    assert record.cpc == ["A01C7/04"]


def test_application_v40_priority_and_assignee(uspto):
    (record,) = _records(uspto / "go-uspto_application_v4-0-A2_1.xml")
    assert record.priorities == [{"country": "DE", "number": "19840645.2", "date": "1998-09-05"}]
    assert record.priority_date == D(1998, 9, 5)
    assert [p.name for p in record.parties if p.role == "inventor"] == ["Randolf Von Oepen", "Gerd Seibold"]
    abbott = record.parties[0]
    assert (abbott.role, abbott.address, abbott.country) == ("applicant", "Galway, IE", "IE")


def test_grant_v25_pct_priorities_and_entities(uspto):
    (record,) = _records(uspto / "go-uspto_grant_v2-5-B1.xml")
    assert record.pct == {"application_number": "PCT/JP98/04545", "filing_date": "1998-10-08",
                          "national_phase_date": "2000-04-24", "publication_number": "WO99/20849",
                          "publication_kind": "A", "publication_date": "1999-04-29"}
    assert [p["number"] for p in record.priorities] == ["9-290033", "10-95065"]
    assert record.priority_date == D(1997, 10, 22)
    assert record.claims_count == 31
    (record,) = _records(uspto / "ppd_US06336130.xml")
    assert record.ipc == ["G06F15/16", "G06F13/00"]
    npl = [c.non_patent for c in record.citations if c.non_patent]
    assert any("\u2018Intelligence on Demand\u2019" in text for text in npl)  # &lsquo; &rsquo; (undeclared)
    (record,) = _records(uspto / "go-uspto_grant_v2-5-B2.xml")
    assert {c.category for c in record.citations} == {"cited by examiner", "cited by other"}
    assert record.citations[-1].non_patent.startswith("Photographs (4) of vacuum cleaner")


def test_designs_carry_locarno_not_ipc(uspto):
    (record,) = _records(uspto / "go-uspto_grant_v2-5-S1.xml")
    assert (record.locarno, record.ipc, record.patent_type) == (["01-01"], [], "design")
    (record,) = _records(uspto / "ppd_USD435854S1.xml")
    assert (record.locarno, record.ipc, record.claims_count) == (["14-02"], [], 1)
    assert [p.name for p in record.parties if p.role == "applicant"] == [
        "Hitachi Maxell, Ltd.", "Sanyo Electric Co.,Ltd.", "Olympus Optical Co., Ltd."]


def test_pap_details(uspto):
    (record,) = _records(uspto / "go-uspto_application_v1-5-A1_1.xml")
    assert record.pct == {"application_number": "PCT/US97/05183", "filing_date": "1997-03-28"}
    (record,) = _records(uspto / "ppd_US20010000943A1.xml")
    assert record.priorities == [{"country": "JP", "number": "11-097727", "date": "1999-04-05"}]
    assert record.claims_count == 13 and record.first_claim.startswith("1. An organic electroluminescence device")
    assert "\u2212" in record.first_claim  # &minus;
    (record,) = _records(uspto / "ppd_US20010000044A1.xml")
    assert record.abstract.startswith("A business model")


def test_aps_details(uspto):
    (record,) = _records(uspto / "ppd_US04347903.greenbook")
    assert record.priorities == [{"country": "JP", "number": "53/84696", "date": "1978-07-10"}]
    assert record.pct == {"application_number": "PCT/JP79/00178", "filing_date": "1979-07-05",
                          "national_phase_date": "1980-03-10", "publication_number": "WO80/00272",
                          "publication_date": "1980-02-21"}
    assert record.ipc == ["G01G19/04", "G01G23/10", "G06F7/28"]
    assert [p.name for p in record.parties if p.role == "agent"] == ["George B. Oujevolk"]
    assert record.parties[1].country == "JP"  # JPX
    (record,) = _records(uspto / "ppd_US03932709.greenbook")
    assert record.claims_count == 17
    assert record.first_claim.startswith("1. An electronic communications terminal comprising: a. keyboard means")
    assert record.first_claim.endswith("in the telephone mode.")


# --- streaming, bad documents, unsafe XML --------------------------------------------------------------------

def test_bulk_file_with_a_document_without_title(uspto, tmp_path):
    data = (uspto / "go-uspto_test.xml").read_text()
    head, tail = data.split("<?xml", 2)[1:]
    tail = tail.replace("<invention-title id=\"d2e43\">Middle mounted implement tractor</invention-title>", "")
    path = tmp_path / "bulk.xml"
    path.write_text(f"<?xml{head}<?xml{tail}")
    first, second = _records(path)
    assert first.grant_number == "11147202"
    assert isinstance(second, RecordError)
    assert (second.record, second.field) == ("document 2", "title")


def test_declaration_in_mid_line_and_entities_without_doctype(uspto, tmp_path):
    one = (uspto / "go-uspto_application_v1-5-A1_1.xml").read_bytes().rstrip()
    two = (uspto / "go-uspto_application_v1-5-A1_2.xml").read_bytes()
    path = tmp_path / "pa010315.xml"
    path.write_bytes(one + two)  # '</patent-application-publication><?xml …' as in the 2001 weekly files
    assert [r.publication_number for r in _records(path)] == ["20010000001", "20010000002"]
    text = (uspto / "go-uspto_application_v4-0-A1.xml").read_text()  # no declaration, no DOCTYPE
    path = tmp_path / "entity.xml"
    path.write_text(text.replace(">Novelty jeans<", ">&lsquo;Novelty&rsquo; jeans&mdash;x<"))
    assert _records(path)[0].title == "\u2018Novelty\u2019 jeans\u2014x"


def test_sgml_weekly_file(uspto, tmp_path):
    """The 2001 sample turned back into SGML as the weekly files have it (no XML declaration, a public DOCTYPE
    without system identifier, EMPTY elements without end tag, unquoted attributes), two patents in a row."""
    xml = (uspto / "ppd_USD435854S1.xml").read_text()
    sgml = xml.replace('<?xml version="1.0" encoding="UTF-8"?>\n', "")
    sgml = re.sub(r'<!-- (<!DOCTYPE PATDOC PUBLIC "[^"]*" \[) -->\s*<!DOCTYPE PATDOC SYSTEM "[^"]*" \[', r"\1", sgml)
    sgml = re.sub(r'<(CITED-BY-EXAMINER|B597US)/>', r"<\1>", sgml)
    sgml = re.sub(r'<EMI ID="([^"]*)" FILE="([^"]*)"/>', r"<EMI ID=\1 FILE=\2>", sgml)
    assert "<CITED-BY-EXAMINER>" in sgml and "<EMI ID=EMI-D00000" in sgml and not sgml.startswith("<?xml")
    path = tmp_path / "pg010102.sgm"
    path.write_text(sgml + sgml.replace("D0435854", "D0435855"))
    assert detect_parser(path).format == "uspto-grant-sgml-v2.4"
    first, second = _records(path)
    assert (first.grant_number, second.grant_number) == ("D0435854", "D0435855")
    assert (second.title, second.locarno, len(second.citations)) == ("Disc cartridge", ["14-02"], 10)
    assert second.citations[0].category == "cited by examiner"


def _bomb(levels: int) -> str:
    refs = {i: ("&lol%s;" % (i - 1 if i > 1 else "")) * 10 for i in range(1, levels + 1)}
    entities = '<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{i} "{ref}">' for i, ref in refs.items())
    return (f'<?xml version="1.0"?>\n<!DOCTYPE us-patent-grant [{entities}]>\n'
            f'<us-patent-grant dtd-version="v4.5 2014-04-03"><us-bibliographic-data-grant>'
            f"<invention-title>&lol{levels};</invention-title></us-bibliographic-data-grant></us-patent-grant>\n")


@pytest.mark.parametrize("levels", [3, 9])
def test_xml_bomb_is_refused(tmp_path, levels):
    path = tmp_path / "bomb.xml"
    path.write_text(_bomb(levels))
    assert detect_parser(path).format == "uspto-grant-v4.5"
    with pytest.raises(ValueError, match="XML bomb"):
        _records(path)


# --- import ----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_import_and_reimport(uspto):
    from ipoffice.patents.importing import import_file
    from ipoffice.patents.models import Citation, Patent

    manifest = import_file(uspto / "go-uspto_test.xml")
    assert (manifest.status, manifest.format, manifest.error) == ("done", "uspto-grant-v4.5", "")
    assert (manifest.read, manifest.created, manifest.updated, manifest.unchanged, manifest.rejected) == (2, 2, 0, 0, 0)
    patent = Patent.objects.get(office="US", application_number="15900792")
    assert (patent.grant_number, patent.kind, patent.ipc_main, patent.cpc_main) == ("11147203", "B2", "A01B51/02",
                                                                                    "A01B51/023")
    assert patent.parties.filter(role="applicant").first().entity_id is not None
    assert Citation.objects.filter(patent=patent).count() == 19
    again = import_file(uspto / "go-uspto_test.xml")
    assert (again.status, again.read, again.created, again.updated, again.unchanged) == ("done", 2, 0, 0, 2)


@pytest.mark.django_db
def test_import_every_file(uspto):
    from ipoffice.patents.importing import import_file
    from ipoffice.patents.models import Patent
    from ipoffice.patents.search import search_patents

    applications = set()
    for name, (fmt, documents) in FILES.items():
        manifest = import_file(uspto / name)
        assert (manifest.status, manifest.format, manifest.read, manifest.rejected) == ("done", fmt, len(documents), 0)
        applications |= {d[0] for d in documents}
    assert Patent.objects.filter(office="US").count() == len(applications)
    design = Patent.objects.get(office="US", application_number="29116510")
    assert (design.patent_type, design.classifications.get().symbol) == ("design", "14-02")
    for number, application in [("US6334226", "09529968"), ("US 6,334,226 B1", "09529968"), ("D452599", "29129833"),
                                ("USD452599S1", "29129833"), ("US3932709", "05449155"), ("09/529,968", "09529968"),
                                ("US20210267109A1", "17173265")]:  # as people write them; stored 06334226, D0452599
        hits = search_patents(f'number:"{number}"', facets=False).hits
        assert [h.patent.application_number for h in hits] == [application], number


@pytest.mark.django_db
def test_truncated_file_fails_and_writes_nothing(uspto, tmp_path):
    from ipoffice.patents.importing import import_file
    from ipoffice.patents.models import Patent

    data = (uspto / "go-uspto_test.xml").read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) * 3 // 4])  # the second document is cut off
    before = Patent.objects.count()
    manifest = import_file(path)
    assert manifest.status == "failed"
    assert "document 2" in manifest.error and "truncated" in manifest.error
    assert manifest.created == 0
    assert Patent.objects.count() == before


@pytest.mark.django_db
def test_xml_bomb_import_fails_and_writes_nothing(tmp_path):
    from ipoffice.patents.importing import import_file
    from ipoffice.patents.models import Patent

    path = tmp_path / "bomb.xml"
    path.write_text(_bomb(9))
    before = Patent.objects.count()
    manifest = import_file(path)
    assert (manifest.status, manifest.format) == ("failed", "uspto-grant-v4.5")
    assert "XML bomb" in manifest.error
    assert Patent.objects.count() == before


@pytest.mark.parametrize("name, dtd, version, fmt", [
    ("go-uspto_grant_v4-5-B2.xml", "us-patent-grant-v46-2021-08-30.dtd", "v4.6 2021-08-30", "uspto-grant-v4.6"),
    ("go-uspto_grant_v4-5-B2.xml", "us-patent-grant-v47-2022-02-17.dtd", "v4.7 2022-02-17", "uspto-grant-v4.7"),
    ("go-uspto_application_v4-5-A1.xml", "us-patent-application-v46-2022-02-17.dtd", "v4.6 2022-02-17",
     "uspto-application-v4.6"),
])
def test_later_dtd_versions_read_as_v45(uspto, tmp_path, name, dtd, version, fmt):
    """No v4.6/v4.7 file is in the shared folder: a real v4.5 document under the later DOCTYPE and version (their
    bibliographic elements are v4.5's) is detected as the later version and read exactly as the v4.5 one."""
    original = uspto / name
    raw = original.read_bytes()
    relabelled = re.sub(rb'"us-patent-(grant|application)-v45-[0-9-]+\.dtd"', f'"{dtd}"'.encode(), raw, count=1)
    relabelled = re.sub(rb'dtd-version="v4\.5 [0-9-]+"', f'dtd-version="{version}"'.encode(), relabelled, count=1)
    assert relabelled != raw
    path = tmp_path / f"relabelled-{name}"
    path.write_bytes(relabelled)
    assert detect_parser(path).format == fmt
    v45 = [item.as_dict() for item in detect_parser(original)().parse(original)]
    later = [item.as_dict() for item in detect_parser(path)().parse(path)]
    assert later == v45 and all(item["title"] for item in later)
