"""USPTO grants in XML v2.5 (2002 – 2004, weekly ``pgYYMMDD.xml``): ``PATDOC`` documents of the
ST.32-based DTD ``ST32-US-Grant-025xml.dtd``, with WIPO ST.32 tags for the bibliographic data.

B110 grant number, B130 kind, B140 grant date; B210 application number (series code and serial), B220 filing
date; B300 priorities; B511/B512 IPC (edition 7, packed: 'A47L  514' = A47L 5/14) or, for a design, the
Locarno class; B540 title; B561 cited patents and B562 other citations, each followed by
``CITED-BY-EXAMINER`` or ``CITED-BY-OTHER``; B577 number of claims; B721 inventors, B731 assignees,
B741 attorneys or agents; B860/B870 PCT filing and publication. SDOAB abstract, SDOCL claims.
The 2001 SGML grants (DTD 2.4) use the same tags and are read by :mod:`.fmt_uspto_sgml` with this reader.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from ipoffice.patents.numbers import patent_type

from .base import ParsedCitation, ParsedParty, ParsedPatent, Parser, RecordError, register
from .fmt_uspto_common import (
    cited_number,
    clean_number,
    country_code,
    dedupe,
    earliest,
    first_text,
    iso,
    locarno,
    packed_ipc,
    parse_date,
    party,
    person,
    text,
    xml_documents,
)

_PATDOC = re.compile(rb"<PATDOC\b([^>]*)>")
_DTD_ATTR = re.compile(rb"""\bDTD\s*=\s*["']?(\d+(?:\.\d+)?)""")


def patdoc_version(head: bytes) -> str | None:
    """The DTD version of the first ``PATDOC`` in ``head`` ('2.5', '2.4'), from its ``DTD`` attribute or, when that
    is missing, from the DOCTYPE (``ST32-US-Grant-025xml.dtd`` → 2.5; the SGML public id '… V2.4 …' → 2.4)."""
    root = _PATDOC.search(head)
    if root is None:
        return None
    version = _DTD_ATTR.search(root[1])
    if version:
        return version[1].decode()
    doctype = re.search(rb"<!DOCTYPE\s+PATDOC\s[^>\[]*", re.sub(rb"<!--.*?-->", b"", head[:root.start()], flags=re.S))
    if doctype:
        found = re.search(rb"V(\d)\.(\d)\b|Grant-0(\d)(\d)", doctype[0])
        if found:
            digits = [g for g in found.groups() if g]
            return f"{int(digits[0])}.{int(digits[1])}"
    return None


def _raw(el, path: str) -> str:
    """The text of a ``PDAT`` as printed (inner spaces kept: the packed classes depend on them)."""
    found = el.find(path) if el is not None else None
    if found is None:
        return ""
    pdat = found if found.tag == "PDAT" else found.find(".//PDAT")
    return (pdat.text or "").strip("\r\n\t") if pdat is not None else ""


def _party(el, role: str) -> ParsedParty | None:
    if el is None:
        return None
    nam = el.find("NAM")
    name = first_text(nam, "ONM") or person(first_text(nam, "FNM"), first_text(nam, "SNM"))
    suffix = first_text(nam, "SFX")
    if name and suffix:
        name = f"{name}, {suffix}"
    adr = el.find("ADR")
    return party(name, role, first_text(adr, "CITY"), first_text(adr, "STATE"), first_text(adr, "CTRY"))


def _category(el) -> tuple[str, str]:
    if el.find("CITED-BY-EXAMINER") is not None:
        return "cited by examiner", "examiner"
    if el.find("CITED-BY-OTHER") is not None:
        return "cited by other", "other"
    return "", ""


def _citations(bib) -> list[ParsedCitation]:
    citations = []
    for el in bib.iterfind("B500/B560/*"):
        category, cited_by = _category(el)
        if el.tag == "B561":
            doc = el.find("PCIT/DOC")
            office = country_code(first_text(doc, "CTRY")) or "US"
            number = cited_number(office, first_text(doc, "DNUM"))
            citations.append(ParsedCitation(cited_office=office, cited_number=number,
                                            cited_kind=first_text(doc, "KIND"),
                                            cited_date=parse_date(first_text(doc, "DATE")),
                                            category=category, cited_by=cited_by))
        elif el.tag == "B562":
            citations.append(ParsedCitation(non_patent=first_text(el, "NCIT"), category=category, cited_by=cited_by))
    return citations


