"""USPTO "red book" XML in the ICE DTDs, v4.0 – v4.7: grants (``us-patent-grant``, weekly ``ipgYYMMDD.xml``)
and pre-grant publications (``us-patent-application``, weekly ``ipaYYMMDD.xml``), one class per DTD version.

The versions differ in a few places, each read by its own small function:

* IPC: v4.0 ``classification-ipc`` (edition 7, ``A41D013/00``); from v4.1 ``classifications-ipcr``
  (IPC 8, one element per part). CPC (``classifications-cpc``, main then further) from v4.3 on.
* parties: up to v4.2 ``parties/applicants`` — before the AIA the applicants are the inventors
  (``app-type="applicant-inventor"``) — with ``agents``; from v4.3 ``us-parties`` with ``us-applicants``,
  ``inventors`` and ``agents``. Assignees (``assignees``) in every version. Applicants are the us-applicants
  and the assignees; where a pre-v4.3 document names no assignee the inventor-applicants are the applicants.
* citations (grants only): up to v4.2 ``references-cited/citation``, from v4.3 ``us-references-cited/us-citation``.

Grants v4.6 (2021-08-30) and v4.7 (2022-02-17) and applications v4.6 (2022-02-17) change no bibliographic
element of v4.5 (their revision notes: the sequence-listing file type may be ST.23, ST.25 or ST.26; MathML 2
second edition; descriptions), so they are read as v4.5.

US national classes are not kept. Grants fill ``grant_number``/``grant_date``, publications
``publication_number``/``publication_date``; both carry the application number (series code and serial as
printed, e.g. ``14558596``).
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ipoffice.patents.numbers import normalise_ipc, patent_type

from .base import ParsedCitation, ParsedParty, ParsedPatent, Parser, RecordError, register
from .fmt_uspto_common import (
    cited_number,
    clean_number,
    country_code,
    dedupe,
    earliest,
    first_text,
    iso,
    leaf,
    locarno,
    parse_date,
    party,
    person,
    text,
    xml_documents,
)

GRANT, APPLICATION = "us-patent-grant", "us-patent-application"

_ROOT = re.compile(rb"<(us-patent-grant|us-patent-application)\b([^>]*)>")
_VERSION = re.compile(rb"""dtd-version\s*=\s*["']v?(\d)\.?(\d)""")
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+(us-patent-grant|us-patent-application)\s[^>]*?-v(\d)(\d)-\d{4}-\d\d-\d\d")


def redbook_version(head: bytes) -> tuple[str, str] | None:
    """(root, version) of the first document: ('us-patent-grant', '4.5'), from the root's ``dtd-version``
    ('v4.5 2014-04-03', 'v40 2004-12-02') or else the DOCTYPE's DTD file name."""
    root = _ROOT.search(head)
    if root:
        version = _VERSION.search(root[2])
        if version:
            return root[1].decode(), f"{version[1].decode()}.{version[2].decode()}"
    doctype = _DOCTYPE.search(head)
    if doctype:
        return doctype[1].decode(), f"{doctype[2].decode()}.{doctype[3].decode()}"
    return None


# --- version-specific readers --------------------------------------------------------------------------------

def ipc_edition7(bib) -> list[str]:
    """v4.0: ``classification-ipc`` with ``main-classification`` and ``further-classification``."""
    el = bib.find("classification-ipc")
    if el is None:
        return []
    return [normalise_ipc(text(c)) for c in el if c.tag in ("main-classification", "further-classification")
            and text(c)]


def _ipcr_symbol(el) -> str:
    parts = [leaf(el, tag) for tag in ("section", "class", "subclass", "main-group", "subgroup")]
    if not all(parts[:3]):
        return ""
    return normalise_ipc(f"{parts[0]}{parts[1]}{parts[2]} {parts[3]}/{parts[4]}" if parts[3] else "".join(parts[:3]))


