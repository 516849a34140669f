"""EPO DOCDB exchange XML: ``exch:exchange-documents`` holding ``exch:exchange-document`` elements, one per
publication of any office (EP, WO, DE, AP, YU …), with bibliographic data, the DOCDB family id, IPC/CPC,
search-report citations with their categories, and abstracts.

Every reference, party and title may come in several formats: ``docdb`` (the EPO's standardised form),
``epodoc``, ``docdba`` (standardised but as written) and ``original``. Numbers and dates are read from
``docdb``; names and titles from ``docdba``, else ``original``, else ``docdb``, with the country of residence
taken from the ``docdb`` entry of the same sequence.

Files cut out of a bulk delivery start at ``exch:exchange-document`` (without declaring ``exch``) or at an
unqualified ``exchange-document``; both are read. A document with ``status="D"`` (deleted from DOCDB) is
rejected with that reason. :func:`read_exchange_document` also reads the OPS form (:mod:`.fmt_epo_ops`).

Grant or publication: a document whose ``dates-of-public-availability`` says ``printed-with-grant`` is a
grant (``grant_number``/``grant_date``), any other a publication (DE-B Auslegeschriften are
``examined-printed-without-grant``); without that element, kind codes B and C are taken for grants.
Application numbers are the ``docdb`` doc-number, prefixed with the filing country when it is not the
office's (a WO application filed at IB: ``IB2022055385``).
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
    local_name,
    main_first,
    name_country,
    npl_text,
    parse_date,
    release,
    root_element,
    strip_namespaces,
    text_of,
)

DOCUMENT = "{*}exchange-document"
NAME_FORMATS = ("docdba", "original", "docdb", "epodoc")
CITED_BY = {"SEA": "search report", "ISR": "search report", "SUP": "search report", "IPE": "examiner",
            "EXA": "examiner", "CH2": "examiner", "APP": "applicant", "OPP": "opposition", "TPO": "third party",
            "FOP": "opposition", "PRS": "pre-grant", "REF": "reference"}


@register
class EpoDocdbParser(Parser):
    format = "epo-docdb"
    description = "EPO DOCDB exchange XML (exch:exchange-documents: bibliographic data, families, citations)"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return local_name(root_element(head)) in ("exchange-documents", "exchange-document")

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        yield from parse_exchange_documents(path)


def parse_exchange_documents(path: Path) -> Iterator[ParsedPatent | RecordError]:
    for position, element in enumerate(iter_elements(path, DOCUMENT), start=1):
        yield read_exchange_document(element, position)
        release(element)


def read_exchange_document(doc: etree._Element, position: int = 1) -> ParsedPatent | RecordError:
    """One ``exchange-document`` (DOCDB or OPS) as a record, or why it cannot be one."""
    strip_namespaces(doc)
    office = (doc.get("country") or "").strip().upper()
    number = compact_number(doc.get("doc-number"))
    kind = (doc.get("kind") or "").strip().upper()
    record = f"document {position} ({office}{number}{kind})"
    if (doc.get("status") or "").upper() == "D":
        return RecordError(record, "deleted from DOCDB (status D)", "status")
    biblio = doc.find("bibliographic-data")
    if biblio is None:
        return RecordError(record, "no bibliographic data", "bibliographic-data")
    try:
        return _read(doc, biblio, office, number, kind, record)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
        return RecordError(record, f"unreadable: {error}")


def _read(doc, biblio, office, number, kind, record) -> ParsedPatent | RecordError:
    publication = _reference(biblio, "publication-reference")
    application = _reference(biblio, "application-reference")
    application_number = _application_number(office, application)
    language = find_text(biblio, "language-of-publication")
    titles = _by_language(biblio.findall("invention-title"), language)
    missing = [(field, why) for field, value, why in (
        ("office", office, "no office (country attribute)"),
        ("publication_number", number, "no document number (doc-number attribute)"),
        ("kind", kind, "no kind code (kind attribute)"),
        ("application_number", application_number, "no application number (application-reference)"),
        ("title", titles, "no title (invention-title)")) if not value]
    if missing:
        field, why = missing[0]
        return RecordError(record, why, field)
    published = parse_date(doc.get("date-publ")) or _date(publication)
    granted = _is_grant(biblio, kind)
    priorities, pct = _priorities(biblio, office, application_number)
    if office == "WO":
        pct = {"application_number": application_number, "filing_date": iso(_date(application)),
               "publication_number": f"WO{number}", "publication_date": iso(published)}
    abstracts = _by_language(doc.findall("abstract"), language)
    return ParsedPatent(
        office=office, application_number=application_number, kind=kind, patent_type=patent_type(office, kind),
        application_date=_date(application),
        publication_number="" if granted else number, publication_date=None if granted else published,
        grant_number=number if granted else "", grant_date=published if granted else None,
        priority_date=earliest(priorities), title=_pick(titles), titles=titles,
        abstract=_pick(abstracts), abstracts=abstracts, ipc=_ipc(biblio), cpc=_cpc(biblio),
        parties=_parties(biblio), priorities=priorities, pct={k: v for k, v in pct.items() if v},
        family_id=(doc.get("family-id") or "").strip(), citations=_citations(biblio), record=record)


def _pick(by_language: dict) -> str:
    return by_language.get("en") or next(iter(by_language.values()), "")


def _formats(element) -> dict[str, etree._Element]:
    """The ``document-id`` elements of a reference by format: DOCDB puts the format on the reference
    (``data-format``, one reference per format), OPS on each ``document-id`` (``document-id-type``)."""
    found = {}
    for ident in element.iterfind("document-id"):
        fmt = ident.get("document-id-type") or element.get("data-format") or "docdb"
        found.setdefault(fmt, ident)
    return found


def _reference(biblio, tag: str) -> dict[str, etree._Element]:
    found = {}
    for reference in biblio.iterfind(tag):
        for fmt, ident in _formats(reference).items():
            found.setdefault(fmt, ident)
    return found


def _date(reference: dict):
    """The date of a reference: the ``docdb`` one, else any format's (OPS dates an application in epodoc)."""
    for fmt in ("docdb", *reference):
        value = parse_date(find_text(reference.get(fmt), "date"))
        if value:
            return value
    return None


