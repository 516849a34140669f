"""The EPO parsers on every real file in ``../shared/data/patents/epo_eps``, ``epo_docdb`` and ``epo_ops``:
detection by the root element, record counts, key fields against the values in the files, the safe reader
(XML bombs refused, hand-edited samples repaired, truncation fails), and imports through the import service.

Expected values were read from the XML files themselves (``B110``, ``B210``, ``B542``, ``classification-ipcr``
with ``AFI`` …), not from the parsers' output.
"""

import datetime
import shutil
from pathlib import Path

import pytest

from ipoffice.patents.importers.base import HEAD_BYTES, ParsedPatent, RecordError, detect_parser, parsers
from ipoffice.patents.importers.fmt_epo_common import (
    RepairingReader,
    UnsafeXML,
    ipc_symbol,
    iter_elements,
    root_element,
    text_of,
)
from ipoffice.patents.importers.fmt_epo_docdb import EpoDocdbParser
from ipoffice.patents.importers.fmt_epo_eps import EpoEpsParser
from ipoffice.patents.importers.fmt_epo_ops import EpoOpsParser
from ipoffice.patents.importing import import_file
from ipoffice.patents.models import ImportManifest, Party, Patent

D = datetime.date

# file: (doc-number, kind, application (B210 without the dot), filing date, English title, first applicant,
#        main IPC, claims in the English set (None: no claims), citations (B561 + B562 + ep-reference-list))
EPS = {
    "application_v1-0-A1.xml": ("1325900", "A1", "01963450", D(2001, 9, 5), "PROCESS FOR PRODUCING FLUOROALKANOL",
                                "ASAHI GLASS COMPANY LTD.", "C07C29/44", 7, 0),
    "application_v1-0-A2.xml": ("1326188", "A2", "02019404", D(2002, 8, 30),
                                "Method and system for establishing the usage costs for the use of an apparatus",
                                "Phoenix Contact GmbH & Co. KG", "G06F17/60", 19, 0),
    "application_v1-01-A1.xml": ("1679948", "A1", "04768329", D(2004, 9, 2), "WEB COVERS FOR CONVEYOR SCREENS",
                                 "Rankin, David", "A01D17/10", None, 0),
    "application_v1-01-A2.xml": ("1680538", "A2", "04794205", D(2004, 10, 26),
                                 "COMPOSITE YARN AND PRODUCTS MADE THEREFROM", "Supreme Elastic Corporation",
                                 "D02G3/02", None, 0),
    "application_v1-1-A1.xml": ("0000002", "A1", "78100007", D(1978, 6, 1),
                                "Tetrahydrofurane derivatives, processes for their preparation and their use as "
                                "herbicides", "BAYER AG", "C07D307/12", 6, 0),
    "application_v1-1-A2.xml": ("1792486", "A2", "04795906", D(2004, 10, 19),
                                "SYSTEMS FOR UNIFYING HETEROGENEOUS MULTIMEDIA TUNERS", "Microsoft Corporation",
                                "H04N7/173", None, 0),
    "application_v1-2-A1.xml": ("1921219", "A1", "06381048", D(2006, 11, 8),
                                "Sound damping and fire restistant insulating panel and its manufacturing procedure",
                                "Lloveras Calvo, Juan", "E04B1/88", 11, 2),
    "application_v1-2-A2.xml": ("1873405", "A2", "07012363", D(2007, 6, 25), "Chipboard screw",
                                "SWG Schraubenwerk Gaisbach GmbH", "F16B25/10", 17, 1),
    "application_v1-3-A1.xml": ("1981358", "A1", "07704233", D(2007, 1, 30),
                                "NUTRITIONAL COMPOSITION FOR LOW BIRTH WEIGHT INFANTS", "Nestec S.A.", "A23L1/29",
                                None, 0),
    "application_v1-3-A2.xml": ("2007181", "A2", "07738344", D(2007, 3, 13), "CONTROLLER FOR INDUSTRIAL ROBOT",
                                "KABUSHIKI KAISHA YASKAWA DENKI", "H05K5/02", 3, 2),
    "application_v1-4-A1-1.xml": ("0560858", "A1", "92900624", D(1991, 12, 4),
                                  "NOZZLE ASSEMBLY FOR PREVENTING BACK-FLOW", "DMW (TECHNOLOGY) LIMITED", "B05B7/00",
                                  None, 0),
    "application_v1-4-A1.xml": ("2055205", "A1", "08018756", D(2008, 10, 27), "Bobby pin",
                                "Tsorng TA Enterprise Co., Ltd.", "A45D8/20", 6, 0),
    "application_v1-4-A2.xml": ("2136607", "A2", "09007746", D(2009, 6, 12),
                                "Method for operating a battery powered torch", "Metabowerke GmbH", "H05B37/02", 15, 3),
    "application_v1-5-1-A1-1.xml": ("4090146", "A1", "21741385", D(2021, 1, 14), "POWER TAKEOFF CONTROL",
                                    "Zimeno, Inc. DBA Monarch Tractor", "A01B71/02", None, 0),
    "application_v1-5-1-A1-2.xml": ("3889521", "A1", "18867314", D(2018, 11, 30),
                                    "CONTROL DEVICE AND AIR CONDITIONING DEVICE",
                                    "Hitachi-Johnson Controls Air Conditioning, Inc.", "F25B45/00", 17, 0),
    "application_v1-5-1-A1.xml": ("3882239", "A1", "19883405", D(2019, 11, 14),
                                  "1,3,4-OXADIAZOLONE COMPOUND AND MEDICINE", "Nippon Shinyaku Co., Ltd.",
                                  "C07D271/113", 14, 108),
    "application_v1-5-1-A2.xml": ("3882354", "A2", "21165049", D(2018, 2, 1),
                                  "ENGINEERED GLYCOSYLTRANSFERASES AND STEVIOL GLYCOSIDE GLUCOSYLATION METHODS",
                                  "Codexis, Inc.", "C12P19/56", 15, 196),
    "application_v1-5-A1.xml": ("3782854", "A1", "18877305", D(2018, 10, 29),
                                "VEHICLE-MOUNTED DISPLAY ASSEMBLY AND VEHICLE", "BOE TECHNOLOGY GROUP CO., LTD.",
                                "B60R7/06", 12, 1),
    "application_v1-5-A2.xml": ("3814387", "A2", "19766069", D(2019, 6, 26), "RADIOPAQUE POLYMERS",
                                "Biocompatibles UK Limited", "C08F8/48", None, 0),
    "grant_v1-0-B1.xml": ("1442058", "B1", "02779063", D(2002, 11, 18),
                          "PEPTIDES EFFECTIVE IN THE TREATMENT OF TUMORS AND OTHER CONDITIONS REQUIRING THE REMOVAL "
                          "OR DESTRUCTION OF CELLS", "NYMOX CORPORATION", "C07K14/47", 3, 4),
    "grant_v1-0-B2.xml": ("0874807", "B2", "96939832", D(1996, 11, 18),
                          "PROCESS FOR THE PREPARATION OF METHOXYMINOPHENYLGLYOXYLIC ACID DERIVATIVES",
                          "Bayer CropScience AG", "C07C249/08", 5, 5),
    "grant_v1-1-B1.xml": ("1019261", "B1", "98948476", D(1998, 9, 23),
                          "INTELLIGENT BRAKING SYSTEM FOR MATERIALS HANDLING VEHICLES", "CROWN EQUIPMENT CORPORATION",
                          "B60L7/26", 29, 6),
    "grant_v1-1-B2.xml": ("0546210", "B2", "91121229", D(1991, 12, 11),
                          "Method and apparatus for heat treating metal castings",
                          "CONSOLIDATED ENGINEERING COMPANY, INC.", "B22D29/00", 32, 5),
    "grant_v1-2-B1.xml": ("0610335", "B1", "92922494", D(1992, 10, 16), "Methods for designing recombitope peptides",
                          "Merck Patent GmbH", "C12N15/62", 14, 56),
    "grant_v1-2-B2.xml": ("0430402", "B2", "90308718", D(1990, 8, 8),
                          "Methods and compositions for chromosome-specific staining",
                          "The Regents of the University of California", "C12Q1/68", 4, 168),
    "grant_v1-3-B1.xml": ("1654642", "B1", "04777385", D(2004, 7, 1),
                          "METHODS AND APPARATUS FOR VERIFYING CONTEXT PARTICIPANTS IN A CONTEXT MANAGEMENT SYSTEM IN "
                          "A NETWORKED ENVIRONMENT", "Sentillion, Inc.", "G06F9/455", 32, 6),
    "grant_v1-3-B2.xml": ("1497510", "B2", "03721225", D(2003, 4, 22), "FLOORING", "Välinge Innovation AB",
                          "E04F15/04", 1, 20),
    "grant_v1-4-B1.xml": ("0449582", "B1", "91302636", D(1991, 3, 26), "Measuring method and apparatus",
                          "CANON KABUSHIKI KAISHA", "G03F9/00", 12, 4),
    "grant_v1-4-B2.xml": ("1451194", "B2", "02776152", D(2002, 10, 3), "PREPARATION OF LEVOFLOXACIN HEMIHYDRATE",
                          "TEVA PHARMACEUTICAL INDUSTRIES LTD.", "C07D498/06", 9, 14),
    "grant_v1-5-1-B1.xml": ("3383757", "B1", "16849316", D(2016, 8, 29),
                            "SCREW-TYPE CLOSURE SYSTEMS WITH MAGNETIC FEATURE", "ELC Management LLC", "B65D51/18",
                            8, 9),
    "grant_v1-5-1-B2.xml": ("2716170", "B2", "13196195", D(2012, 9, 14),
                            "Device for transporting material in the form of strips or tape", "Hauni Maschinenbau GmbH",
                            "A24C5/20", 4, 8),
    "grant_v1-5-B1.xml": ("3404678", "B1", "17171508", D(2017, 5, 17),
                          "HIGH VOLTAGE ASSEMBLY AND METHOD TO OPERATE THE HIGH VOLTAGE ASSEMBLY",
                          "General Electric Technology GmbH", "H01F27/14", 12, 7),
    "grant_v1-5-B2.xml": ("2743087", "B2", "13189031", D(2013, 10, 17), "Printing machine with cladding", "Krones AG",
                          "B41J3/407", 13, 6),
}
# B documents: date of the A publication (B430) and of the mention of the grant (B450)
EPS_GRANTS = {
    "grant_v1-0-B1.xml": (D(2004, 8, 4), D(2006, 7, 19)), "grant_v1-0-B2.xml": (D(1998, 11, 4), D(2002, 2, 20)),
    "grant_v1-1-B2.xml": (D(1993, 6, 16), D(1997, 10, 1)), "grant_v1-5-B2.xml": (D(2014, 6, 18), D(2016, 3, 23)),
}
# file: (documents, citations in all documents)
DOCDB = {"AP-1206-A_302101161.xml": (1, 3), "DE-backfile.xml": (10, 42), "WO-2022259205-A1_544370561.xml": (1, 23),
         "WO-2023012807-A1_507242069.xml": (1, 24), "YU-6701-A_381353354.xml": (1, 0)}
