"""Importing patent files: detect the format, stream the records, write them in one transaction per file,
link applicants to entities and districts, and keep a manifest of what happened.

Re-importing a file changes nothing: each record carries a hash of its parsed content, and a record whose
hash is already stored is counted as unchanged. A file that cannot be read to its end (truncated, not
well-formed, an XML bomb) writes nothing and its manifest says why; a record that cannot be read is
rejected with its reason while the others are imported.
"""

from collections.abc import Callable, Iterable
from operator import attrgetter
from pathlib import Path

from django.db import connection

from ipoffice.core.bulk import insert_objects, insert_rows
from ipoffice.core.importing import Counts, Registry, expand_paths, record_hash
from ipoffice.core.importing import import_file as run_import
from ipoffice.core.text import has_han
from ipoffice.entities.services import MatchRequest, match_entities
from ipoffice.regions.models import Region
from ipoffice.regions.services import resolve_addresses

from .importers.base import ParsedPatent, detect_parser, normalised_ipc
from .models import Citation, Classification, ImportManifest, LegalEvent, Party, Patent
from .search import index_documents
from .search.indexing import index_suspended

BATCH = 2000
_CHILDREN = (Party, Classification, Citation, LegalEvent)




class EntityResolver:
    """Links applicant names to entities and addresses to districts, remembering answers within an import."""

    def __init__(self, source: str):
        self.source = source
        self._entities: dict[tuple[str, str], int] = {}
        self._regions: dict[str, tuple[int | None, float | None]] = {}
        self._region_ids = {}
        self.region_codes: dict[int, str] = {}  # region id → its code, for the regions resolved so far
        self._region_objects: dict[int, Region] = {}

    def resolve(self, parties: list) -> None:
        """Set ``region_id``/``region_confidence`` of every party with a Chinese address and ``entity_id`` of
        every applicant (parties are objects with Party's attribute names). Each address is resolved once and
        each (name, address) matched once per file; the names new to the file are matched together."""
        addresses = [p.address for p in parties if p.address and p.address not in self._regions
                     and _looks_chinese_address(p)]
        if addresses:
            unique = list(dict.fromkeys(addresses))
            for address, result in zip(unique, resolve_addresses(unique), strict=True):
                self._regions[address] = (self._region_id(result.code), result.confidence)
        wanted: dict[tuple[str, str], MatchRequest] = {}
        for party in parties:
            if party.address in self._regions:
                party.region_id, party.region_confidence = self._regions[party.address]
            if party.role != Party.Role.APPLICANT:
                continue
            key = (party.name, party.address if party.country in ("", "CN") else party.country)
            if key not in self._entities and key not in wanted:
                wanted[key] = MatchRequest(party.name, party.address if party.country in ("", "CN") else "",
                                           self._region(party.region_id))
        if wanted:
            results = match_entities(list(wanted.values()), source=self.source)
            for key, result in zip(wanted, results, strict=True):
                self._entities[key] = result.entity.pk
        for party in parties:
            if party.role == Party.Role.APPLICANT:
                party.entity_id = self._entities[(party.name, party.address if party.country in ("", "CN")
                                                  else party.country)]

    def _region(self, region_id: int | None) -> Region | None:
        if region_id is None:
            return None
        if region_id not in self._region_objects:
            self._region_objects[region_id] = Region.objects.get(pk=region_id)
        return self._region_objects[region_id]

    def _region_id(self, code: str | None) -> int | None:
        if not code:
            return None
        if code not in self._region_ids:
            region_id = Region.objects.filter(code=code).values_list("pk", flat=True).first()
            self._region_ids[code] = region_id
            if region_id is not None:
                self.region_codes[region_id] = code
        return self._region_ids[code]


def _looks_chinese_address(party: Party) -> bool:
    return party.country in ("", "CN") and has_han(party.address)


class _PartyRow:
    """A party row on its way to the table: what the resolver reads and sets, without a model instance."""

    __slots__ = ("patent_id", "role", "sequence", "name", "address", "country", "entity_id", "region_id",
                 "region_confidence")

    def __init__(self, patent_id, role, sequence, name, address, country):
        self.patent_id, self.role, self.sequence, self.name = patent_id, role, sequence, name
        self.address, self.country = address, country
        self.entity_id = self.region_id = self.region_confidence = None


_PARTY_FIELDS = _PartyRow.__slots__
_party_values = attrgetter(*_PARTY_FIELDS)  # a party row as the tuple that insert_rows takes
_CLASS_FIELDS = ("patent_id", "scheme", "symbol", "subclass", "is_main", "sequence")
_CITATION_FIELDS = ("patent_id", "sequence", "cited_office", "cited_number", "cited_kind", "cited_date",
                    "non_patent", "category", "cited_by")