def _application_number(office: str, application: dict) -> str:
    ident = application.get("docdb")
    if ident is not None and find_text(ident, "doc-number"):
        country = find_text(ident, "country").upper()
        number = compact_number(find_text(ident, "doc-number"))
        return number if country in ("", office) else f"{country}{number}"
    for fmt in ("original", "epodoc"):
        if application.get(fmt) is not None:
            number = compact_number(find_text(application[fmt], "doc-number"))
            if fmt == "epodoc" and number.startswith(office):
                number = number[len(office):]
            if number:
                return number
    return ""


def _is_grant(biblio, kind: str) -> bool:
    availability = biblio.find("dates-of-public-availability")
    if availability is not None and len(availability):
        return any(child.tag.endswith("with-grant") and "without" not in child.tag for child in availability)
    return kind[:1] in ("B", "C")


def _by_language(elements, default_language: str) -> dict:
    """Titles or abstracts by language, the ``docdba`` text first where a language has several."""
    ranked = sorted(elements, key=lambda e: {"docdba": 0, "original": 1}.get(e.get("data-format"), 2))
    found = {}
    for element in ranked:
        text = text_of(element)
        language = (element.get("lang") or default_language or "und").lower()
        if text:
            found.setdefault(language, text)
    return found


# --- classification ----------------------------------------------------------------------------------------

def _ipc(biblio) -> list[str]:
    """IPCR (``AFI`` first), else the pre-2006 ``classification-ipc`` (main, then further)."""
    ipcr = main_first((ipc_symbol(text_of(e)), is_first_position(text_of(e)))
                      for e in biblio.iterfind("classifications-ipcr/classification-ipcr/text"))
    if ipcr:
        return ipcr
    old = biblio.find("classification-ipc")
    if old is None:
        return []
    return main_first((ipc_symbol(text_of(e)), e.tag == "main-classification") for e in old
                      if e.tag in ("main-classification", "further-classification"))


def _cpc_symbol(classification) -> str:
    symbol = find_text(classification, "classification-symbol")
    if symbol:
        return ipc_symbol(symbol)
    parts = [find_text(classification, tag) for tag in ("section", "class", "subclass", "main-group", "subgroup")]
    if not all(parts[:3]):
        return ""
    return ipc_symbol("".join(parts[:3]) + (f"{parts[3]}/{parts[4] or '00'}" if parts[3] else ""))


def _cpc(biblio) -> list[str]:
    """``patent-classifications`` of a CPC scheme (CPCI, CPCNO …), the first-placed (``F``) first."""
    entries = []
    for item in biblio.iterfind("patent-classifications/patent-classification"):
        scheme = item.find("classification-scheme")
        if scheme is not None and not (scheme.get("scheme") or "").upper().startswith("CPC"):
            continue
        entries.append((_cpc_symbol(item), find_text(item, "symbol-position").upper() == "F"))
    return main_first(entries)