OPS = {"ops_biblio_AU2013290010.xml": (1, 0)}
FOLDERS = {"epo_eps": (EpoEpsParser, EPS), "epo_docdb": (EpoDocdbParser, DOCDB), "epo_ops": (EpoOpsParser, OPS)}
ALL_FILES = [(folder, name) for folder, (_, table) in FOLDERS.items() for name in table]


def _eps(shared_data) -> Path:
    return shared_data / "patents" / "epo_eps"


def _parse(path: Path) -> list:
    return list(detect_parser(path)().parse(path))


def _one(path: Path) -> ParsedPatent:
    records = _parse(path)
    assert len(records) == 1 and isinstance(records[0], ParsedPatent), records
    return records[0]


# --- every file: detection, counts ------------------------------------------------------------------------

def test_the_tables_cover_every_file(shared_data):
    for folder, (_, table) in FOLDERS.items():
        assert {p.name for p in (shared_data / "patents" / folder).glob("*.xml")} == set(table), folder


@pytest.mark.parametrize(("folder", "name"), ALL_FILES)
def test_detected_by_its_own_parser_only(shared_data, folder, name):
    path = shared_data / "patents" / folder / name
    expected = FOLDERS[folder][0]
    assert detect_parser(path) is expected
    head = path.read_bytes()[:HEAD_BYTES]
    claiming = [p.format for p in parsers() if p.detect(head, name)]
    assert claiming == [expected.format]  # no USPTO/CN parser, and no other EPO parser


