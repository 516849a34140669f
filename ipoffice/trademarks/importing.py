"""Importing trademark files: detect the format, stream the records, write them in one transaction per file,
link owners (and Chinese agencies) to entities and the first owner's address to a district, and keep a manifest.

As for patents: a record whose parsed content is already stored (same hash) is counted as unchanged, so
re-importing a file changes nothing; a file that cannot be read to its end writes nothing and its manifest
says why; a record that cannot be read is rejected with its reason while the others are imported.

Chinese marks get the 区分表 edition in force on their filing date, and their goods the item's similar group
(and class) from that edition when the item code or the exact item name is found there.
"""

from collections.abc import Callable, Iterable
from pathlib import Path

from ipoffice.core.importing import Counts, Registry, expand_paths, record_hash
from ipoffice.core.importing import import_file as run_import
from ipoffice.core.text import has_han
from ipoffice.entities.services import match_entity
from ipoffice.regions.models import Region
from ipoffice.regions.services import resolve_addresses

from . import classification
from .clocks import term_of
from .importers.base import ParsedMark, detect_parser
from .models import ImportManifest, Trademark, TrademarkEvent, TrademarkGoods, TrademarkParty

BATCH = 500
_CHILDREN = (TrademarkParty, TrademarkGoods, TrademarkEvent)




def _chinese(party: TrademarkParty) -> bool:
    return party.country in ("", "CN") and has_han(party.name + party.address)


class PartyResolver:
    """Owners (and Chinese agencies) → entities, Chinese addresses → districts, remembered within one import."""

    def __init__(self, source: str):
        self.source = source
        self._entities: dict[tuple[str, str], tuple[int, int | None]] = {}
        self._regions: dict[str, int | None] = {}
        self._region_ids: dict[str, int | None] = {}
        self._region_objects: dict[int, Region | None] = {}

    def resolve(self, parties: list[TrademarkParty]) -> None:
        addresses = list(dict.fromkeys(p.address for p in parties if p.address and p.address not in self._regions
                                       and _chinese(p)))
        for address, result in zip(addresses, resolve_addresses(addresses), strict=True):
            self._regions[address] = self._region_id(result.code)
        for party in parties:
            party.region_id = self._regions.get(party.address)
            linked = party.role in (TrademarkParty.Role.OWNER, TrademarkParty.Role.FORMER_OWNER) or (
                party.role == TrademarkParty.Role.AGENT and _chinese(party))
            if not linked:
                continue
            key = (party.name, party.address if party.country in ("", "CN") else party.country)
            if key not in self._entities:
                region_id = self._regions.get(party.address) if _chinese(party) else None
                result = match_entity(party.name, party.address if party.country in ("", "CN") else "",
                                      source=self.source, region=self._region(region_id), resolve=False)
                self._entities[key] = (result.entity.pk, result.entity.region_id)
            party.entity_id, entity_region = self._entities[key]
            if party.region_id is None and party.role == TrademarkParty.Role.OWNER:
                party.region_id = entity_region

    def _region(self, region_id: int | None) -> Region | None:
        if region_id is None:
            return None
        if region_id not in self._region_objects:
            self._region_objects[region_id] = Region.objects.filter(pk=region_id).first()
        return self._region_objects[region_id]

    def _region_id(self, code: str | None) -> int | None:
        if not code:
            return None
        if code not in self._region_ids:
            self._region_ids[code] = Region.objects.filter(code=code).values_list("pk", flat=True).first()
        return self._region_ids[code]


def _fields(record: ParsedMark, source: str, fmt: str) -> dict:
    edition = classification.edition_for(record.filing_date) if record.office == "CN" else None
    term_start, term_end = record.term_start, record.term_end
    if record.office == "CN" and record.registration_date and not term_end:
        term_start, term_end = term_of(record.registration_date, term_start, term_end)
    owner = next((p for p in record.parties if p.role == "owner"), None)
    return {
        "registration_number": record.registration_number[:30], "mark_text": record.mark_text[:500],
        "mark_type": record.mark_type, "mark_kind": record.mark_kind,
        "is_geographical_indication": record.is_geographical_indication, "is_well_known": record.is_well_known,
        "image_description": record.image_description[:500], "colour_claim": record.colour_claim[:300],
        "edition": edition or "", "filing_date": record.filing_date, "priority_date": record.priority_date,
        "preliminary_publication_date": record.preliminary_publication_date,
        "preliminary_publication_issue": record.preliminary_publication_issue[:20],
        "registration_date": record.registration_date, "registration_issue": record.registration_issue[:20],
        "term_start": term_start, "term_end": term_end, "status": record.status,
        "status_text": record.status_text[:300], "status_date": record.status_date,
        "madrid_role": record.madrid_role,
        "international_registration_number": record.international_registration_number[:20],
        "international_registration_date": record.international_registration_date,
        "designation_date": record.designation_date, "designated_countries": record.designated_countries,
        "owner_name": owner.name[:300] if owner else "", "extra": record.extra,
        "source_file": source[:500], "source_format": fmt, "is_generated": record.is_generated,
    }