def _pct(bib) -> dict:
    pct = {"application_number": first_text(bib, "B800/B860/B861/DOC/DNUM"),
           "filing_date": iso(parse_date(first_text(bib, "B800/B860/B861/DOC/DATE"))),
           "national_phase_date": iso(parse_date(first_text(bib, "B800/B860/B864US/DATE"))),
           "publication_number": first_text(bib, "B800/B870/B871/DOC/DNUM"),
           "publication_kind": first_text(bib, "B800/B870/B871/DOC/KIND"),
           "publication_date": iso(parse_date(first_text(bib, "B800/B870/B871/DOC/DATE")))}
    return {k: v for k, v in pct.items() if v}


def read_patdoc(root, where: str) -> ParsedPatent | RecordError:
    """One ``PATDOC`` (v2.4 or v2.5) as a record."""
    bib = root.find("SDOBI")
    if root.tag != "PATDOC" or bib is None:
        return RecordError(where, f"root element <{root.tag}> without SDOBI, expected a PATDOC", "root")
    number = clean_number(first_text(bib, "B100/B110"))
    kind = first_text(bib, "B100/B130")
    application = clean_number(first_text(bib, "B200/B210"))
    title = first_text(bib, "B500/B540")
    for field, value in (("grant_number", number), ("application_number", application), ("title", title)):
        if not value:
            return RecordError(where, f"no {field.replace('_', ' ')} ({number or 'unnumbered'})", field)
    priorities = [{"country": first_text(el, "B330"), "number": first_text(el, "B310"),
                   "date": iso(parse_date(first_text(el, "B320")))} for el in bib.iterfind("B300")]
    classes = [_raw(el, ".") for el in bib.iterfind("B500/B510/*") if el.tag in ("B511", "B512")]
    claims = root.findall("SDOCL/CL/CLM")
    stated = first_text(bib, "B500/B570/B577")
    applicants = [_party(el.find("PARTY-US"), "applicant") for el in bib.iterfind("B700/B730/B731")]
    inventors = [_party(el.find("PARTY-US"), "inventor") for el in bib.iterfind("B700/B720/B721")]
    agents = [_party(el.find("PARTY-US"), "agent") for el in bib.iterfind("B700/B740/B741")]
    if not any(applicants):  # no assignee: the inventors are the applicants
        applicants = [ParsedParty(p.name, "applicant", p.address, p.country) for p in inventors if p]
    abstract = text(root.find("SDOAB"))
    record = ParsedPatent(
        office="US", application_number=application, title=title, patent_type=patent_type("US", kind), kind=kind,
        application_date=parse_date(first_text(bib, "B200/B220")), grant_number=number,
        grant_date=parse_date(first_text(bib, "B100/B140")), priority_date=earliest(priorities),
        titles={"en": title}, abstract=abstract, abstracts={"en": abstract} if abstract else {},
        first_claim=text(claims[0]) if claims else "", claims_count=int(stated) if stated.isdigit() else
        (len(claims) or None), parties=dedupe(applicants + inventors + agents), priorities=priorities,
        pct=_pct(bib), citations=_citations(bib), record=where,
    )
    if kind.startswith("S"):  # a design: B511 is the Locarno class
        record.locarno = [locarno(c) for c in classes if c.strip()]
    else:
        record.ipc = [packed_ipc(c) for c in classes if c.strip()]
    return record


@register
class UsptoGrantV25(Parser):
    format = "uspto-grant-v2.5"
    description = "USPTO grant XML v2.5 (PATDOC, ST32-US-Grant-025xml.dtd), 2002-2004"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return patdoc_version(head) == "2.5"

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        for index, root in xml_documents(path, ("PATDOC",)):
            yield read_patdoc(root, f"document {index}")
            root.clear()