def test_epo_parsers_claim_no_other_file(shared_data):
    ours = (EpoEpsParser, EpoDocdbParser, EpoOpsParser)
    others = [p for p in (shared_data / "patents").rglob("*") if p.is_file() and not p.parent.name.startswith("epo_")]
    for path in others:
        head = path.read_bytes()[:HEAD_BYTES]
        assert not [p for p in ours if p.detect(head, path.name)], path.name


@pytest.mark.parametrize(("head", "root"), [
    (b'<?xml version="1.0"?>\n<!DOCTYPE ep-patent-document PUBLIC "x" "y.dtd">\n<!-- c -->\n<ep-patent-document>',
     "ep-patent-document"),
    (b"\xef\xbb\xbf<exch:exchange-documents xmlns:exch='u'>", "exch:exchange-documents"),
    (b'<!DOCTYPE x [<!ELEMENT x ANY>]><world-patent-data/>', "world-patent-data"),
    (b"<!-- ep-patent-document --><us-patent-grant>", "us-patent-grant"),
    (b"PATN\nWKU  039327098", ""),
])
def test_root_element(head, root):
    assert root_element(head) == root


@pytest.mark.parametrize(("folder", "name"), ALL_FILES)
def test_record_counts(shared_data, folder, name):
    documents, citations = (1, None) if folder == "epo_eps" else FOLDERS[folder][1][name]
    records = _parse(shared_data / "patents" / folder / name)
    assert len(records) == documents
    assert all(isinstance(r, ParsedPatent) and r.record.startswith("document ") for r in records)
    if citations is not None:
        assert sum(len(r.citations) for r in records) == citations


