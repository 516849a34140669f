"""EPO publication server XML: ``ep-patent-document``, DTD v1.0 to v1.5.1 — A1/A2 applications, B1/B2
(and B3) patents.

One file holds one document: the bibliographic data in INID-coded ``SDOBI`` (``B110`` number, ``B130`` kind,
``B210`` application, ``B540`` titles in de/en/fr, ``B700`` parties …), then ``abstract``, ``description``,
``claims`` (one set per language in B documents), ``search-report-data`` and ``ep-reference-list``.

What changes between the DTD versions, each read by its own small function and chosen by what the document
holds (the versions overlap: v1.1 documents carry either IPC form):

=============================  =====================================================  =========================
item                           form                                                   versions
=============================  =====================================================  =========================
IPC                            ``B510``: ``B511`` main, ``B512``/``B513`` with the     v1.0, v1.1 (older IPC
                               edition in front (`` 7C 07C  29/44   A``)               editions)
IPC                            ``B510EP/classification-ipcr/text`` (IPCR, ``AFI``)      v1.1 – v1.5.1
CPC                            ``B520EP/classifications-cpc``                          v1.5.1
applicants                     ``B710/B711`` (applications), ``B730/B731``             all
                               (proprietors of a patent)
parent of a divisional         ``B620EP/parent/cdoc`` (≤ v1.4), ``B620/parent/pdoc``   (not read)
=============================  =====================================================  =========================

Numbers: the application number keeps its check digit without the dot (``18877305.5`` → ``188773055``);
a B document's grant number is its publication number (EP numbers a patent as its application was
published), and its publication date is that of the application (``B430``).
"""

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..numbers import patent_type
from .base import ParsedCitation, ParsedParty, ParsedPatent, Parser, RecordError, register
from .fmt_epo_common import (
    clean_name,
    compact_number,
    earliest,
    find_text,
    ipc_symbol,
    is_first_position,
    iso,
    iter_elements,
    main_first,
    npl_text,
    parse_date,
    release,
    root_element,
    text_of,
)

ROOT = "ep-patent-document"


@register
class EpoEpsParser(Parser):
    format = "epo-eps"
    description = "EPO publication server XML (ep-patent-document, DTD v1.0–v1.5.1; A1/A2, B1/B2)"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return root_element(head) == ROOT

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        count = 0
        for element in iter_elements(path, (ROOT, "description", "drawings")):
            if element.tag != ROOT:  # the long parts nobody reads: freed as soon as they end
                element.clear(keep_tail=True)
                continue
            count += 1
            yield read_document(element, count)
            release(element)


def read_document(doc: etree._Element, position: int = 1) -> ParsedPatent | RecordError:
    """One ``ep-patent-document`` as a record, or why it cannot be one."""
    sdobi = doc.find("SDOBI")
    office = (doc.get("country") or find_text(sdobi, "B100/B190")).strip().upper()
    number = compact_number(doc.get("doc-number") or find_text(sdobi, "B100/B110"))
    kind = (doc.get("kind") or find_text(sdobi, "B100/B130")).strip().upper()
    record = f"document {position} ({office}{number}{kind})"
    if sdobi is None:
        return RecordError(record, "no bibliographic data (SDOBI)", "SDOBI")
    try:
        return _read(doc, sdobi, office, number, kind, record)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
        return RecordError(record, f"unreadable: {error}")


