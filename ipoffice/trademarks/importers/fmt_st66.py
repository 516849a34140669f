"""WIPO ST.66 trademark XML (``Transaction`` / ``TradeMarkTransactionBody`` …), as offices and TSDR publish it.

One ``TradeMark`` per mark. Applicants may be inside the ``TradeMark`` (ST.66) or beside it in its
``TransactionData`` (USPTO TSDR); with a USPTO party-type code (10 original applicant, 20 owner at publication,
30 original registrant, 40+ later owners) the highest code is the current owner and the others former owners.
"""

from pathlib import Path

from .base import ParsedEvent, ParsedGoods, ParsedMark, ParsedParty, Parser, RecordError, parse_date, register
from .common import (
    find,
    find_all,
    local,
    mark_kind_from_text,
    mark_type_from_text,
    stream,
    text,
    us_status,
)

NAMESPACE = b"http://www.wipo.int/standards/XMLSchema/trademarks"


def _name(party) -> str:
    lines = [text(line) for line in find_all(party, "//FreeFormatNameLine")]
    name = " ".join(line for line in lines if line)
    if not name:
        name = text(party, "//OrganizationStandardName") or text(party, "//EntityName") or \
            " ".join(filter(None, (text(party, "//FirstName"), text(party, "//LastName"))))
    return name


def _address(party) -> tuple[str, str]:
    address = find(party, "//FormattedAddress")
    if address is None:
        lines = [text(line) for line in find_all(party, "//FreeFormatAddressLine")]
        return ", ".join(filter(None, lines)), text(party, "//AddressCountryCode")
    parts = [text(child) for child in address if isinstance(child.tag, str)
             and local(child) not in ("FormattedAddressCountryCode", "FormattedAddressExt")]
    return ", ".join(p for p in parts if p), text(address, "FormattedAddressCountryCode")


def _applicants(applicants: list) -> list[ParsedParty]:
    rows = []
    for applicant in applicants:
        name = _name(applicant)
        if not name:
            continue
        address, country = _address(applicant)
        code = text(applicant, "//PartyTypeCode")
        rows.append((int(code) if code.isdigit() else 0, ParsedParty(
            name=name, address=address, country=(country or text(applicant, "ApplicantIncorporationCountryCode"))[:2],
            capacity=text(applicant, "//PartyTypeDescriptionText"))))
    if not rows:
        return []
    current = max(code for code, _ in rows)
    owners = [p for code, p in rows if code == current]
    names = {p.name.casefold() for p in owners}
    former, seen = [], set()
    for _code, party in sorted(rows, key=lambda r: -r[0]):
        key = party.name.casefold()
        if key not in names and key not in seen:
            seen.add(key)
            party.role = "former_owner"
            former.append(party)
    return owners + former


def _representatives(mark) -> list[ParsedParty]:
    parties = []
    for rep in find_all(mark, "//Representative"):
        name = _name(rep)
        if not name:
            continue
        comment = text(rep, "Comment")
        address, country = _address(rep)
        role = "agent" if "attorney" in comment.lower() or "representative" in comment.lower() and \
            "domestic" not in comment.lower() else "correspondent"
        if not any(p.name == name and p.role == role for p in parties):
            parties.append(ParsedParty(name=name, role=role, address=address, country=country[:2], capacity=comment))
    return parties


def _entry(value: str) -> dict:
    return {"entry": int(value)} if value.isdigit() else {}


def parse_trademark(mark, beside: list, record: str) -> ParsedMark:
    office = text(mark, "RegistrationOfficeCode") or "WO"
    number = text(mark, "ApplicationNumber")
    status_text = text(mark, "TradeMarkExt/MarkCurrentStatusExternalDescriptionText") or \
        text(mark, "MarkCurrentStatusCode")
    parsed = ParsedMark(
        office=office[:2].upper(), application_number=number.replace(" ", ""),
        registration_number=text(mark, "RegistrationNumber"),
        mark_text=text(mark, "WordMarkSpecification/MarkVerbalElementText"),
        mark_type=mark_type_from_text(text(mark, "MarkFeature")),
        mark_kind=mark_kind_from_text(text(mark, "KindMark")),
        filing_date=parse_date(text(mark, "ApplicationDate")),
        registration_date=parse_date(text(mark, "RegistrationDate")),
        term_end=parse_date(text(mark, "ExpiryDate")),
        status_text=status_text[:300], status_date=parse_date(text(mark, "MarkCurrentStatusDate")),
        status=us_status(text(mark, "MarkCurrentStatusCode"), status_text),
        image_description=text(mark, "MarkDescriptionDetails/MarkDescription"),
        colour_claim=text(mark, "//MarkImageColourClaimedText"),
        record=record,
    )
    publications = [parse_date(text(p, "PublicationDate")) for p in find_all(mark, "PublicationDetails/Publication")]
    publications = sorted(d for d in publications if d)
    if publications:
        parsed.preliminary_publication_date = publications[0]
    for description in find_all(mark, "//ClassDescription"):
        number_text = text(description, "ClassNumber")
        if number_text.isdigit() and 1 <= int(number_text) <= 45:
            parsed.goods.append(ParsedGoods(class_number=int(number_text),
                                            name=text(description, "GoodsServicesDescription")))
    applicants = find_all(mark, "ApplicantDetails/Applicant") or beside
    parsed.parties = _applicants(applicants) + _representatives(mark)
    for event in find_all(mark, "MarkEventDetails/MarkEvent"):
        day = parse_date(text(event, "MarkEventDate"))
        if day:
            parsed.events.append(ParsedEvent(
                date=day, code=text(event, "MarkEventCode")[:20],
                description=(text(event, "//MarkEventInternalDescriptionText") or text(event, "MarkEventDescription")
                             or text(event, "Comment"))[:500],
                details=_entry(text(event, "//MarkEventEntryNumber"))))
    parsed.events.sort(key=lambda e: (e.date, e.details.get("entry", 0)))
    register_category = text(mark, "TradeMarkExt/RegisterCategory")
    if register_category:
        parsed.extra["register"] = register_category
    disclaimer = text(mark, "MarkDisclaimerDetails/MarkDisclaimer")
    if disclaimer:
        parsed.extra["disclaimer"] = disclaimer
    return parsed


@register
class ST66Parser(Parser):
    format = "wipo-st66"
    description = "WIPO ST.66 trademark XML"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return NAMESPACE + b'"' in head and b"TradeMarkTransactionBody" in head or \
            (b"<TradeMark>" in head and b"<MarkVerbalElementText" in head)

    def parse(self, path: Path):
        count = 0
        for data in stream(path, {"TransactionData", "TradeMarkTransactionBody"}):
            if local(data) == "TradeMarkTransactionBody" and find(data, "//TransactionData") is not None:
                continue  # its TransactionData elements were handled as they ended
            marks = find_all(data, "//TradeMark")
            beside = find_all(data, "ApplicantDetails/Applicant") if len(marks) == 1 else []
            for mark in marks:
                count += 1
                try:
                    yield parse_trademark(mark, beside, f"mark {count}")
                except ValueError as error:
                    yield RecordError(f"mark {count}", str(error))
            if not marks:
                yield RecordError(f"transaction {count + 1}", "no TradeMark element")