# --- EPS -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EPS))
def test_eps_document(shared_data, name):
    number, kind, application, filed, title, applicant, ipc, claims, citations = EPS[name]
    record = _one(_eps(shared_data) / name)
    assert (record.office, record.kind, record.application_number, record.application_date) == (
        "EP", kind, application, filed)
    assert record.patent_type == "invention"
    assert record.title == title == record.titles["en"]
    assert set(record.titles) == {"de", "en", "fr"}
    assert next(p.name for p in record.parties if p.role == "applicant") == applicant
    assert any(p.role == "inventor" for p in record.parties)
    assert record.ipc[0] == ipc
    assert (record.claims_count, bool(record.first_claim)) == (claims, claims is not None)
    assert len(record.citations) == citations
    assert record.family_id == "" and record.legal_status == "" and record.events == []
    if kind.startswith("A"):
        assert (record.publication_number, record.grant_number, record.grant_date) == (number, "", None)
    else:  # an EP patent keeps its publication number
        assert record.publication_number == record.grant_number == number
        assert record.grant_date and record.publication_date < record.grant_date


@pytest.mark.parametrize("name", sorted(EPS_GRANTS))
def test_eps_grant_dates(shared_data, name):
    record = _one(_eps(shared_data) / name)
    assert (record.publication_date, record.grant_date) == EPS_GRANTS[name]


def test_eps_titles_in_each_language(shared_data):
    boe = _one(_eps(shared_data) / "application_v1-5-A1.xml")
    assert boe.titles == {"de": "FAHRZEUGMONTIERTE ANZEIGEANORDNUNG UND FAHRZEUG",
                          "en": "VEHICLE-MOUNTED DISPLAY ASSEMBLY AND VEHICLE",
                          "fr": "ENSEMBLE D'AFFICHAGE MONTÉ SUR VÉHICULE ET VÉHICULE"}
    german = _one(_eps(shared_data) / "grant_v1-5-B2.xml")  # proceedings in German: English title still the title
    assert german.titles["de"] == "Druckmaschine mit Verkleidung"
    assert german.title == "Printing machine with cladding"
    assert german.first_claim.startswith("Printing machine (102) for the direct printing of containers (120)")
    assert _one(_eps(shared_data) / "application_v1-0-A2.xml").abstracts["de"].startswith(
        "Die Erfindung betrifft die Ermittlung")


def test_eps_chinese_applicant_boe(shared_data):
    record = _one(_eps(shared_data) / "application_v1-5-A1.xml")
    applicants = [p for p in record.parties if p.role == "applicant"]
    assert [(p.name, p.country) for p in applicants] == [
        ("BOE TECHNOLOGY GROUP CO., LTD.", "CN"), ("Chengdu BOE Optoelectronics Technology Co., Ltd.", "CN")]
    assert applicants[0].address == "No. 10 Jiuxianqiao Rd. Chaoyang District, Beijing 100015"
    assert applicants[1].address == "No. 1188, Hezuo Road (West Zone), Hi-tech Development Zone Chengdu Sichuan 611731"
    assert [p.name for p in record.parties if p.role == "inventor"] == ["FENG, Yuhsiung", "GAO, Wenbao", "ZENG, Jia"]
    assert [(p.name, p.country) for p in record.parties if p.role == "agent"] == [("Cohausz & Florack", "DE")]
    assert record.priorities == [{"country": "CN", "number": "201810358967", "date": "2018-04-20"}]
    assert record.priority_date == D(2018, 4, 20)
    assert record.pct == {"application_number": "CN2018112487", "filing_date": "2018-10-29", "filing_language": "zh",
                          "publication_number": "WO2019200885", "publication_date": "2019-10-24"}
    assert record.ipc == ["B60R7/06", "B60N3/12"]
    assert (record.publication_number, record.publication_date) == ("3782854", D(2021, 2, 24))
    assert record.first_claim.startswith("A vehicular display assembly, comprising: a storage box; and a display")
    assert record.citations[0].cited_office == "CN" and record.citations[0].cited_date == D(2018, 4, 20)