def _read(doc, sdobi, office, number, kind, record) -> ParsedPatent | RecordError:
    # EP application numbers are stored without their check digit (18877305.5 → 18877305), as DOCDB and OPS
    # write them, so that one application read from several formats is one record.
    raw_application = find_text(sdobi, "B200/B210") or ""
    if office == "EP":
        raw_application = re.sub(r"\.\s*\d\s*$", "", raw_application)
    application = compact_number(raw_application)
    titles = _titles(sdobi)
    missing = [(field, why) for field, value, why in (
        ("office", office, "no office (country attribute, B190)"),
        ("publication_number", number, "no document number (doc-number attribute, B110)"),
        ("kind", kind, "no kind code (kind attribute, B130)"),
        ("application_number", application, "no application number (B210)"),
        ("title", titles, "no title (B540/B542)")) if not value]
    if missing:
        field, why = missing[0]
        return RecordError(record, why, field)
    published = parse_date(doc.get("date-publ")) or parse_date(find_text(sdobi, "B100/B140/date"))
    granted = kind.startswith("B")
    priorities = _priorities(sdobi)
    abstracts = {a.get("lang") or doc.get("lang") or "": text_of(a) for a in doc.findall("abstract")}
    abstracts = {lang: text for lang, text in abstracts.items() if text}
    first_claim, claims_count = _claims(doc)
    return ParsedPatent(
        office=office, application_number=application, kind=kind, patent_type=patent_type(office, kind),
        application_date=parse_date(find_text(sdobi, "B200/B220/date")),
        publication_number=number,
        publication_date=parse_date(find_text(sdobi, "B400/B430/date")) if granted else published,
        grant_number=number if granted else "",
        grant_date=(parse_date(find_text(sdobi, "B400/B450/date")) or published) if granted else None,
        priority_date=earliest(priorities), title=_pick(titles), titles=titles,
        abstract=_pick(abstracts), abstracts=abstracts, first_claim=first_claim, claims_count=claims_count,
        ipc=_ipc(sdobi), cpc=_cpc(sdobi), parties=_parties(sdobi), priorities=priorities, pct=_pct(sdobi),
        citations=_citations(doc, sdobi), record=record)


def _pick(by_language: dict) -> str:
    """English if there is English, else the first."""
    return by_language.get("en") or next(iter(by_language.values()), "")


def _titles(sdobi) -> dict:
    """``B540``: ``B541`` (language) and ``B542`` (title) alternate."""
    titles, language = {}, ""
    for item in sdobi.iterfind("B500/B540/*"):
        if item.tag == "B541":
            language = text_of(item).lower()
        elif item.tag == "B542" and text_of(item):
            titles.setdefault(language or "und", text_of(item))
    return titles


def _claims(doc) -> tuple[str, int | None]:
    """The first claim and the number of claims, from the English set if there is one (a B document has one
    set per official language), else the first set."""
    sets = [c for c in doc.findall("claims") if c.find("claim") is not None]
    if not sets:
        return "", None
    chosen = next((c for c in sets if c.get("lang") == "en"), sets[0])
    claims = chosen.findall("claim")
    return text_of(claims[0]), len(claims)


# --- classification: one small reader per form -------------------------------------------------------------

def _ipc_b510(sdobi) -> list[str]:
    """v1.0/v1.1: ``B511`` main, ``B512`` further, ``B513`` additional, each with its edition in front."""
    return main_first((ipc_symbol(text_of(e)), e.tag == "B511") for e in sdobi.iterfind("B500/B510/*")
                      if e.tag in ("B511", "B512", "B513"))


def _ipc_ipcr(sdobi) -> list[str]:
    """v1.1 on: ``classification-ipcr`` texts; the one placed first (``AFI``) is the main symbol."""
    return main_first((ipc_symbol(text_of(e)), is_first_position(text_of(e)))
                      for e in sdobi.iterfind("B500/B510EP/classification-ipcr/text"))


def _ipc(sdobi) -> list[str]:
    return _ipc_ipcr(sdobi) or _ipc_b510(sdobi)


def _cpc(sdobi) -> list[str]:
    """v1.5.1: ``B520EP/classifications-cpc``, the first-placed symbol (``FI``) first."""
    return main_first((ipc_symbol(text_of(e)), is_first_position(text_of(e)))
                      for e in sdobi.iterfind("B500/B520EP/classifications-cpc/classification-cpc/text"))


# --- parties, priorities, PCT ------------------------------------------------------------------------------

