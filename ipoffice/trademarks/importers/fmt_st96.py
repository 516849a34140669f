"""WIPO ST.96 trademark XML (``TrademarkTransaction`` / ``TrademarkBag`` / ``Trademark``), e.g. USPTO TSDR.

Applicants carry their USPTO party-type code as ``sequenceNumber`` (10 original applicant … 30 original
registrant, 31+ later owners): the highest is the current owner, the others are former owners.
"""

from pathlib import Path

from .base import ParsedEvent, ParsedGoods, ParsedMark, ParsedParty, Parser, RecordError, parse_date, register
from .common import (
    US_DRAWING_CODES,
    find,
    find_all,
    local,
    mark_kind_from_text,
    mark_type_from_text,
    stream,
    text,
    us_status,
)

NAMESPACE = b"http://www.wipo.int/standards/XMLSchema/ST96/Trademark"


def _sequence(element) -> int:
    for key, value in element.attrib.items():
        if key.endswith("sequenceNumber") and value.isdigit():
            return int(value)
    return 0


def _contact(party) -> tuple[str, str, str]:
    name = text(party, "//OrganizationStandardName") or text(party, "//EntityName") or \
        text(party, "//PersonFullName")
    address = find(party, "//PostalStructuredAddress")
    if address is not None:
        parts = [text(c) for c in address if isinstance(c.tag, str) and local(c) != "CountryCode"]
        return name, ", ".join(p for p in parts if p), text(address, "CountryCode")
    return name, text(party, "//PostalAddressText"), text(party, "//CountryCode")


def _applicants(mark) -> list[ParsedParty]:
    rows = []
    for applicant in find_all(mark, "ApplicantBag/Applicant"):
        name, address, country = _contact(applicant)
        if not name:
            continue
        capacity = text(applicant, "CommentText") or text(applicant, "Version/CommentText")
        country = country or text(applicant, "IncorporationCountryCode")
        rows.append((_sequence(applicant), ParsedParty(name=name, address=address, capacity=capacity,
                                                       country=country[:2])))
    if not rows:
        return []
    current = max(code for code, _ in rows)
    owners = [p for code, p in rows if code == current]
    names, seen, former = {p.name.casefold() for p in owners}, set(), []
    for _code, party in sorted(rows, key=lambda r: -r[0]):
        key = party.name.casefold()
        if key not in names and key not in seen:
            seen.add(key)
            party.role = "former_owner"
            former.append(party)
    return owners + former


def parse_trademark(mark, record: str) -> ParsedMark:
    status_text = text(mark, "NationalTrademarkInformation/MarkCurrentStatusExternalDescriptionText") or \
        text(mark, "MarkCurrentStatusCode")
    feature = text(mark, "MarkRepresentation/MarkDescriptionBag/NationalMarkDescription/MarkFeatureCode")
    category = text(mark, "MarkFeatureCategory")
    parsed = ParsedMark(
        office=(text(mark, "RegistrationOfficeCode") or text(mark, "ApplicationNumber/IPOfficeCode") or "WO")[:2],
        application_number=text(mark, "ApplicationNumber/ApplicationNumberText").replace(" ", ""),
        registration_number=text(mark, "RegistrationNumber"),
        mark_text=text(mark, "//MarkVerbalElementText"),
        mark_type=mark_type_from_text(category) if category else US_DRAWING_CODES.get(feature, "word"),
        mark_kind=mark_kind_from_text(text(mark, "MarkCategory")),
        filing_date=parse_date(text(mark, "ApplicationDate")),
        registration_date=parse_date(text(mark, "RegistrationDate")),
        term_end=parse_date(text(mark, "ExpiryDate")),
        status_text=status_text[:300], status_date=parse_date(text(mark, "MarkCurrentStatusDate")),
        status=us_status(text(mark, "MarkCurrentStatusCode"), status_text),
        record=record,
    )
    publications = sorted(d for d in (parse_date(text(p, "PublicationDate"))
                                      for p in find_all(mark, "PublicationBag/Publication")) if d)
    if publications:
        parsed.preliminary_publication_date = publications[0]
    for description in find_all(mark, "//ClassDescription"):
        number = text(description, "ClassNumber")
        if number.isdigit() and 1 <= int(number) <= 45:
            parsed.goods.append(ParsedGoods(class_number=int(number),
                                            name=text(description, "GoodsServicesDescriptionText")))
    parsed.parties = _applicants(mark)
    for tag, role in (("RecordAttorney", "agent"), ("NationalCorrespondent", "correspondent")):
        for party in find_all(mark, tag):
            name, address, country = _contact(party)
            if name:
                parsed.parties.append(ParsedParty(name=name, role=role, address=address, country=country[:2],
                                                  capacity=text(party, "CommentText")))
    for event in find_all(mark, "MarkEventBag/MarkEvent"):
        day = parse_date(text(event, "MarkEventDate"))
        if day:
            entry = text(event, "//MarkEventEntryNumber")
            parsed.events.append(ParsedEvent(date=day, code=text(event, "//MarkEventCode")[:20],
                                             description=text(event, "//MarkEventDescriptionText")[:500],
                                             details={"entry": int(entry)} if entry.isdigit() else {}))
    parsed.events.sort(key=lambda e: (e.date, e.details.get("entry", 0)))
    renewal = parse_date(text(mark, "NationalTrademarkInformation/RenewalDate"))
    if renewal:
        parsed.extra["renewal_date"] = renewal.isoformat()
    register_category = text(mark, "NationalTrademarkInformation/RegisterCategory")
    if register_category:
        parsed.extra["register"] = register_category
    return parsed


@register
class ST96Parser(Parser):
    format = "wipo-st96"
    description = "WIPO ST.96 trademark XML"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return NAMESPACE in head and b"TrademarkTransaction" in head or b"<Trademark " in head and b"ST96" in head

    def parse(self, path: Path):
        count = 0
        for mark in stream(path, {"Trademark"}):
            count += 1
            try:
                yield parse_trademark(mark, f"mark {count}")
            except ValueError as error:
                yield RecordError(f"mark {count}", str(error))