def test_eps_version_forms(shared_data):
    """IPC with its edition in front (v1.0/v1.1), IPCR main first, CPC (v1.5.1), B561 texts, B562 literature."""
    old = _one(_eps(shared_data) / "application_v1-1-A1.xml")
    assert old.ipc == ["C07D307/12", "C07D407/12", "C07D307/42", "A01N43/08"]
    assert old.cpc == []
    cpc = _one(_eps(shared_data) / "application_v1-5-1-A2.xml")
    assert cpc.ipc[0] == "C12P19/56" and cpc.cpc[0] == "C12N9/1048"  # 'FI' comes first though fourth in sequence
    grant = _one(_eps(shared_data) / "grant_v1-5-1-B2.xml")
    assert [(c.cited_office, c.cited_kind, c.cited_number) for c in grant.citations[:7]] == [
        ("EP", "A2", "1186247"), ("WO", "A1", "2004045320"), ("DE", "A1", "3701285"), ("DE", "A1", "19751691"),
        ("US", "A", "4945926"), ("US", "A", "5156169"), ("US", "E", "RE36154")]
    assert grant.citations[-1].cited_by == "applicant"  # ep-reference-list: cited in the description
    literature = _one(_eps(shared_data) / "grant_v1-0-B1.xml").citations
    assert literature[2].non_patent.startswith('LASSERRE C ET AL.: "A Novel Gene (HIP) Activated')
    assert literature[2].cited_by == "examiner" and literature[2].category == ""


def test_eps_hand_edited_samples_are_repaired(shared_data):
    """Three samples have a bare '&' and one a bare '<' ('<First Embodiment</heading>'): still read."""
    agents = {p.name for p in _one(_eps(shared_data) / "application_v1-4-A1.xml").parties if p.role == "agent"}
    assert "Kador & Partner" in agents
    agent = next(p for p in _one(_eps(shared_data) / "application_v1-2-A1.xml").parties if p.role == "agent")
    assert agent.address.startswith("UDAPI & ASOCIADOS")
    assert _one(_eps(shared_data) / "application_v1-5-1-A1-2.xml").claims_count == 17


def test_eps_missing_minimum_is_a_record_error(shared_data, tmp_path):
    text = (_eps(shared_data) / "application_v1-01-A1.xml").read_text(encoding="utf-8")
    path = tmp_path / "no-application.xml"
    path.write_text(text.replace("<B210>04768329.7</B210>", "<B210></B210>"), encoding="utf-8")
    (error,) = _parse(path)
    assert isinstance(error, RecordError)
    assert (error.record, error.field) == ("document 1 (EP1679948A1)", "application_number")
    assert "B210" in error.reason


# --- DOCDB and OPS --------------------------------------------------------------------------------------------

def _docdb(shared_data, name) -> list[ParsedPatent]:
    return _parse(shared_data / "patents" / "epo_docdb" / name)


def test_docdb_ap_grant(shared_data):
    (record,) = _docdb(shared_data, "AP-1206-A_302101161.xml")
    assert (record.office, record.kind, record.family_id) == ("AP", "A", "22179393")
    assert (record.application_number, record.application_date) == ("2000001988", D(1998, 8, 4))
    assert (record.grant_number, record.grant_date, record.publication_number) == ("1206", D(2003, 9, 18), "")
    assert record.title == "Enteric coated pharmaceutical composition and method of manufacturing."
    # the docdba name ('BRISTOL-MYERS SQUIBB COMPANY'), not docdb's 'BRISTOL MYERS SQUIBB CO'; country from docdb
    assert [(p.name, p.country) for p in record.parties if p.role == "applicant"] == [
        ("BRISTOL-MYERS SQUIBB COMPANY", "US")]
    assert [p.name for p in record.parties if p.role == "inventor"] == ["ULLAR Ismat", "WILEY Gary J"]
    assert record.ipc[0] == "A61K9/16" and len(record.ipc) == 18
    assert record.cpc[0] == "A61K9/5026"
    assert record.priorities[0] == {"country": "US", "number": "8359798", "date": "1998-05-22"}
    assert record.pct == {"application_number": "US9816128", "filing_date": "1998-08-04"}
    assert (record.citations[0].cited_office, record.citations[0].cited_number, record.citations[0].cited_kind,
            record.citations[0].cited_date, record.citations[0].cited_by) == (
        "US", "5556839", "A", D(1996, 9, 17), "search report")