def ipc_reformed(bib) -> list[str]:
    """v4.1 on: ``classifications-ipcr/classification-ipcr``, the first position ('F') first."""
    items = bib.findall("classifications-ipcr/classification-ipcr")
    items.sort(key=lambda el: leaf(el, "symbol-position") != "F")  # stable: the rest keep their order
    symbols = [_ipcr_symbol(el) for el in items]
    return [s for s in symbols if s] or ipc_edition7(bib)


def cpc_none(bib) -> list[str]:
    return []


def cpc_main_further(bib) -> list[str]:
    """v4.3 on: ``classifications-cpc`` — the main symbol, then the further ones."""
    items = bib.findall("classifications-cpc/main-cpc/classification-cpc")
    items += bib.findall("classifications-cpc/further-cpc/classification-cpc")
    return [s for s in map(_ipcr_symbol, items) if s]


def _addressbook_party(el, role: str) -> ParsedParty | None:
    book = el.find("addressbook")
    if book is None:  # v4.0 assignees may carry the name and address directly
        book = el
    name = first_text(book, "orgname") or person(text(book.find("first-name")), text(book.find("last-name")))
    name = name or text(book.find("name"))
    country = text(book.find("address/country"))
    if not country_code(country):
        country = text(el.find("residence/country")) or country
    return party(name, role, text(book.find("address/city")), text(book.find("address/state")), country)


def _assignees(bib) -> list[ParsedParty | None]:
    return [_addressbook_party(el, "applicant") for el in bib.findall("assignees/assignee")]


def parties_pre_aia(bib) -> list[ParsedParty]:
    """v4.0 – v4.2: ``parties/applicants`` (the inventors, before the AIA), ``parties/agents``, ``assignees``."""
    inventors, others = [], []
    for el in bib.findall("parties/applicants/applicant"):
        role = "inventor" if "inventor" in el.get("app-type", "applicant-inventor") else "applicant"
        (inventors if role == "inventor" else others).append(_addressbook_party(el, role))
    applicants = others + _assignees(bib)
    if not any(applicants):  # no assignee: the inventors are the applicants
        applicants = [ParsedParty(p.name, "applicant", p.address, p.country) for p in inventors if p]
    agents = [_addressbook_party(el, "agent") for el in bib.findall("parties/agents/agent")]
    return dedupe(applicants + inventors + agents)


def parties_aia(bib) -> list[ParsedParty]:
    """v4.3 on: ``us-parties`` (``us-applicants``, ``inventors``, ``agents``) and ``assignees``."""
    applicants = [_addressbook_party(el, "applicant") for el in bib.findall("us-parties/us-applicants/us-applicant")]
    inventors = [_addressbook_party(el, "inventor") for el in bib.findall("us-parties/inventors/inventor")]
    agents = [_addressbook_party(el, "agent") for el in bib.findall("us-parties/agents/agent")]
    return dedupe(applicants + _assignees(bib) + inventors + agents)


def _citation(el) -> ParsedCitation:
    category = leaf(el, "category")
    cited_by = category.removeprefix("cited by ").strip() if category.startswith("cited by") else ""
    doc = el.find("patcit/document-id")
    if doc is not None:
        office = country_code(leaf(doc, "country"))
        return ParsedCitation(cited_office=office, cited_number=cited_number(office, leaf(doc, "doc-number")),
                              cited_kind=leaf(doc, "kind"),
                              cited_date=parse_date(leaf(doc, "date")), category=category, cited_by=cited_by)
    return ParsedCitation(non_patent=text(el.find("nplcit")), category=category, cited_by=cited_by)


def citations_references_cited(bib) -> list[ParsedCitation]:
    """v4.0 – v4.2: ``references-cited/citation``."""
    return [_citation(el) for el in bib.findall("references-cited/citation")]


def citations_us_references_cited(bib) -> list[ParsedCitation]:
    """v4.3 on: ``us-references-cited/us-citation``."""
    return [_citation(el) for el in bib.findall("us-references-cited/us-citation")]


# --- common to every version ---------------------------------------------------------------------------------

def _priorities(bib) -> list[dict]:
    return [{"country": first_text(el, "country"), "number": first_text(el, "doc-number"),
             "date": iso(parse_date(first_text(el, "date")))} for el in bib.findall("priority-claims/priority-claim")]


