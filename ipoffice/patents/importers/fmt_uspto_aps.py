"""USPTO APS "green book" full text of the grants of 1976 – 2001 (weekly ``pftapsYYYYMMDD-WWW.txt``).

Fixed-field text in ISO-8859-1: a record starts with a ``PATN`` line; sections are four-letter lines (``INVT``
inventor, ``ASSG`` assignee, ``PRIR`` priority, ``CLAS`` classes, ``UREF``/``FREF``/``OREF`` US, foreign and
other references, ``LREP`` legal representative, ``PCTA`` PCT data, ``ABST`` abstract, ``CLMS``/``DCLM``
claims …); a field line is a code of up to four characters in columns 1 – 4 and its value from column 6,
continued on lines that start with five spaces.

WKU is the patent number with a check digit (``039327094`` → ``03932709``); APN the six-digit serial with a
check digit, which with the series code SRC gives the application number in the later formats' spelling
(SRC 5, APN 4491556 → ``05449155``). APS has no kind codes: the kind is the one of the time, from the
number's prefix (A for a utility patent, S design, P plant, E reissue, H statutory invention registration).
IPC (``ICL``, packed as in ST.32: ``H04M 1100`` = H04M 11/00) is kept, the US classes are not.
Names are written 'Last; First' and are turned round; country codes have three letters (``JPX``).
"""

import re
from collections.abc import Iterator
from pathlib import Path

from ipoffice.patents.numbers import patent_type

from .base import ParsedCitation, ParsedParty, ParsedPatent, Parser, RecordError, register
from .fmt_uspto_common import cited_number, country_code, dedupe, earliest, iso, packed_ipc, parse_date, party

_HEAD = re.compile(rb"(?m)^PATN[ \t]*\r?\nWKU  [0-9A-Z]")
_SECTION = re.compile(r"[A-Z]{4}")
_KINDS = (("RE", "E"), ("PP", "P"), ("D", "S"), ("H", "H"), ("T", "I4"))


class _Record:
    """One patent: its sections in order, each a list of (code, value)."""

    def __init__(self, index: int, line: int):
        self.index, self.line = index, line
        self.sections: list[tuple[str, list[list[str]]]] = [("PATN", [])]

    def add_line(self, line: str) -> None:
        stripped = line.rstrip()
        if not stripped:
            return
        if len(stripped) == 4 and _SECTION.fullmatch(stripped):
            self.sections.append((stripped, []))
        elif line.startswith("     "):
            fields = self.sections[-1][1]
            if fields:
                fields[-1][1] += " " + stripped.strip()
        else:
            self.sections[-1][1].append([stripped[:4].strip(), stripped[5:].strip()])

    def all(self, section: str) -> list[dict[str, list[str]]]:
        """Every section of that name, each as {code: [values]}."""
        result = []
        for name, fields in self.sections:
            if name == section:
                values: dict[str, list[str]] = {}
                for code, value in fields:
                    values.setdefault(code, []).append(value)
                result.append(values)
        return result

    def one(self, section: str) -> dict[str, list[str]]:
        found = self.all(section)
        return found[0] if found else {}


def _first(fields: dict, code: str) -> str:
    return (fields.get(code) or [""])[0]


def _turn(name: str) -> str:
    """'Hoff; Don G.' → 'Don G. Hoff'; 'Miller, Jr.; George H.' → 'George H. Miller, Jr.'."""
    if ";" not in name:
        return name.strip()
    last, first = name.split(";", 1)
    return f"{first.strip()} {last.strip()}".strip()


def _party(fields: dict, role: str) -> ParsedParty | None:
    return party(_turn(_first(fields, "NAM")), role, _first(fields, "CTY"), _first(fields, "STA"),
                 _first(fields, "CNT"))


def _claims(record: _Record) -> tuple[str, int]:
    """(text of the first claim, number of claims found) from CLMS or, for a design, DCLM."""
    claims: list[list[str]] = []
    for name, fields in record.sections:
        if name not in ("CLMS", "DCLM"):
            continue
        for code, value in fields:
            if code == "NUM":
                claims.append([])
            elif code in ("PAR", "PAL", "PA1", "PA2", "PA3", "PA4", "PA5", "TBL", "EQU"):
                if not claims:
                    claims.append([])
                claims[-1].append(value)
    return (" ".join(claims[0]) if claims else ""), len(claims)


