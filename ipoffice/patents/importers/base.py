"""The interface every patent parser implements, and the record it produces.

A parser module defines a subclass of :class:`Parser` with ``format`` (e.g. ``"uspto-grant-v4.5"``),
``detect(head, name)`` (does this file look like mine? ``head`` is the first 64 KiB) and
``parse(path)``, a generator of :class:`ParsedPatent` or :class:`RecordError` (one bad record never stops
the file). Parsers stream (lxml ``iterparse`` or line by line) and never load a whole bulk file.
They are registered with :func:`register` and found by :func:`detect_parser`.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache

from ipoffice.core.importing import HEAD_BYTES, Parser, Parsers, RecordError  # noqa: F401  (the parsers' interface)

from ..numbers import normalise_ipc


@dataclass
class ParsedParty:
    name: str
    role: str  # applicant, inventor, agency, agent
    address: str = ""
    country: str = ""


@dataclass
class ParsedCitation:
    cited_office: str = ""
    cited_number: str = ""
    cited_kind: str = ""
    cited_date: date | None = None
    non_patent: str = ""
    category: str = ""
    cited_by: str = ""


@dataclass
class ParsedEvent:
    date: date
    code: str
    description: str = ""
    details: dict = field(default_factory=dict)


@dataclass
class ParsedPatent:
    """A patent document as read from one source record, in the registry's terms.

    Numbers are as the office writes them without the office prefix and spaces (US 09876543 → "09876543",
    CN application 202010123456.7 → "2020101234567"); kind codes as printed (A1, B2, U, S); classification
    symbols normalised by :func:`ipoffice.patents.numbers.normalise_ipc` (``H04L 9/32`` → ``H04L9/32``).
    """

    office: str
    application_number: str
    title: str
    patent_type: str  # invention, utility, design, plant, reissue, other
    kind: str = ""
    application_date: date | None = None
    publication_number: str = ""
    publication_date: date | None = None
    grant_number: str = ""
    grant_date: date | None = None
    priority_date: date | None = None
    titles: dict = field(default_factory=dict)  # {language: title}
    abstract: str = ""
    abstracts: dict = field(default_factory=dict)
    first_claim: str = ""
    claims_count: int | None = None
    ipc: list[str] = field(default_factory=list)  # main first
    cpc: list[str] = field(default_factory=list)  # main first
    locarno: list[str] = field(default_factory=list)
    parties: list[ParsedParty] = field(default_factory=list)
    priorities: list[dict] = field(default_factory=list)  # {"country", "number", "date"}
    pct: dict = field(default_factory=dict)  # {"application_number", "filing_date", "publication_number", ...}
    family_id: str = ""
    citations: list[ParsedCitation] = field(default_factory=list)
    events: list[ParsedEvent] = field(default_factory=list)
    legal_status: str = ""
    is_generated: bool = False
    record: str = ""  # where in the file: "document 3", "line 1200"

    def as_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=100_000)
def normalised_ipc(symbol: str) -> str:
    """:func:`~ipoffice.patents.numbers.normalise_ipc`, remembered: a register's files use a few thousand symbols
    over and over, and each is normalised by the parser and again by the importer."""
    return normalise_ipc(symbol)


_PARSERS = Parsers(f"{__package__}.formats")
register, parsers, detect_parser = _PARSERS.register, _PARSERS.all, _PARSERS.detect