def _pct(bib) -> dict:
    pct = {}
    filing = bib.find("pct-or-regional-filing-data")
    if filing is not None:
        pct["application_number"] = first_text(filing, "document-id/doc-number")
        pct["filing_date"] = iso(parse_date(first_text(filing, "document-id/date")))
        pct["national_phase_date"] = iso(parse_date(first_text(filing, "us-371c124-date/date",
                                                                "us-371c12-date/date", "us-371c1-date/date")))
    publishing = bib.find("pct-or-regional-publishing-data")
    if publishing is not None:
        pct["publication_number"] = first_text(publishing, "document-id/doc-number")
        pct["publication_kind"] = first_text(publishing, "document-id/kind")
        pct["publication_date"] = iso(parse_date(first_text(publishing, "document-id/date")))
    return {k: v for k, v in pct.items() if v}


def _claims(root) -> tuple[str, int | None]:
    claims = root.findall("claims/claim")
    return (text(claims[0]) if claims else ""), (len(claims) or None)


class _Redbook(Parser):
    """The reading common to the v4.x classes; each subclass names its root, version and small readers."""

    root: str = GRANT
    version: str = ""
    ipc: Callable = staticmethod(ipc_reformed)
    cpc: Callable = staticmethod(cpc_none)
    parties: Callable = staticmethod(parties_aia)
    citations: Callable = staticmethod(citations_us_references_cited)

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return redbook_version(head) == (cls.root, cls.version)

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        for index, root in xml_documents(path, (GRANT, APPLICATION)):
            yield self.read(root, f"document {index}")
            root.clear()

    def read(self, root, where: str) -> ParsedPatent | RecordError:
        if root.tag != self.root:
            return RecordError(where, f"root element <{root.tag}>, expected <{self.root}>", "root")
        bib = root.find("us-bibliographic-data-grant" if self.root == GRANT else "us-bibliographic-data-application")
        if bib is None:
            return RecordError(where, "no bibliographic data", "us-bibliographic-data")
        pub = bib.find("publication-reference/document-id")
        number = clean_number(first_text(pub, "doc-number"))
        kind = first_text(pub, "kind")
        published = parse_date(first_text(pub, "date")) or parse_date(root.get("date-publ"))
        application = clean_number(first_text(bib, "application-reference/document-id/doc-number"))
        title = text(bib.find("invention-title"))
        for field, value in (("application_number", application), ("publication_number", number), ("title", title)):
            if not value:
                return RecordError(where, f"no {field.replace('_', ' ')} ({number or 'unnumbered'})", field)
        first_claim, counted = _claims(root)
        stated = first_text(bib, "number-of-claims")
        priorities = _priorities(bib)
        record = ParsedPatent(
            office="US", application_number=application, title=title, patent_type=patent_type("US", kind),
            kind=kind, application_date=parse_date(first_text(bib, "application-reference/document-id/date")),
            priority_date=earliest(priorities), titles={"en": title}, abstract=text(root.find("abstract")),
            first_claim=first_claim, claims_count=int(stated) if stated.isdigit() else counted,
            ipc=self.ipc(bib), cpc=self.cpc(bib), parties=self.parties(bib), priorities=priorities,
            pct=_pct(bib), record=where,
        )
        record.abstracts = {"en": record.abstract} if record.abstract else {}
        design_class = first_text(bib, "classification-locarno/main-classification")
        if design_class:
            record.locarno = [locarno(design_class)]
        if self.root == GRANT:
            record.grant_number, record.grant_date = number, published
            record.citations = self.citations(bib)
        else:
            record.publication_number, record.publication_date = number, published
        return record


# --- one class per DTD version -------------------------------------------------------------------------------

@register
class UsptoGrantV40(_Redbook):
    format, description = "uspto-grant-v4.0", "USPTO grant XML, ICE DTD v4.0 (2004-12-02)"
    root, version = GRANT, "4.0"
    ipc, parties = staticmethod(ipc_edition7), staticmethod(parties_pre_aia)
    citations = staticmethod(citations_references_cited)


