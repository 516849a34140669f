"""EUIPO trademark search API responses (JSON: ``{"trademarks": [...], "totalElements": …}``), or the same records
one per line (JSON lines).

Mapping: ``markFeature`` → mark type, ``markKind`` → individual/collective/certification, ``markBasis``
INTERNATIONAL_TRADEMARK → a Madrid designation of the EU (number ``W00928475`` → IR 928475, with its
``designationDate``), the first A.* publication (application published for opposition) → preliminary
publication date, ``expiryDate`` → term end; every publication is an event.
"""

import json
from pathlib import Path

from .base import ParsedEvent, ParsedGoods, ParsedMark, ParsedParty, Parser, RecordError, parse_date, register

FEATURES = {"WORD": "word", "FIGURATIVE": "figurative", "SHAPE_3D": "3d", "3D": "3d", "COLOUR": "colour",
            "SOUND": "sound", "POSITION": "other", "PATTERN": "figurative", "MOTION": "other",
            "MULTIMEDIA": "other", "HOLOGRAM": "other", "OTHER": "other"}
STATUSES = {"REGISTERED": "registered", "EXPIRED": "expired", "REFUSED": "refused", "WITHDRAWN": "withdrawn",
            "SURRENDERED": "cancelled", "CANCELLED": "cancelled", "REMOVED_FROM_REGISTER": "cancelled",
            "ACCEPTED": "registered", "APPLICATION_PUBLISHED": "published", "OPPOSITION_PENDING": "opposed",
            "RECEIVED": "pending", "UNDER_EXAMINATION": "pending", "APPEALED": "pending",
            "REGISTRATION_PENDING": "published", "INVALIDITY_PENDING": "registered"}
SECTIONS = {"A": "application published", "B": "registration published", "C": "change or renewal published",
            "D": "renewal published", "E": "conversion or other"}


def parse_record(row: dict, record: str) -> ParsedMark:
    if not isinstance(row, dict):
        raise ValueError("the record is not a JSON object")
    number = str(row.get("applicationNumber") or "").strip()
    if not number:
        raise ValueError("no applicationNumber")
    feature = str(row.get("markFeature") or "").upper()
    status = str(row.get("status") or "").upper()
    international = row.get("markBasis") == "INTERNATIONAL_TRADEMARK"
    word = row.get("wordMarkSpecification") or {}
    parsed = ParsedMark(
        office="EM", application_number=number, registration_number=number if row.get("registrationDate") else "",
        mark_text=" ".join(str(word.get("verbalElement") or "").split()) if isinstance(word, dict) else "",
        mark_type=FEATURES.get(feature, "other" if feature else "word"),
        mark_kind={"COLLECTIVE": "collective", "CERTIFICATION": "certification"}.get(
            str(row.get("markKind") or "").upper(), "individual"),
        filing_date=parse_date(row.get("applicationDate")),
        registration_date=parse_date(row.get("registrationDate")),
        term_end=parse_date(row.get("expiryDate")),
        status=STATUSES.get(status, ""), status_text=status.replace("_", " ").lower(),
        record=record,
    )
    if international:
        parsed.madrid_role = "designation"
        parsed.international_registration_number = number.lstrip("W").lstrip("0")
        parsed.designation_date = parse_date(row.get("designationDate"))
        parsed.international_registration_date = parsed.designation_date
        parsed.designated_countries = ["EM"]
    for value in row.get("niceClasses") or []:
        try:
            number_value = int(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"Nice class '{value}' is not a number") from error
        if not 1 <= number_value <= 45:
            raise ValueError(f"Nice class {number_value} is not 1-45")
        parsed.goods.append(ParsedGoods(class_number=number_value))
    for key, role in (("applicants", "owner"), ("representatives", "agent")):
        for party in row.get(key) or []:
            name = " ".join(str((party or {}).get("name") or "").split())
            if name:
                parsed.parties.append(ParsedParty(name=name, role=role, capacity=str(party.get("identifier") or ""),
                                                  country=""))
    publications = []
    for publication in row.get("publications") or []:
        day = parse_date(publication.get("publicationDate"))
        section = str(publication.get("publicationSection") or "")
        if day:
            publications.append((day, section))
            parsed.events.append(ParsedEvent(
                date=day, code=section[:20], description=SECTIONS.get(section[:1], "publication"),
                details={"bulletin": publication.get("bulletinNumber", "")}))
    applications = sorted(day for day, section in publications if section.startswith("A"))
    if applications:
        parsed.preliminary_publication_date = applications[0]
    parsed.events.sort(key=lambda e: e.date)
    if row.get("applicantReference"):
        parsed.extra["applicant_reference"] = row["applicantReference"]
    parsed.extra["mark_basis"] = row.get("markBasis", "")
    return parsed


@register
class EUIPOParser(Parser):
    format = "euipo-json"
    description = "EUIPO trademark search API (JSON or JSON lines)"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        start = head.lstrip()[:1]
        return start in (b"{", b"[") and b'"applicationNumber"' in head and \
            (b'"niceClasses"' in head or b'"markFeature"' in head)

    def parse(self, path: Path):
        raw = Path(path).read_bytes().decode("utf-8-sig")
        try:
            data = json.loads(raw)
            records = data.get("trademarks", []) if isinstance(data, dict) else data
        except json.JSONDecodeError as error:
            first = next((line for line in raw.splitlines() if line.strip()), "")
            try:
                json.loads(first)
            except json.JSONDecodeError:
                raise ValueError(f"not well-formed JSON ({error.msg} at line {error.lineno})") from error
            records = None
        if records is None:  # JSON lines
            for number, line in enumerate(raw.splitlines(), start=1):
                if line.strip():
                    try:
                        yield parse_record(json.loads(line), f"line {number}")
                    except (ValueError, AttributeError) as error:
                        yield RecordError(f"line {number}", str(error))
            return
        if not isinstance(records, list):
            raise ValueError("'trademarks' is not a list")
        for number, row in enumerate(records, start=1):
            try:
                yield parse_record(row, f"record {number}")
            except (ValueError, AttributeError) as error:
                yield RecordError(f"record {number}", str(error))