def test_docdb_bulk_file(shared_data):
    records = _docdb(shared_data, "DE-backfile.xml")
    assert [r.publication_number for r in records] == [str(n) for n in range(1258188, 1258198)]
    assert {(r.office, r.kind, r.patent_type, r.grant_number) for r in records} == {("DE", "B", "invention", "")}
    first = records[0]  # an Auslegeschrift: examined, printed without grant
    assert (first.application_number, first.application_date, first.publication_date) == (
        "B0077613", D(1964, 7, 10), D(1968, 1, 4))
    assert first.family_id == "6979546"
    assert first.titles == {"de": "Kraftstoffeinspritzpumpe fuer mehrzylindrige Brennkraftmaschinen"}
    assert first.parties[0].name == "ROBERT BOSCH G.M.B.H." and first.parties[0].role == "applicant"
    assert (first.ipc[0], first.cpc[0]) == ("F02M41/12", "F02M59/34")
    assert first.priorities == []  # DOCDB lists the application itself as its priority: left out
    assert len(first.citations) == 4 and first.citations[3].cited_office == "FR"
    assert records[4].parties[0].name == "SOCIETE BERTIN & CIE."
    assert records[2].priorities == [{"country": "US", "number": "1258190X", "date": "1961-03-13"}]


def test_docdb_wo_with_categories(shared_data):
    (record,) = _docdb(shared_data, "WO-2022259205-A1_544370561.xml")  # 'exch:' used but never declared
    assert (record.office, record.kind, record.patent_type) == ("WO", "A1", "invention")
    assert (record.application_number, record.application_date) == ("IB2022055385", D(2022, 6, 9))
    assert (record.publication_number, record.publication_date) == ("2022259205", D(2022, 12, 15))
    assert record.family_id == "82558028"
    assert record.titles == {"en": "SELF-EMULSIFYING COMPOSITION, PRODUCTION METHODS AND USES THEREOF",
                             "fr": "COMPOSITION AUTO-ÉMULSIFIANTE, SES PROCÉDÉS DE PRODUCTION ET SES UTILISATIONS"}
    assert [(p.name, p.country) for p in record.parties if p.role == "applicant"] == [
        ("UNIVERSIDADE DA BEIRA INTERIOR", "PT")]
    assert record.ipc[0] == "A61K9/00"  # 'AFI' is the second in sequence
    assert record.cpc[0] == "A61K9/1075"
    assert record.pct == {"application_number": "IB2022055385", "filing_date": "2022-06-09",
                          "publication_number": "WO2022259205", "publication_date": "2022-12-15"}
    first = record.citations[0]
    assert (first.category, first.cited_by, first.cited_number) == ("XY", "search report", "")
    assert first.non_patent.startswith('BEZERRA-SOUZA ADRIANA ET AL: "Repurposing Butenafine')
    assert sum(1 for c in record.citations if c.cited_number) == 4
    by_phase = [(c.cited_by, c.category) for c in record.citations]
    assert by_phase == [("search report", "XY")] + [("search report", "Y")] * 11 + [("applicant", "")] * 11
    assert any("CZAJKOWSKA-KOŚNIK" in c.non_patent for c in record.citations)  # &SACUTE; in the file


def test_docdb_wo_second(shared_data):
    (record,) = _docdb(shared_data, "WO-2023012807-A1_507242069.xml")
    assert (record.application_number, record.family_id, record.title) == (
        "IL2022050854", "83004620", "METHOD FOR HUMANIZING ANTIBODIES")
    assert record.parties[0].name == "YEDA RESEARCH AND DEVELOPMENT CO. LTD."
    assert (record.ipc[0], record.cpc[0]) == ("C07K16/28", "C07K16/464")
    assert record.priorities == [{"country": "US", "number": "202163230089", "date": "2021-08-06"}]
    assert [c.category for c in record.citations if c.cited_by == "search report"] == ["XY", "Y", "Y", "IP", "XY"]
    assert sum(1 for c in record.citations if c.cited_by == "applicant") == 19


def test_docdb_yu_names_and_character_references(shared_data):
    (record,) = _docdb(shared_data, "YU-6701-A_381353354.xml")
    assert (record.office, record.application_number, record.application_date, record.publication_date) == (
        "YU", "6701", D(1999, 6, 2), D(2003, 12, 31))
    assert record.family_id == "22248526"
    assert record.titles["sh"] == "TRICIKLIČNI SULFONAMIDI I NJIHOVI DERIVATI KAO INHIBITORI MATRIČNIH METALOPROTEINAZA"
    assert record.title.startswith("TRICYCLIC SULFONAMIDES")
    assert set(record.abstracts) == {"sh", "en"} and record.abstract.startswith("Tricyclic sulfonamide compounds")
    assert [(p.name, p.country) for p in record.parties] == [
        ("WARNER-LAMBERT COMPANY", "US"), ("O'BRIEN, PATRICK MICHAEL", "US"), ("PICARD, JOSEPH ARMAND", "US"),
        ("SLISKOVIC, DRAGO ROBERT", "US")]
    assert record.citations == []


