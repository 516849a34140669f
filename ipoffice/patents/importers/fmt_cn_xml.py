"""CNIPA bibliographic XML: ``cn-patent-document`` (ZC 0012 / WIPO ST.36), one or many per file.

The layout as CNIPA's bulk data writes it: ``cn-bibliographic-data`` with ``cn-publication-reference``,
``application-reference`` (``appl-type``), ``priority-claims``, ``classifications-ipcr`` (or the older
``classification-ipc``), ``classification-locarno`` for designs, ``cn-parties`` (``cn-applicants``,
``cn-inventors``, ``cn-agents`` with their ``cn-agency``), ``invention-title``, ``abstract``,
``references-cited``, ``patent-family``, the PCT elements, and ``application-body/claims``. A granted
invention (kind B) names its earlier publication in ``dates-of-public-availability/
unexamined-printed-without-grant``. Legal events, which CNIPA delivers apart, are read from
``cn-legal-status-data`` when a file carries them (the project's generator does). Names are read from
``addressbook/name`` or a ``name`` directly under the party.

Bulk files hold many documents (wrapped in one root element); a file of one document is read as well.
The file is streamed with ``iterparse`` (no DTD, no network, no entity expansion).
"""

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ipoffice.core.errors import DataError

from .base import (
    ParsedCitation,
    ParsedEvent,
    ParsedParty,
    ParsedPatent,
    Parser,
    RecordError,
    normalised_ipc,
    register,
)
from .fmt_cn_common import (
    GENERATED_WORDS,
    application_number,
    first_problem,
    parse_date,
    priority_number,
    status_from_events,
    status_from_text,
)

_APP_FIELD = "application-reference/document-id/doc-number"


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _find_text(parent, path: str) -> str:
    return (parent.findtext(path) or "").strip() if parent is not None else ""


def _name(party) -> str:
    for path in ("addressbook/name", "name", "addressbook/orgname", "orgname"):
        value = _find_text(party, path)
        if value:
            return value
    last, first = _find_text(party, "addressbook/last-name"), _find_text(party, "addressbook/first-name")
    return f"{last}{first}"


def _address(party) -> str:
    for path in ("addressbook/address/text", "address/text", "addressbook/address/address-1"):
        value = _find_text(party, path)
        if value:
            return " ".join(value.split())
    return ""


def _country(party) -> str:
    for path in ("residence/country", "nationality/country", "addressbook/address/country", "address/country"):
        value = _find_text(party, path)
        if value:
            return value.upper()
    return ""


def _document_id(element) -> tuple[str, str, str, object]:
    if element is None:
        return "", "", "", None
    return (_find_text(element, "country").upper(), _find_text(element, "doc-number"),
            _find_text(element, "kind").upper(), parse_date(_find_text(element, "date")))