_EVENT_FIELDS = ("patent_id", "date", "code", "description", "details")


_ROLES = (Party.Role.APPLICANT, Party.Role.INVENTOR, Party.Role.AGENCY, Party.Role.AGENT)


def _parties(record: ParsedPatent) -> list[_PartyRow]:
    """The parties of a record in role and sequence order, their patent id still to be set."""
    by_role = {role: [] for role in _ROLES}
    for party in record.parties:
        members = by_role.get(party.role)
        if members is not None:
            members.append(_PartyRow(None, party.role, len(members), party.name[:300], party.address[:500],
                                     (party.country or "")[:2].upper()))
    return [row for members in by_role.values() for row in members]


def _children(patent_id: int, record: ParsedPatent) -> tuple[list, ...]:
    """The classifications, citations and legal events of a record, as tuples in the order of
    ``_CLASS_FIELDS``, ``_CITATION_FIELDS`` and ``_EVENT_FIELDS``."""
    classes = []
    for scheme, symbols in (("ipc", record.ipc), ("cpc", record.cpc), ("locarno", record.locarno)):
        seen = set()
        for i, raw in enumerate(symbols):
            symbol = normalised_ipc(raw) if scheme != "locarno" else raw.strip()
            if symbol and symbol not in seen:
                seen.add(symbol)
                classes.append((patent_id, scheme, symbol[:20], symbol[:4], i == 0, i))
    citations = [(patent_id, i, c.cited_office[:2], c.cited_number[:40], c.cited_kind[:4], c.cited_date,
                  c.non_patent, c.category[:20], c.cited_by[:20]) for i, c in enumerate(record.citations)]
    events = [(patent_id, e.date, e.code[:10], e.description[:300], e.details) for e in record.events]
    return classes, citations, events


def _fields(record: ParsedPatent, source: str, fmt: str) -> dict:
    ipc = [normalised_ipc(s) for s in record.ipc]
    cpc = [normalised_ipc(s) for s in record.cpc]
    return {
        "application_date": record.application_date, "publication_number": record.publication_number[:40],
        "publication_date": record.publication_date, "grant_number": record.grant_number[:40],
        "grant_date": record.grant_date, "kind": record.kind[:4], "patent_type": record.patent_type,
        "priority_date": record.priority_date, "title": record.title[:1000], "titles": record.titles,
        "abstract": record.abstract, "abstracts": record.abstracts, "first_claim": record.first_claim,
        "claims_count": record.claims_count, "ipc_main": ipc[0][:20] if ipc else "",
        "cpc_main": cpc[0][:20] if cpc else "", "priorities": record.priorities, "pct": record.pct,
        "family_id": record.family_id[:30], "legal_status": record.legal_status, "source_file": source[:500],
        "source_format": fmt, "is_generated": record.is_generated,
    }


def _check(record: ParsedPatent) -> str | None:
    for name in ("office", "application_number", "title", "patent_type"):
        if not getattr(record, name):
            return f"no {name.replace('_', ' ')}"
    return None


def _write_batch(batch: list[ParsedPatent], counts: Counts, source: str, fmt: str, resolver: EntityResolver) -> None:
    with index_suspended():  # the batch is indexed once, at its end, not again by the ORM hooks
        _write(batch, counts, source, fmt, resolver)