def test_ops_biblio(shared_data):
    (record,) = _parse(shared_data / "patents" / "epo_ops" / "ops_biblio_AU2013290010.xml")
    assert (record.office, record.kind, record.family_id) == ("AU", "A1", "49448571")
    assert (record.application_number, record.application_date) == ("2013290010", D(2013, 7, 12))
    assert (record.publication_number, record.publication_date) == ("2013290010", D(2015, 2, 5))
    assert record.title == "Novel fuel composition"
    assert [p.name for p in record.parties if p.role == "applicant"] == [
        "PRIMUS GREEN ENERGY INC", "BLUESCAPE CLEAN FUELS, LLC"]
    assert [p.name for p in record.parties if p.role == "inventor"] == [
        "FANG, HOWARD L", "QIN, MEIFANG", "BEN-REUVEN, MOSHE"]  # mixed-case repeats dropped
    assert record.ipc == ["C10L1/00"]
    assert record.cpc == ["C07C1/047", "C10L1/04", "C10G2300/1022", "C10G2400/30", "C10L2200/00", "C10L2200/04"]
    assert record.priorities == [{"country": "US", "number": "13547826", "date": "2012-07-12"},
                                 {"country": "WO", "number": "US2013050328", "date": "2013-07-12"}]
    assert record.pct == {"application_number": "US2013050328", "filing_date": "2013-07-12"}
    assert record.abstract.startswith("This invention relates to fuel compositions")