@register
class UsptoGrantV41(_Redbook):
    format, description = "uspto-grant-v4.1", "USPTO grant XML, ICE DTD v4.1 (2005-08-25)"
    root, version = GRANT, "4.1"
    parties, citations = staticmethod(parties_pre_aia), staticmethod(citations_references_cited)


@register
class UsptoGrantV42(_Redbook):
    format, description = "uspto-grant-v4.2", "USPTO grant XML, ICE DTD v4.2 (2006-08-23)"
    root, version = GRANT, "4.2"
    parties, citations = staticmethod(parties_pre_aia), staticmethod(citations_references_cited)


@register
class UsptoGrantV43(_Redbook):
    format, description = "uspto-grant-v4.3", "USPTO grant XML, ICE DTD v4.3 (2012-12-04)"
    root, version, cpc = GRANT, "4.3", staticmethod(cpc_main_further)


@register
class UsptoGrantV44(_Redbook):
    format, description = "uspto-grant-v4.4", "USPTO grant XML, ICE DTD v4.4 (2013-05-16)"
    root, version, cpc = GRANT, "4.4", staticmethod(cpc_main_further)


@register
class UsptoGrantV45(_Redbook):
    format, description = "uspto-grant-v4.5", "USPTO grant XML, ICE DTD v4.5 (2014-04-03)"
    root, version, cpc = GRANT, "4.5", staticmethod(cpc_main_further)


@register
class UsptoGrantV46(_Redbook):
    format, description = "uspto-grant-v4.6", "USPTO grant XML, ICE DTD v4.6 (2021-08-30)"
    root, version, cpc = GRANT, "4.6", staticmethod(cpc_main_further)


@register
class UsptoGrantV47(_Redbook):
    format, description = "uspto-grant-v4.7", "USPTO grant XML, ICE DTD v4.7 (2022-02-17)"
    root, version, cpc = GRANT, "4.7", staticmethod(cpc_main_further)


@register
class UsptoApplicationV40(_Redbook):
    format, description = "uspto-application-v4.0", "USPTO pre-grant publication XML, ICE DTD v4.0 (2004-12-02)"
    root, version = APPLICATION, "4.0"
    ipc, parties = staticmethod(ipc_edition7), staticmethod(parties_pre_aia)


@register
class UsptoApplicationV41(_Redbook):
    format, description = "uspto-application-v4.1", "USPTO pre-grant publication XML, ICE DTD v4.1 (2005-08-25)"
    root, version, parties = APPLICATION, "4.1", staticmethod(parties_pre_aia)


@register
class UsptoApplicationV42(_Redbook):
    format, description = "uspto-application-v4.2", "USPTO pre-grant publication XML, ICE DTD v4.2 (2006-08-23)"
    root, version, parties = APPLICATION, "4.2", staticmethod(parties_pre_aia)


@register
class UsptoApplicationV43(_Redbook):
    format, description = "uspto-application-v4.3", "USPTO pre-grant publication XML, ICE DTD v4.3 (2012-12-04)"
    root, version, cpc = APPLICATION, "4.3", staticmethod(cpc_main_further)


@register
class UsptoApplicationV44(_Redbook):
    format, description = "uspto-application-v4.4", "USPTO pre-grant publication XML, ICE DTD v4.4 (2014-04-03)"
    root, version, cpc = APPLICATION, "4.4", staticmethod(cpc_main_further)


@register
class UsptoApplicationV45(_Redbook):
    format, description = "uspto-application-v4.5", "USPTO pre-grant publication XML, ICE DTD v4.5 (2021-08-30)"
    root, version, cpc = APPLICATION, "4.5", staticmethod(cpc_main_further)


@register
class UsptoApplicationV46(_Redbook):
    format, description = "uspto-application-v4.6", "USPTO pre-grant publication XML, ICE DTD v4.6 (2022-02-17)"
    root, version, cpc = APPLICATION, "4.6", staticmethod(cpc_main_further)