@register
class CNIPAXmlParser(Parser):
    format = "cnipa-xml"
    description = "CNIPA bibliographic XML (cn-patent-document, ZC 0012 / ST.36), one or many documents per file"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return b"<cn-patent-document" in head

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        context = etree.iterparse(str(path), events=("end",), tag="cn-patent-document", resolve_entities=False,
                                  no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
        for number, (_, document) in enumerate(context, 1):
            where = f"document {number}"
            try:
                yield self.record(document, where)
            except DataError as error:
                field = error.problems[0].field if error.problems else None
                yield RecordError(where, first_problem(error),
                                  _APP_FIELD if field == "application_number" else field)
            except ValueError as error:
                yield RecordError(where, str(error))
            finally:
                document.clear(keep_tail=True)
                parent = document.getparent()
                if parent is not None:
                    while document.getprevious() is not None:
                        del parent[0]

    def record(self, document, where: str) -> ParsedPatent:
        bib = document.find("cn-bibliographic-data")
        if bib is None:
            raise ValueError("no cn-bibliographic-data")
        app_number_text = _find_text(bib, _APP_FIELD)
        if not app_number_text:
            raise DataError.single("no application number", field="application_number")
        app_number, patent_type = application_number(app_number_text)
        app_date = parse_date(_find_text(bib, "application-reference/document-id/date"))
        country, number, kind, published = _document_id(bib.find("cn-publication-reference/document-id"))
        kind = kind or document.get("kind", "").upper()
        publication_number = publication_date = grant_number = grant_date = None
        if kind[:1] in ("B", "C"):
            grant_number, grant_date = f"{number}{kind}", published
            _, earlier, earlier_kind, earlier_date = _document_id(
                bib.find("dates-of-public-availability/unexamined-printed-without-grant/document-id"))
            if earlier:
                publication_number, publication_date = f"{earlier}{earlier_kind or 'A'}", earlier_date
        elif kind[:1] in ("U", "Y", "S", "D"):  # a utility model or design is published when granted
            publication_number = grant_number = f"{number}{kind}"
            publication_date = grant_date = published
        else:
            publication_number, publication_date = f"{number}{kind}", published
        titles = {}
        for title in bib.findall("invention-title"):
            titles.setdefault((title.get("lang") or "zh").lower(), _text(title))
        title = titles.get("zh") or next(iter(titles.values()), "")
        abstract = "\n".join(_text(p) for p in bib.findall("abstract/p")) or _text(bib.find("abstract"))
        claims = document.findall("application-body/claims/claim") or document.findall("claims/claim")
        first_claim = _text(claims[0].find("claim-text")) if claims else ""
        count = _find_text(bib, "number-of-claims")
        priorities = []
        for claim in bib.findall("priority-claims/priority-claim"):
            p_country = _find_text(claim, "country").upper()
            p_date = parse_date(_find_text(claim, "date"))
            priorities.append({"country": p_country,
                               "number": priority_number(p_country, _find_text(claim, "doc-number")),
                               "date": p_date.isoformat() if p_date else ""})
        events = [ParsedEvent(parse_date(_find_text(e, "date")), _find_text(e, "code").upper(),
                              _find_text(e, "description"))
                  for e in document.findall("cn-legal-status-data/cn-legal-event")]
        status = document.find("cn-legal-status-data/cn-legal-status")
        legal_status = ""
        if status is not None:
            legal_status = status_from_text(status.get("status", "")) or status_from_text(_text(status)) \
                or status_from_text(status.get("simple", ""))
        legal_status = legal_status or status_from_events(events)
        marker = " ".join(filter(None, (document.get("generated"), document.get("data-source")))).lower()
        return ParsedPatent(
            office="CN", application_number=app_number, title=title, patent_type=patent_type, kind=kind,
            application_date=app_date, publication_number=publication_number or "",
            publication_date=publication_date, grant_number=grant_number or "", grant_date=grant_date,
            priority_date=min((parse_date(p["date"]) for p in priorities if p["date"]), default=None),
            titles=titles, abstract=abstract, first_claim=first_claim,
            claims_count=int(count) if count.isdigit() else (len(claims) or None),
            ipc=self._ipc(bib), locarno=self._locarno(bib), parties=self._parties(bib), priorities=priorities,
            pct=self._pct(bib), family_id=_find_text(bib, "patent-family/cn-family-id"),
            citations=self._citations(bib), events=events, legal_status=legal_status,
            is_generated=marker.startswith(("yes", "true", "1")) or any(w in marker for w in GENERATED_WORDS),
            record=where)

    @staticmethod
    def _ipc(bib) -> list[str]:
        symbols = []
        for element in bib.findall("classifications-ipcr/classification-ipcr"):
            text = _find_text(element, "text")
            if not text:
                parts = [_find_text(element, p) for p in ("section", "class", "subclass", "main-group", "subgroup")]
                text = f"{''.join(parts[:3])}{parts[3]}/{parts[4]}" if all(parts) else ""
            if text:
                symbols.append(normalised_ipc(text))
        if not symbols:  # IPC 7th edition and before
            for path in ("classification-ipc/main-classification", "classification-ipc/further-classification"):
                symbols += [normalised_ipc(e.text) for e in bib.findall(path) if (e.text or "").strip()]
        return list(dict.fromkeys(symbols))

    @staticmethod
    def _locarno(bib) -> list[str]:
        return [e.text.strip() for path in ("classification-locarno/main-classification",
                                            "classification-locarno/further-classification")
                for e in bib.findall(path) if (e.text or "").strip()]

    @staticmethod
    def _parties(bib) -> list[ParsedParty]:
        parties = []
        for applicant in bib.findall("cn-parties/cn-applicants/cn-applicant"):
            parties.append(ParsedParty(_name(applicant), "applicant", _address(applicant), _country(applicant)))
        for inventor in bib.findall("cn-parties/cn-inventors/cn-inventor"):
            parties.append(ParsedParty(_name(inventor), "inventor"))
        agencies, agents = [], []
        for agent in bib.findall("cn-parties/cn-agents/cn-agent"):
            agency = _find_text(agent, "cn-agency/name") or _find_text(agent, "cn-agency/addressbook/name")
            if agency and agency not in agencies:
                agencies.append(agency)
            name = _name(agent)
            if name:
                agents.append(name)
        parties += [ParsedParty(name, "agency") for name in agencies]
        parties += [ParsedParty(name, "agent") for name in agents]
        return [p for p in parties if p.name]

    @staticmethod
    def _pct(bib) -> dict:
        pct = {}
        _, number, _, filed = _document_id(bib.find("pct-or-regional-filing-data/document-id"))
        if number:
            pct.update(application_number=number, filing_date=filed.isoformat() if filed else "")
        published = bib.find("pct-or-regional-publishing-data/document-id")
        _, number, _, day = _document_id(published)
        if number:
            pct.update(publication_number=number, publication_date=day.isoformat() if day else "",
                       publication_language=(published.get("lang") or "").lower())
        entry = parse_date(_find_text(bib, "date-pct-article-22-39-fulfilled/date"))
        if entry:
            pct["national_phase_date"] = entry.isoformat()
        return pct

    @staticmethod
    def _citations(bib) -> list[ParsedCitation]:
        citations = []
        for citation in bib.findall("references-cited/citation"):
            category = _find_text(citation, "category")
            cited_by = citation.get("cited-by", "") or _find_text(citation, "cited-by")
            patent = citation.find("patcit/document-id")
            if patent is not None:
                country, number, kind, day = _document_id(patent)
                citations.append(ParsedCitation(country, f"{number}{kind}" if country == "CN" else number, kind, day,
                                                category=category, cited_by=cited_by))
            else:
                text = _text(citation.find("nplcit"))
                if text:
                    citations.append(ParsedCitation(non_patent=text, category=category, cited_by=cited_by))
        return citations
