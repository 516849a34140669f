"""Importing patent files: detect the format, stream the records, write them in one transaction per file,
link applicants to entities and districts, and keep a manifest of what happened.

Re-importing a file changes nothing: each record carries a hash of its parsed content, and a record whose
hash is already stored is counted as unchanged. A file that cannot be read to its end (truncated, not
well-formed, an XML bomb) writes nothing and its manifest says why; a record that cannot be read is
rejected with its reason while the others are imported.
"""

from collections.abc import Callable, Iterable
from pathlib import Path

from ipoffice.core.importing import Counts, Registry, expand_paths, record_hash
from ipoffice.core.importing import import_file as run_import
from ipoffice.entities.services import match_entity
from ipoffice.regions.models import Region
from ipoffice.regions.services import resolve_addresses

from .importers.base import ParsedPatent, RecordError, detect_parser
from .models import Citation, Classification, ImportManifest, LegalEvent, Party, Patent
from .numbers import normalise_ipc
from .search import index_patents

BATCH = 500
_CHILDREN = (Party, Classification, Citation, LegalEvent)




class EntityResolver:
    """Links applicant names to entities and addresses to districts, remembering answers within an import."""

    def __init__(self, source: str):
        self.source = source
        self._entities: dict[tuple[str, str], int] = {}
        self._regions: dict[str, tuple[int | None, float | None]] = {}
        self._region_ids = {}
        self._region_objects: dict[int, Region] = {}

    def resolve(self, parties: list[Party]) -> None:
        addresses = [p.address for p in parties if p.address and p.address not in self._regions
                     and _looks_chinese_address(p)]
        if addresses:
            unique = list(dict.fromkeys(addresses))
            for address, result in zip(unique, resolve_addresses(unique), strict=True):
                self._regions[address] = (self._region_id(result.code), result.confidence)
        for party in parties:
            if party.address in self._regions:
                party.region_id, party.region_confidence = self._regions[party.address]
            if party.role != Party.Role.APPLICANT:
                continue
            key = (party.name, party.address if party.country in ("", "CN") else party.country)
            if key not in self._entities:
                result = match_entity(party.name, party.address if party.country in ("", "CN") else "",
                                      source=self.source, region=self._region(party.region_id), resolve=False)
                self._entities[key] = result.entity.pk
            party.entity_id = self._entities[key]

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
            self._region_ids[code] = Region.objects.filter(code=code).values_list("pk", flat=True).first()
        return self._region_ids[code]


def _looks_chinese_address(party: Party) -> bool:
    return party.country in ("", "CN") and any("\u4e00" <= ch <= "\u9fff" for ch in party.address)


def _children(patent: Patent, record: ParsedPatent) -> tuple[list, ...]:
    parties = []
    for role in (Party.Role.APPLICANT, Party.Role.INVENTOR, Party.Role.AGENCY, Party.Role.AGENT):
        members = [p for p in record.parties if p.role == role]
        parties += [Party(patent=patent, role=role, sequence=i, name=p.name[:300], address=p.address[:500],
                          country=(p.country or "")[:2].upper()) for i, p in enumerate(members)]
    classes = []
    for scheme, symbols in (("ipc", record.ipc), ("cpc", record.cpc), ("locarno", record.locarno)):
        seen = set()
        for i, raw in enumerate(symbols):
            symbol = normalise_ipc(raw) if scheme != "locarno" else raw.strip()
            if symbol and symbol not in seen:
                seen.add(symbol)
                classes.append(Classification(patent=patent, scheme=scheme, symbol=symbol[:20],
                                              subclass=symbol[:4], is_main=i == 0, sequence=i))
    citations = [Citation(patent=patent, sequence=i, cited_office=c.cited_office[:2], cited_number=c.cited_number[:40],
                          cited_kind=c.cited_kind[:4], cited_date=c.cited_date, non_patent=c.non_patent,
                          category=c.category[:20], cited_by=c.cited_by[:20]) for i, c in enumerate(record.citations)]
    events = [LegalEvent(patent=patent, date=e.date, code=e.code[:10], description=e.description[:300],
                         details=e.details) for e in record.events]
    return parties, classes, citations, events


def _fields(record: ParsedPatent, source: str, fmt: str) -> dict:
    ipc = [normalise_ipc(s) for s in record.ipc]
    cpc = [normalise_ipc(s) for s in record.cpc]
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
    keys = {(r.office, r.application_number) for r in batch}
    existing = {(p.office, p.application_number): p for p in
                Patent.objects.filter(office__in={k[0] for k in keys},
                                      application_number__in={k[1] for k in keys})}
    fresh, changed, children = [], [], []
    for record in batch:
        digest = record_hash(record)
        patent = existing.get((record.office, record.application_number))
        if patent is not None and (patent.content_hash == digest or digest in patent.source_hashes):
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
        children.append((patent, record))
    Patent.objects.bulk_create(fresh, batch_size=BATCH)
    if not all(p.pk for p in fresh):  # backends that do not return ids from bulk inserts
        ids = dict(Patent.objects.filter(content_hash__in=[p.content_hash for p in fresh])
                   .values_list("content_hash", "pk"))
        for patent in fresh:
            patent.pk = ids[patent.content_hash]
    for patent in changed:
        patent.save()
        for model in _CHILDREN:
            model.objects.filter(patent=patent).delete()
    counts.created += len(fresh)
    counts.updated += len(changed)
    rows, firsts = [[], [], [], []], []
    for patent, record in children:
        parts = _children(patent, record)
        for bucket, items in zip(rows, parts, strict=True):
            bucket.extend(items)
        firsts.append((patent, next((p for p in parts[0] if p.role == Party.Role.APPLICANT), None)))
    resolver.resolve(rows[0])
    moved: dict[int | None, list[int]] = {}  # region → patents whose first applicant is there (one UPDATE each)
    for patent, first in firsts:
        region_id = first.region_id if first else None
        if region_id != patent.region_id:
            patent.region_id = region_id
            moved.setdefault(region_id, []).append(patent.pk)
    for region_id, ids in moved.items():
        Patent.objects.filter(pk__in=ids).update(region_id=region_id)
    for model, bucket in zip(_CHILDREN, rows, strict=True):
        model.objects.bulk_create(bucket, batch_size=BATCH)
    index_patents([patent.pk for patent, _record in children])  # keep the search index in step


def _merge_publication(patent: Patent, values: dict) -> dict:
    """A grant after its application (or the other way round) adds to the record instead of blanking it;
    once granted, an application document does not take the kind code back to A."""
    if patent.grant_number and not values.get("grant_number"):
        values = {k: v for k, v in values.items() if k != "kind"}
    return {k: v for k, v in values.items() if v not in ("", None, [], {}) or not getattr(patent, k)}


REGISTRY = Registry(name="patents", manifest_model=ImportManifest, detect_parser=detect_parser,
                    record_error=RecordError, formats="a supported patent format",
                    check=_check, write_batch=_write_batch, resolver=EntityResolver, batch=BATCH)


def import_file(path: Path, *, progress: Callable[[int], None] | None = None) -> ImportManifest:
    """Import one file (format detected) and return its manifest; see the module docstring."""
    return run_import(REGISTRY, path, progress=progress)


def import_paths(paths: Iterable[Path], *, progress=None) -> list[ImportManifest]:
    return [import_file(path, progress=progress) for path in expand_paths(paths)]