# --- the safe reader ----------------------------------------------------------------------------------------

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE ep-patent-document [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<ep-patent-document country="EP" doc-number="1" kind="A1"><SDOBI><B500><B540><B541>en</B541><B542>&e;</B542>
</B540></B500></SDOBI></ep-patent-document>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE ep-patent-document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<ep-patent-document country="EP" doc-number="1" kind="A1">&x;</ep-patent-document>
"""


@pytest.mark.parametrize("content", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_entity_declarations_are_refused(tmp_path, content):
    path = tmp_path / "bomb.xml"
    path.write_bytes(content)
    assert detect_parser(path) is EpoEpsParser
    with pytest.raises(UnsafeXML, match="declares entities"):
        list(EpoEpsParser().parse(path))


def test_repairs(tmp_path):
    path = tmp_path / "repairs.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<exch:exchange-document country="XX"><t>Kador & Partner, '
                     b"Tricikli&ccaron;ni, KO&SACUTE;NIK, &nosuch; a < b, &#x4e2d;&amp;</t>"
                     b"<h><First Embodiment</h></exch:exchange-document>")
    elements = {e.tag: text_of(e) for e in iter_elements(path, ("t", "h"))}
    assert elements == {"t": "Kador & Partner, Triciklični, KOŚNIK, &nosuch; a < b, 中&", "h": "<First Embodiment"}


def test_reader_chunks_never_split_a_repair(shared_data, tmp_path):
    path = shared_data / "patents" / "epo_eps" / "application_v1-5-1-A1-2.xml"
    whole = RepairingReader(path).read()
    for chunk in (5, 64, 1000):
        reader, parts = RepairingReader(path, chunk=chunk), []
        while data := reader.read(777):
            parts.append(data)
        assert b"".join(parts) == whole


@pytest.mark.parametrize(("text", "symbol"), [
    ("H04L   9/32        20060101AFI20221215BHEP        ", "H04L9/32"), (" 7C 07C  29/44   A", "C07C29/44"),
    ("2A 01N 43/08 -", "A01N43/08"), ("C10L   1/    00            A I", "C10L1/00"),
    ("F25B2313/0233 20130101 LA20200715BHEP ", "F25B2313/0233"), ("B05B 11/ 00 A I ", "B05B11/00"), ("", ""),
])
def test_ipc_symbols(text, symbol):
    assert ipc_symbol(text) == symbol


# --- importing --------------------------------------------------------------------------------------------

def _manifest_counts(manifest: ImportManifest) -> tuple:
    return manifest.status, manifest.read, manifest.created, manifest.updated, manifest.unchanged, manifest.rejected


@pytest.mark.django_db
def test_import_every_file_twice(shared_data):
    files = [shared_data / "patents" / folder / name for folder, name in ALL_FILES]
    for path in files:
        expected = 10 if path.name == "DE-backfile.xml" else 1
        manifest = import_file(path)
        assert _manifest_counts(manifest) == ("done", expected, expected, 0, 0, 0), (path.name, manifest.problems)
        assert manifest.format == detect_parser(path).format
    assert Patent.objects.count() == len(EPS) + sum(n for n, _ in DOCDB.values()) + len(OPS)
    for path in files:
        expected = 10 if path.name == "DE-backfile.xml" else 1
        assert _manifest_counts(import_file(path)) == ("done", expected, 0, 0, expected, 0), path.name
    boe = Patent.objects.get(office="EP", application_number="18877305")
    assert (boe.title, boe.ipc_main, boe.source_format) == (
        "VEHICLE-MOUNTED DISPLAY ASSEMBLY AND VEHICLE", "B60R7/06", "epo-eps")
    applicant = boe.parties.get(role=Party.Role.APPLICANT, sequence=0)
    assert (applicant.name, applicant.country) == ("BOE TECHNOLOGY GROUP CO., LTD.", "CN")
    assert "Beijing 100015" in applicant.address and applicant.entity is not None
    wo = Patent.objects.get(office="WO", application_number="IB2022055385")
    assert (wo.family_id, wo.cpc_main, wo.citations.count()) == ("82558028", "A61K9/1075", 23)
    assert wo.citations.get(sequence=0).category == "XY"


def _as_grant(application: str) -> str:
    """The A1 of application 18877305 turned into its B1 (granted 2023-03-15): kind, dates, proprietors."""
    text = application.replace('kind="A1" date-publ="20210224"', 'kind="B1" date-publ="20230315"')
    text = text.replace("<B130>A1</B130><B140><date>20210224</date>", "<B130>B1</B130><B140><date>20230315</date>")
    text = text.replace("</B430></B400>", "</B430><B450><date>20230315</date><bnum>202311</bnum></B450></B400>")
    for tag in ("B710", "B711"):
        text = text.replace(f"<{tag}>", f"<{tag[:2]}3{tag[3:]}>").replace(f"</{tag}>", f"</{tag[:2]}3{tag[3:]}>")
    assert text.count("B731") == 4 and "B450" in text
    return text


@pytest.mark.django_db
def test_grant_after_its_application_merges(shared_data, tmp_path):
    source = _eps(shared_data) / "application_v1-5-A1.xml"
    grant = tmp_path / "grant_EP3782854B1.xml"
    grant.write_text(_as_grant(source.read_text(encoding="utf-8")), encoding="utf-8")
    assert _manifest_counts(import_file(source)) == ("done", 1, 1, 0, 0, 0)
    assert _manifest_counts(import_file(grant)) == ("done", 1, 0, 1, 0, 0)
    patent = Patent.objects.get(office="EP", application_number="18877305")
    assert Patent.objects.filter(office="EP").count() == 1
    assert (patent.kind, patent.publication_number, patent.publication_date, patent.grant_number,
            patent.grant_date) == ("B1", "3782854", D(2021, 2, 24), "3782854", D(2023, 3, 15))
    assert patent.application_date == D(2018, 10, 29) and patent.first_claim
    assert patent.parties.filter(role=Party.Role.APPLICANT).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("folder", "name"), [("epo_eps", "grant_v1-5-B1.xml"), ("epo_docdb", "DE-backfile.xml")])
def test_truncated_file_fails_and_writes_nothing(shared_data, tmp_path, folder, name):
    data = (shared_data / "patents" / folder / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * 0.8)])  # DE-backfile: eight documents are whole, then it stops
    manifest = import_file(path)
    assert manifest.status == "failed" and manifest.created == 0
    assert name in manifest.error and "not well-formed XML" in manifest.error and "nothing imported" in manifest.error
    assert Patent.objects.count() == 0


@pytest.mark.django_db
def test_bomb_import_fails_and_writes_nothing(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_bytes(BOMB)
    manifest = import_file(path)
    assert manifest.status == "failed" and "declares entities" in manifest.error
    assert Patent.objects.count() == 0


@pytest.mark.django_db
def test_record_error_is_rejected_with_its_reason(shared_data, tmp_path):
    text = (shared_data / "patents" / "epo_docdb" / "DE-backfile.xml").read_text(encoding="utf-8")
    path = tmp_path / "DE-one-deleted.xml"
    path.write_text(text.replace('doc-number="1258189" kind="B"', 'doc-number="1258189" kind="B" status="D"'),
                    encoding="utf-8")
    manifest = import_file(path)
    assert _manifest_counts(manifest) == ("done", 10, 9, 0, 0, 1)
    assert manifest.problems == [{"record": "document 2 (DE1258189B)", "field": "status",
                                  "reason": "deleted from DOCDB (status D)"}]


def test_shared_data_is_not_copied_into_the_repository():
    root = Path(__file__).resolve().parents[3]
    names = set(EPS) | set(DOCDB) | set(OPS)
    assert not [p for folder in ("ipoffice", "benchmarks") for p in (root / folder).rglob("*.xml") if p.name in names]


def test_copy_in_tmp_is_parsed_the_same(shared_data, tmp_path):
    source = shared_data / "patents" / "epo_docdb" / "AP-1206-A_302101161.xml"
    shutil.copy(source, tmp_path / "renamed.bin")
    assert _parse(tmp_path / "renamed.bin") == _parse(source)  # detection by content, not by name
