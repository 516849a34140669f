"""USPTO pre-grant publications of 2001 – 2004 (PAP, ``patent-application-publication``), DTD v1.5
(``pap-v15-2001-01-31.dtd``) and v1.6 (``pap-v16-2002-01-01.dtd``); weekly files ``paYYMMDD.xml``.

document-id: publication number, kind and date; domestic-filing-data: application number (series code and
serial, e.g. 09725796) and filing date; technical-information: title, IPC (edition 7, primary then
secondary; US classes are not kept); inventors (first-named-inventor, inventor) with their residence;
assignee (organisation or person); foreign-priority-data; continuity-data/a-371-of-international: the PCT
application. No agents (only a correspondence address) and no citations in these files. Before the AIA the
inventors are the applicants: where no assignee is named they are the applicants.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from ipoffice.patents.numbers import normalise_ipc, patent_type

from .base import ParsedParty, ParsedPatent, Parser, RecordError, register
from .fmt_uspto_common import (
    clean_number,
    dedupe,
    earliest,
    first_text,
    iso,
    parse_date,
    party,
    text,
    xml_documents,
)

ROOT = "patent-application-publication"
_VERSION = re.compile(rb"pap-v1(\d)-")


def pap_version(head: bytes) -> str | None:
    """'1.5' or '1.6' for a PAP file, from the DTD named in the DOCTYPE; a PAP document without it (as in
    files re-exported with another DOCTYPE) is read as v1.5, the DTD of the first publications in 2001."""
    if f"<{ROOT}".encode() not in head:
        return None
    found = _VERSION.search(head)
    return f"1.{found[1].decode()}" if found else "1.5"


def _name(el) -> str:
    if el is None:
        return ""
    org = first_text(el, "organization-name")
    if org:
        return org
    name = el.find("name")
    parts = [first_text(name, tag) for tag in ("given-name", "middle-name", "family-name")]
    full = " ".join(p for p in parts if p)
    suffix = first_text(name, "name-suffix")
    return f"{full}, {suffix}" if full and suffix else full


def _party(el, role: str) -> ParsedParty | None:
    place = el.find("residence/residence-us")
    if place is None:
        place = el.find("residence/residence-non-us")
    if place is None:
        place = el.find("address")
    return party(_name(el), role, first_text(place, "city"), first_text(place, "state"),
                 first_text(place, "country-code", "country/country-code"))


def _pct(bib) -> dict:
    parent = bib.find("continuity-data/a-371-of-international/parent-child/parent/document-id")
    if parent is None:
        return {}
    pct = {"application_number": first_text(parent, "doc-number"),
           "filing_date": iso(parse_date(first_text(parent, "document-date")))}
    return {k: v for k, v in pct.items() if v}


def read_pap(root, where: str) -> ParsedPatent | RecordError:
    bib = root.find("subdoc-bibliographic-information")
    if root.tag != ROOT or bib is None:
        return RecordError(where, f"root element <{root.tag}>, expected <{ROOT}>", "root")
    number = clean_number(first_text(bib, "document-id/doc-number"))
    kind = first_text(bib, "document-id/kind-code")
    application = clean_number(first_text(bib, "domestic-filing-data/application-number/doc-number"))
    title = first_text(bib, "technical-information/title-of-invention")
    for field, value in (("publication_number", number), ("application_number", application), ("title", title)):
        if not value:
            return RecordError(where, f"no {field.replace('_', ' ')} ({number or 'unnumbered'})", field)
    ipc_el = bib.find("technical-information/classification-ipc")
    ipc = [normalise_ipc(text(el)) for tag in ("classification-ipc-primary", "classification-ipc-secondary")
           for el in (ipc_el.iterfind(f"{tag}/ipc") if ipc_el is not None else []) if text(el)]
    inventors = [_party(el, "inventor") for el in bib.iterfind("inventors/*")
                 if el.tag in ("first-named-inventor", "inventor")]
    applicants = [_party(el, "applicant") for el in bib.iterfind("assignee")]
    if not any(applicants):
        applicants = [ParsedParty(p.name, "applicant", p.address, p.country) for p in inventors if p]
    priorities = [{"country": first_text(el, "country-code"), "number": first_text(el, "priority-application-number"),
                   "date": iso(parse_date(first_text(el, "filing-date")))}
                  for el in bib.iterfind("foreign-priority-data")]
    claims = root.findall("subdoc-claims/claim")
    paragraphs = root.findall("subdoc-abstract/paragraph")  # without a heading such as 'Abstract of Disclosure'
    abstract = " ".join(map(text, paragraphs)) if paragraphs else text(root.find("subdoc-abstract"))
    return ParsedPatent(
        office="US", application_number=application, title=title, patent_type=patent_type("US", kind), kind=kind,
        application_date=parse_date(first_text(bib, "domestic-filing-data/filing-date")),
        publication_number=number, publication_date=parse_date(first_text(bib, "document-id/document-date")),
        priority_date=earliest(priorities), titles={"en": title}, abstract=abstract,
        abstracts={"en": abstract} if abstract else {}, first_claim=text(claims[0]) if claims else "",
        claims_count=len(claims) or None, ipc=ipc, parties=dedupe(applicants + inventors), priorities=priorities,
        pct=_pct(bib), record=where,
    )


class _Pap(Parser):
    version = ""

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return pap_version(head) == cls.version

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        for index, root in xml_documents(path, (ROOT,)):
            yield read_pap(root, f"document {index}")
            root.clear()


@register
class UsptoPapV15(_Pap):
    format, version = "uspto-application-v1.5", "1.5"
    description = "USPTO pre-grant publication XML v1.5 (PAP, pap-v15-2001-01-31.dtd), 2001"


@register
class UsptoPapV16(_Pap):
    format, version = "uspto-application-v1.6", "1.6"
    description = "USPTO pre-grant publication XML v1.6 (PAP, pap-v16-2002-01-01.dtd), 2002-2004"