# --- parties, priorities -----------------------------------------------------------------------------------

def _parties(biblio) -> list[ParsedParty]:
    parties = []
    for role, group, member in (("applicant", "applicants", "applicant"), ("inventor", "inventors", "inventor"),
                                ("agent", "agents", "agent")):
        by_format: dict[str, list] = {}
        for item in biblio.iterfind(f"parties/{group}/{member}"):
            raw = find_text(item, f"{member}-name/name") or find_text(item, "name")
            name = clean_name(raw)
            if name:
                address = next((text_of(a) for a in item.iter("address") if text_of(a)), "")
                country = find_text(item, "residence/country").upper() or name_country(raw)
                by_format.setdefault(item.get("data-format") or "docdb", []).append(
                    (item.get("sequence") or "", name, address, country))
        chosen = next((by_format[f] for f in (*NAME_FORMATS, *by_format) if by_format.get(f)), [])
        countries = {seq: country for fmt in ("docdb", "epodoc") for seq, _, _, country in by_format.get(fmt, [])
                     if country}
        seen = set()
        for sequence, name, address, country in chosen:
            if name.casefold() in seen:
                continue
            seen.add(name.casefold())
            parties.append(ParsedParty(name=name, role=role, address=address,
                                       country=country or countries.get(sequence, "")))
    return parties


def _priorities(biblio, office: str, application_number: str) -> tuple[list[dict], dict]:
    """Priority claims from their ``docdb`` form (OPS has none: ``epodoc``, the country from the number),
    without DOCDB's entry for the application itself; the claim linked as a PCT application (``W``) also
    gives the PCT data."""
    claims = [(claim, _formats(claim)) for claim in biblio.iterfind("priority-claims/priority-claim")]
    use = "docdb" if any("docdb" in formats for _, formats in claims) else "epodoc"
    priorities, pct = [], {}
    for claim, formats in claims:
        ident = formats.get(use)
        if ident is None:
            continue
        if use == "docdb":
            country = find_text(ident, "country").upper()
            number = compact_number(find_text(ident, "doc-number"))
            kind = find_text(ident, "kind").upper()
        else:
            country, number, kind = _from_epodoc(compact_number(find_text(ident, "doc-number")),
                                                 formats.get("original"))
        when = iso(parse_date(find_text(ident, "date")))
        if not number or (country == office and number == application_number):
            continue
        if kind == "W" or find_text(claim, "priority-linkage-type").upper() == "W":
            pct.setdefault("application_number", number if country == "WO" else f"{country}{number}")
            pct.setdefault("filing_date", when)
        priorities.append({"country": country, "number": number, "date": when})
    return priorities, pct


_EPODOC_PCT = re.compile(r"^WO(\d{4})([A-Z]{2})(\d+)$")


def _from_epodoc(epodoc: str, original) -> tuple[str, str, str]:
    """(country, number, kind) of an epodoc priority: ``WO2013US50328`` is the PCT application
    ``US2013050328``; otherwise the country leads and the original number is kept."""
    match = _EPODOC_PCT.match(epodoc)
    if match:
        return "WO", f"{match[2]}{match[1]}{match[3].zfill(6)}", "W"
    number = compact_number(find_text(original, "doc-number")) if original is not None else ""
    return epodoc[:2], number or epodoc[2:], ""


# --- citations ---------------------------------------------------------------------------------------------

def _category(citation) -> str:
    """The citation's category (``X``, ``Y``, ``XY``, ``A`` …): its own, else those of its passages."""
    own = find_text(citation, "category")
    if own:
        return own
    return "".join(dict.fromkeys(text_of(c) for c in citation.iterfind("rel-passage/category")))


def _citations(biblio) -> list[ParsedCitation]:
    citations = []
    for citation in biblio.iterfind("references-cited/citation"):
        phase = (citation.get("cited-phase") or "").upper()
        common = {"category": _category(citation), "cited_by": CITED_BY.get(phase, phase.lower())}
        patent, literature = citation.find("patcit"), citation.find("nplcit")
        if patent is not None:
            ident = _formats(patent).get("docdb")
            ident = patent.find("document-id") if ident is None else ident
            citations.append(ParsedCitation(
                cited_office=find_text(ident, "country").upper(),
                cited_number=compact_number(find_text(ident, "doc-number") or patent.get("dnum")),
                cited_kind=find_text(ident, "kind").upper(), cited_date=parse_date(find_text(ident, "date")),
                **common))
        elif literature is not None:
            citations.append(ParsedCitation(non_patent=npl_text(literature), **common))
    return citations
