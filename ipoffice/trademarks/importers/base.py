"""The interface every trademark parser implements, and the record it produces (as for patents).

A parser module (``fmt_*.py`` in this package) defines a subclass of :class:`Parser` with ``format``,
``detect(head, name)`` (``head`` is the file's first 64 KiB) and ``parse(path)``, a generator of
:class:`ParsedMark` or :class:`RecordError` (one bad record never stops the file). It registers itself with
:func:`register`; :func:`detect_parser` finds the parser of a file.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from ipoffice.core.importing import HEAD_BYTES, Parser, Parsers, RecordError  # noqa: F401  (the parsers' interface)


@dataclass
class ParsedParty:
    name: str
    role: str = "owner"  # owner, former_owner, agent, correspondent
    address: str = ""
    country: str = ""
    capacity: str = ""
    name_en: str = ""


@dataclass
class ParsedGoods:
    class_number: int
    name: str = ""
    group_code: str = ""
    item_code: str = ""


@dataclass
class ParsedEvent:
    date: date
    code: str = ""
    description: str = ""
    details: dict = field(default_factory=dict)


@dataclass
class ParsedMark:
    """A mark as read from one record, in the register's terms (see ``models.Trademark``)."""

    office: str
    application_number: str
    mark_text: str = ""
    registration_number: str = ""
    mark_type: str = "word"
    mark_kind: str = "individual"
    is_geographical_indication: bool = False
    is_well_known: bool = False
    image_description: str = ""
    colour_claim: str = ""
    filing_date: date | None = None
    priority_date: date | None = None
    preliminary_publication_date: date | None = None
    preliminary_publication_issue: str = ""
    registration_date: date | None = None
    registration_issue: str = ""
    term_start: date | None = None
    term_end: date | None = None
    status: str = ""
    status_text: str = ""
    status_date: date | None = None
    madrid_role: str = ""
    international_registration_number: str = ""
    international_registration_date: date | None = None
    designation_date: date | None = None
    designated_countries: list[str] = field(default_factory=list)
    parties: list[ParsedParty] = field(default_factory=list)
    goods: list[ParsedGoods] = field(default_factory=list)
    events: list[ParsedEvent] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    is_generated: bool = False
    record: str = ""  # where in the file: "record 3", "line 1200"

    def as_dict(self) -> dict:
        return asdict(self)


_PARSERS = Parsers(f"{__package__}.formats")
register, parsers, detect_parser = _PARSERS.register, _PARSERS.all, _PARSERS.detect


def parse_date(text: str | None) -> date | None:
    """ISO dates with or without a zone (``2000-05-09-04:00``), ``20000509``, ``2000.05.09``, ``2000年5月9日``."""
    import re

    if not text:
        return None
    value = str(text).strip()
    match = re.match(r"(\d{4})[-./年]?(\d{1,2})[-./月]?(\d{1,2})", value)
    if not match:
        raise ValueError(f"'{value}' is not a date")
    year, month, day = (int(g) for g in match.groups())
    return date(year, month, day)