def goods_rows(edition: str | None, record: ParsedMark) -> list[tuple[int, str, str, str]]:
    """(class, similar group, item code, name) of each designated good, completed from the edition's table."""
    rows = []
    groups = list(record.extra.get("groups") or [])
    for goods in record.goods:
        code, group, number = goods.item_code, goods.group_code, goods.class_number
        if edition and (code or goods.name) and not group:
            found = classification.item_by_code(code, edition) if code else None
            found = found or (classification.item_for_name(goods.name, edition, number) if goods.name else None)
            if found:
                code, group, number = found
        if not group and len(groups) == 1 and groups[0][:2] == f"{number:02d}":
            group = groups[0]
        rows.append((number, group[:4], code[:8], goods.name))
    return rows


def _goods(mark: Trademark, record: ParsedMark) -> list[TrademarkGoods]:
    return [TrademarkGoods(trademark=mark, sequence=i, class_number=number, group_code=group, item_code=code,
                           name=name) for i, (number, group, code, name) in
            enumerate(goods_rows(mark.edition or None, record))]


def _children(mark: Trademark, record: ParsedMark) -> tuple[list, list, list]:
    parties, by_role = [], {}
    for party in record.parties:
        sequence = by_role.get(party.role, 0)
        by_role[party.role] = sequence + 1
        parties.append(TrademarkParty(trademark=mark, role=party.role, sequence=sequence, name=party.name[:300],
                                      name_en=party.name_en[:300], address=party.address[:500],
                                      country=(party.country or "")[:2].upper(), capacity=party.capacity[:100]))
    events = [TrademarkEvent(trademark=mark, date=e.date, code=e.code[:20], description=e.description[:500],
                             details=e.details) for e in record.events]
    return parties, _goods(mark, record), events


def _check(record: ParsedMark) -> str | None:
    if not record.office or not record.application_number:
        return "no application number"
    if not record.mark_text and record.mark_type == "word":
        return "a word mark without its text"
    return None


def _write_batch(batch: list[ParsedMark], counts: Counts, source: str, fmt: str, resolver: PartyResolver) -> None:
    keys = {(r.office, r.application_number) for r in batch}
    existing = {(m.office, m.application_number): m for m in Trademark.objects.filter(
        office__in={k[0] for k in keys}, application_number__in={k[1] for k in keys})}
    fresh, changed, children = [], [], []
    for record in batch:
        digest = record_hash(record)
        mark = existing.get((record.office, record.application_number))
        if mark is not None and mark.content_hash == digest:
            counts.unchanged += 1
            continue
        values = _fields(record, source, fmt)
        if mark is None:
            mark = Trademark(office=record.office, application_number=record.application_number[:30],
                             content_hash=digest, **values)
            existing[(record.office, record.application_number)] = mark
            fresh.append(mark)
        else:
            for key, value in values.items():
                setattr(mark, key, value)
            mark.content_hash = digest
            if mark not in changed and mark.pk:
                changed.append(mark)
        mark.fill_text_fields()
        children.append((mark, record))
    Trademark.objects.bulk_create(fresh, batch_size=BATCH)
    if not all(m.pk for m in fresh):  # backends that do not return ids from bulk inserts
        ids = dict(Trademark.objects.filter(content_hash__in=[m.content_hash for m in fresh])
                   .values_list("content_hash", "pk"))
        for mark in fresh:
            mark.pk = ids[mark.content_hash]
    for mark in changed:
        mark.save()
        for model in _CHILDREN:
            model.objects.filter(trademark=mark).delete()
    counts.created += len(fresh)
    counts.updated += len(changed)
    rows = [[], [], []]
    for mark, record in children:
        for bucket, items in zip(rows, _children(mark, record), strict=True):
            bucket.extend(items)
    resolver.resolve(rows[0])
    for mark, _record in children:
        owner = next((p for p in rows[0] if p.trademark is mark and p.role == TrademarkParty.Role.OWNER), None)
        region_id = owner.region_id if owner else None
        if region_id != mark.region_id:
            Trademark.objects.filter(pk=mark.pk).update(region_id=region_id)
            mark.region_id = region_id
    for model, bucket in zip(_CHILDREN, rows, strict=True):
        model.objects.bulk_create(bucket, batch_size=BATCH)


REGISTRY = Registry(name="trademarks", manifest_model=ImportManifest, detect_parser=detect_parser,
                    formats="ST.66, ST.96, EUIPO JSON or a Chinese register extract",
                    check=_check, write_batch=_write_batch, resolver=PartyResolver, batch=BATCH)


def import_file(path: Path, *, progress: Callable[[int], None] | None = None) -> ImportManifest:
    """Import one file (format detected) and return its manifest; see the module docstring."""
    return run_import(REGISTRY, path, progress=progress)


def import_paths(paths: Iterable[Path], *, progress=None) -> list[ImportManifest]:
    return [import_file(path, progress=progress) for path in expand_paths(paths)]