def _party(element, role: str) -> ParsedParty | None:
    name = clean_name(" ".join(t for t in (find_text(element, "fnm"), find_text(element, "snm")) if t)
                      or find_text(element, "name"))
    if not name:
        return None
    address = element.find("adr")
    lines = [text_of(e) for e in address if e.tag != "ctry"] if address is not None else []
    return ParsedParty(name=name, role=role, address=", ".join(line for line in lines if line),
                       country=find_text(address, "ctry").upper())


def _parties(sdobi) -> list[ParsedParty]:
    """Applicants (``B711``; a patent's proprietors ``B731``), inventors (``B721``), representatives
    (``B741``, role agent). Opponents (``B781``) are not parties of the patent and are left out."""
    parties = []
    for path, role in (("B700/B710/B711", "applicant"), ("B700/B730/B731", "applicant"),
                       ("B700/B720/B721", "inventor"), ("B700/B740/B741", "agent")):
        parties += [p for p in (_party(e, role) for e in sdobi.iterfind(path)) if p]
    return parties


def _priorities(sdobi) -> list[dict]:
    """``B300``: ``B310`` number, ``B320`` date, ``B330`` country, repeated in turn."""
    priorities = []
    for item in sdobi.iterfind("B300/*"):
        if item.tag == "B310":
            priorities.append({"country": "", "number": compact_number(text_of(item)), "date": ""})
        elif priorities and item.tag == "B320":
            priorities[-1]["date"] = iso(parse_date(find_text(item, "date")))
        elif priorities and item.tag == "B330":
            priorities[-1]["country"] = find_text(item, "ctry").upper()
    return priorities


def _pct(sdobi) -> dict:
    """``B860`` the international application (number, date, language), ``B870`` its publication."""
    filing, publishing = sdobi.find("B800/B860/B861"), sdobi.find("B800/B870/B871")
    pct = {"application_number": compact_number(find_text(filing, "dnum/anum")),
           "filing_date": iso(parse_date(find_text(filing, "date"))),
           "filing_language": find_text(sdobi, "B800/B860/B862"),
           "publication_number": compact_number(find_text(publishing, "dnum/pnum")),
           "publication_date": iso(parse_date(find_text(publishing, "date")))}
    return {k: v for k, v in pct.items() if v}


# --- citations ---------------------------------------------------------------------------------------------

def _front_page_citation(text: str) -> ParsedCitation:
    """A ``B561`` text: ``WO-A1-2014/114885``, ``US-A- 5 948 634``, ``US-E- R E36 154``."""
    parts = text.split("-", 2)
    if len(parts) == 3 and len(parts[0].strip()) == 2 and parts[0].strip().isalpha():
        return ParsedCitation(cited_office=parts[0].strip().upper(), cited_kind=parts[1].strip().upper(),
                              cited_number=compact_number(parts[2]), cited_by="examiner")
    return ParsedCitation(cited_number=compact_number(text), cited_by="examiner")


def _citations(doc, sdobi) -> list[ParsedCitation]:
    """``B560``: the documents the EPO cited (``B561`` patents, ``B562`` literature; no categories on the
    front page); then ``ep-reference-list``, the documents the applicant cited in the description."""
    citations = []
    for item in sdobi.iterfind("B500/B560/*"):
        text = find_text(item, "text") or text_of(item)
        if item.tag == "B561" and text:
            citations.append(_front_page_citation(text))
        elif item.tag == "B562" and text:
            citations.append(ParsedCitation(non_patent=text, cited_by="examiner"))
    for references in doc.iterfind("ep-reference-list"):
        for cited in references.iter("patcit", "nplcit"):
            if cited.tag == "patcit":
                ident = cited.find("document-id")
                citations.append(ParsedCitation(
                    cited_office=find_text(ident, "country").upper(),
                    cited_number=compact_number(find_text(ident, "doc-number") or cited.get("dnum")),
                    cited_kind=find_text(ident, "kind").upper(), cited_date=parse_date(find_text(ident, "date")),
                    cited_by="applicant"))
            else:
                citations.append(ParsedCitation(non_patent=npl_text(cited), cited_by="applicant"))
    return citations