def _write(batch: list[ParsedPatent], counts: Counts, source: str, fmt: str, resolver: EntityResolver) -> None:
    stored = {(office, number): (pk, content_hash, hashes) for pk, office, number, content_hash, hashes in
              Patent.objects.filter(pk__in=_stored_ids({(r.office, r.application_number) for r in batch}))
              .values_list("pk", "office", "application_number", "content_hash", "source_hashes")}
    digests, changing = [], []
    for record in batch:
        digest = record_hash(record)
        found = stored.get((record.office, record.application_number))
        unchanged = found is not None and (found[1] == digest or digest in found[2])
        digests.append(None if unchanged else digest)
        if found is not None and not unchanged:
            changing.append(found[0])
    existing = {(p.office, p.application_number): p for p in Patent.objects.filter(pk__in=changing)} \
        if changing else {}
    fresh, changed = [], []
    children = {}  # (office, application number) → (patent, its latest record in the batch, whose children stand)
    for record, digest in zip(batch, digests, strict=True):
        if digest is None:
            counts.unchanged += 1
            continue
        patent = existing.get((record.office, record.application_number))
        if patent is not None and digest in patent.source_hashes:  # the same record twice in the batch
            counts.unchanged += 1
            continue
        values = _fields(record, source, fmt)
        if patent is None:
            patent = Patent(office=record.office, application_number=record.application_number,
                            content_hash=digest, source_hashes=[digest], **values)
            existing[(record.office, record.application_number)] = patent
            fresh.append(patent)
        else:
            for key, value in _merge_publication(patent, values).items():
                setattr(patent, key, value)
            patent.content_hash = digest
            patent.source_hashes = [*patent.source_hashes, digest][-20:]
            changed.append(patent)
        children[record.office, record.application_number] = (patent, record)
    children = list(children.values())
    parties = [_parties(record) for _patent, record in children]
    resolver.resolve([party for group in parties for party in group])
    for (patent, _record), group in zip(children, parties, strict=True):  # a patent's region: its first applicant's
        patent.region_id = next((p.region_id for p in group if p.role == Party.Role.APPLICANT), None)
    insert_objects(fresh)
    for patent in changed:
        patent.save()
    if changed:  # their children are written again below (one DELETE per table: no per-row signals)
        ids = list({patent.pk for patent in changed})
        with connection.cursor() as cursor:
            for model in _CHILDREN:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE patent_id IN "
                               f"({', '.join(['%s'] * len(ids))})", ids)
    counts.created += len(fresh)
    counts.updated += len(changed)
    rows = [[], [], []]
    for (patent, record), group in zip(children, parties, strict=True):
        for party in group:
            party.patent_id = patent.pk
        for bucket, items in zip(rows, _children(patent.pk, record), strict=True):
            bucket.extend(items)
    insert_rows(Party, _PARTY_FIELDS, [_party_values(p) for group in parties for p in group])
    for model, names, bucket in zip(_CHILDREN[1:], (_CLASS_FIELDS, _CITATION_FIELDS, _EVENT_FIELDS), rows,
                                    strict=True):
        insert_rows(model, names, bucket)
    index_documents([_document_row(patent, group, resolver.region_codes.get(patent.region_id))
                     for (patent, _record), group in zip(children, parties, strict=True)])


def _document_row(patent: Patent, parties: list[_PartyRow], region_code: str | None) -> tuple:
    """What the search index reads of a patent just written (:func:`.search.backends.document_rows`), from
    memory: the batch is indexed without reading it back."""
    names = {}
    for party in parties:
        names.setdefault(party.role, []).append(party.name)
    return (patent.pk, patent.office, patent.title, patent.titles, patent.abstract, patent.abstracts,
            patent.first_claim, patent.application_number, patent.publication_number, patent.grant_number,
            patent.patent_type, patent.legal_status, patent.application_date, region_code, names)


def _stored_ids(keys: set[tuple[str, str]]) -> list[int]:
    """Ids of the patents stored under these (office, application number) keys, joined on a VALUES list so that
    the unique index is read key by key on either database. Filtered with ``office IN … AND application_number
    IN …``, PostgreSQL without statistics (a large first import, inside its transaction) scanned the whole office
    index for every batch: 1 s per batch at 1 M patents."""
    if not keys:
        return []
    opts, quote = Patent._meta, connection.ops.quote_name
    office, number = (quote(opts.get_field(name).column) for name in ("office", "application_number"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p.{quote(opts.pk.column)} FROM {quote(opts.db_table)} p JOIN "
                       f"(VALUES {', '.join(['(%s, %s)'] * len(keys))}) k "
                       f"ON p.{office} = k.column1 AND p.{number} = k.column2", [v for key in keys for v in key])
        return [row[0] for row in cursor.fetchall()]


def _merge_publication(patent: Patent, values: dict) -> dict:
    """A grant after its application (or the other way round) adds to the record instead of blanking it;
    once granted, an application document does not take the kind code back to A."""
    if patent.grant_number and not values.get("grant_number"):
        values = {k: v for k, v in values.items() if k != "kind"}
    return {k: v for k, v in values.items() if v not in ("", None, [], {}) or not getattr(patent, k)}


REGISTRY = Registry(name="patents", manifest_model=ImportManifest, detect_parser=detect_parser,
                    formats="a supported patent format",
                    check=_check, write_batch=_write_batch, resolver=EntityResolver, batch=BATCH)


def import_file(path: Path, *, progress: Callable[[int], None] | None = None) -> ImportManifest:
    """Import one file (format detected) and return its manifest; see the module docstring."""
    return run_import(REGISTRY, path, progress=progress)


def import_paths(paths: Iterable[Path], *, progress=None) -> list[ImportManifest]:
    return [import_file(path, progress=progress) for path in expand_paths(paths)]