def _kind(number: str) -> str:
    for prefix, kind in _KINDS:
        if number.startswith(prefix):
            return kind
    return "A" if number[:1].isdigit() else ""


def read_aps(record: _Record) -> ParsedPatent | RecordError:
    where = f"document {record.index}"
    patn = record.one("PATN")
    wku, title = _first(patn, "WKU"), _first(patn, "TTL")
    number = wku[:-1] if len(wku) == 9 else wku
    apn, series = _first(patn, "APN"), _first(patn, "SRC")
    if len(apn) == 7 and apn.isdigit():
        apn = apn[:6]
    application = ((series.zfill(2) if series.isdigit() else series) + apn) if apn else ""
    for field, value in (("grant_number", number), ("application_number", application), ("title", title)):
        if not value:
            return RecordError(where, f"no {field.replace('_', ' ')} (record from line {record.line})", field)
    kind = _kind(number)
    inventors = [_party(f, "inventor") for f in record.all("INVT")]
    applicants = [_party(f, "applicant") for f in record.all("ASSG")]
    if not any(applicants):  # no assignee: the inventors are the applicants
        applicants = [ParsedParty(p.name, "applicant", p.address, p.country) for p in inventors if p]
    agents = []
    for fields in record.all("LREP"):
        for code in ("FRM", "FR2", "AAT", "ATT", "AGT"):
            agents += [party(_turn(name), "agent") for name in fields.get(code, [])]
    priorities = [{"country": country_code(_first(f, "CNT")), "number": _first(f, "APN"),
                   "date": iso(parse_date(_first(f, "APD")))} for f in record.all("PRIR")]
    citations = [ParsedCitation(cited_office="US", cited_number=cited_number("US", _first(f, "PNO")),
                                cited_date=parse_date(_first(f, "ISD"))) for f in record.all("UREF")]
    for fields in record.all("FREF"):
        office = country_code(_first(fields, "CNT"))
        citations.append(ParsedCitation(cited_office=office, cited_number=cited_number(office, _first(fields, "PNO")),
                                        cited_date=parse_date(_first(fields, "ISD"))))
    citations += [ParsedCitation(non_patent=text) for f in record.all("OREF") for text in f.get("PAL", [])]
    pcta = record.one("PCTA")
    pct = {"application_number": _first(pcta, "PCN"), "filing_date": iso(parse_date(_first(pcta, "PD3"))),
           "national_phase_date": iso(parse_date(_first(pcta, "PD1"))),
           "publication_number": _first(pcta, "PCP"), "publication_date": iso(parse_date(_first(pcta, "PCD")))}
    abstract = " ".join(v for f in record.all("ABST") for code in ("PAL", "PAR") for v in f.get(code, []))
    first_claim, counted = _claims(record)
    stated = _first(patn, "NCL")
    ipc = [packed_ipc(v) for f in record.all("CLAS") for v in f.get("ICL", []) if v.strip()]
    return ParsedPatent(
        office="US", application_number=application, title=title, patent_type=patent_type("US", kind), kind=kind,
        application_date=parse_date(_first(patn, "APD")), grant_number=number,
        grant_date=parse_date(_first(patn, "ISD")), priority_date=earliest(priorities), titles={"en": title},
        abstract=abstract, abstracts={"en": abstract} if abstract else {}, first_claim=first_claim,
        claims_count=int(stated) if stated.isdigit() else (counted or None), ipc=ipc,
        parties=dedupe(applicants + inventors + agents), priorities=priorities,
        pct={k: v for k, v in pct.items() if v}, citations=citations, record=where,
    )


@register
class UsptoAps(Parser):
    format = "uspto-aps"
    description = "USPTO APS 'green book' fixed-field text of the grants 1976-2001"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return _HEAD.search(head[:4096]) is not None

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        record: _Record | None = None
        count = 0
        with Path(path).open("r", encoding="latin-1", newline=None) as fh:
            for number, line in enumerate(fh, start=1):
                if line.rstrip() == "PATN":
                    if record is not None:
                        yield read_aps(record)
                    count += 1
                    record = _Record(count, number)
                elif record is not None:  # lines before the first PATN (a file header) are skipped
                    record.add_line(line.rstrip("\n"))
        if record is not None:
            yield read_aps(record)
