"""The bulk loader: Chinese register extracts (CSV, the generator's layout) into the register, fast enough for
the province's two million marks.

Unlike :func:`ipoffice.trademarks.importing.import_file` it does not record a matching decision for every owner:
owners are found by their normalised name (``Entity.name_key``) and new ones are created in bulk, with the
district of their address; marks already in the register (same office and number) are skipped, so loading a
file twice adds nothing. Everything is written in one transaction: a bad row stops the load and names its row
and field, and nothing is kept.
"""

import csv
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.db import transaction

from ipoffice.core.bulk import insert_objects, insert_rows, insert_with_history
from ipoffice.core.errors import DataError
from ipoffice.entities.models import Entity
from ipoffice.entities.names import clean_name, guess_kind, name_key
from ipoffice.regions.models import Region
from ipoffice.regions.services import resolve_addresses

from .importers.base import RecordError
from .importers.fmt_cn_register import COLUMNS, REQUIRED, header_map, parse_row
from .importing import _fields, goods_rows
from .models import Trademark, TrademarkEvent, TrademarkGoods, TrademarkParty

BATCH = 5000


class Owners:
    """Name → (entity id, region id), from the register's entities, creating missing ones in bulk."""

    def __init__(self, known: dict[str, tuple[int, int | None]] | None = None):
        self.by_key: dict[str, tuple[int, int | None]] = {name_key(k): v for k, v in (known or {}).items()}
        self._regions: dict[str, int | None] = {}
        self._by_name: dict[str, tuple[int, int | None]] = {}

    def resolve(self, parties: list[tuple[str, str, bool, str]]) -> None:
        """Make sure every (name, address, generated, role) has an entity."""
        wanted = {}
        for name, address, generated, role in parties:
            if name in self._by_name:
                continue
            key = name_key(name)
            if key and key not in self.by_key and key not in wanted:
                wanted[key] = (name, address, generated, role)
        if not wanted:
            return
        for key, pk, region in Entity.objects.filter(name_key__in=list(wanted)).values_list("name_key", "pk",
                                                                                            "region_id"):
            self.by_key.setdefault(key, (pk, region))
            wanted.pop(key, None)
        if not wanted:
            return
        addresses = list(dict.fromkeys(a for _n, a, _g, _r in wanted.values() if a and a not in self._regions))
        codes = [r.code for r in resolve_addresses(addresses)]
        ids = dict(Region.objects.filter(code__in={c for c in codes if c}).values_list("code", "pk"))
        for address, code in zip(addresses, codes, strict=True):
            self._regions[address] = ids.get(code)
        new = []
        for name, address, generated, role in wanted.values():
            entity = Entity(name=clean_name(name), address=(address or "")[:300], is_generated=generated,
                            kind=Entity.Kind.AGENCY if role == "agent" else guess_kind(clean_name(name)),
                            region_id=self._regions.get(address))
            entity.fill_derived_fields()
            new.append(entity)
        insert_with_history(new)
        for key, pk, region in Entity.objects.filter(name_key__in=list(wanted)).values_list("name_key", "pk",
                                                                                            "region_id"):
            self.by_key[key] = (pk, region)

    def get(self, name: str) -> tuple[int | None, int | None]:
        found = self._by_name.get(name)
        if found is None:
            found = self.by_key.get(name_key(name))
            if found is None:
                return None, None
            self._by_name[name] = found
        return found


def csv_rows(path: Path) -> Iterator[list[str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.reader(fh)


def bulk_load(rows: Iterable[list[str]] | Path | str, *, owners: Owners | None = None, source: str = "",
              progress: Callable[[int], None] | None = None) -> dict:
    """Load rows (the header first) or a CSV file; returns counts. See the module docstring."""
    if isinstance(rows, str | Path):
        source = source or str(rows)
        rows = csv_rows(Path(rows))
    rows = iter(rows)
    header = next(rows, None)
    columns = header_map(header or [])
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in columns]
    if missing:
        raise DataError.single(f"missing column(s) {', '.join(missing)}", source=source or None)
    owners = owners or Owners()
    counts = {"read": 0, "created": 0, "skipped": 0}
    with transaction.atomic():
        batch = []
        for number, row in enumerate(rows, start=2):
            if not any(row):
                continue
            counts["read"] += 1
            batch.append((number, row))
            if len(batch) >= BATCH:
                _write(batch, columns, owners, source, counts)
                batch = []
                if progress:
                    progress(counts["read"])
        if batch:
            _write(batch, columns, owners, source, counts)
    if progress:
        progress(counts["read"])
    return counts


def _write(batch, columns, owners: Owners, source: str, counts: dict) -> None:
    records = []
    for number, row in batch:
        try:
            record = parse_row(row, columns, f"row {number}")
        except ValueError as error:
            raise DataError.single(str(error), record=number, source=source or None) from error
        if isinstance(record, RecordError):  # pragma: no cover - parse_row raises instead
            continue
        records.append((record, hashlib.sha256("\x1f".join(row).encode()).hexdigest()))
    numbers = [r.application_number for r, _ in records]
    existing = set(Trademark.objects.filter(office="CN", application_number__in=numbers)
                   .values_list("application_number", flat=True))
    fresh = [(r, h) for r, h in records if r.application_number not in existing]
    counts["skipped"] += len(records) - len(fresh)
    seen, unique = set(), []
    for record, digest in fresh:  # the same number twice in one batch: the first row wins
        if record.application_number not in seen:
            seen.add(record.application_number)
            unique.append((record, digest))
    owners.resolve([(p.name, p.address, r.is_generated, p.role) for r, _ in unique for p in r.parties
                    if p.role in ("owner", "agent")])
    marks = []
    for record, digest in unique:
        mark = Trademark(office="CN", application_number=record.application_number[:30], content_hash=digest,
                         **_fields(record, source, "cn-register-csv"))
        mark.fill_text_fields()
        owner = next((p for p in record.parties if p.role == "owner"), None)
        mark.region_id = owners.get(owner.name)[1] if owner else None
        marks.append(mark)
    insert_objects(marks)
    parties, goods, events = [], [], []
    for mark, (record, _digest) in zip(marks, unique, strict=True):
        sequence: dict[str, int] = {}
        for party in record.parties:
            entity_id = region_id = None
            if party.role in (TrademarkParty.Role.OWNER, TrademarkParty.Role.AGENT):
                entity_id, region = owners.get(party.name)
                if party.role == TrademarkParty.Role.OWNER:
                    region_id = region
            number = sequence[party.role] = sequence.get(party.role, -1) + 1
            parties.append((mark.pk, party.role, number, party.name[:300], party.name_en[:300], party.address[:500],
                            (party.country or "")[:2].upper(), party.capacity[:100], entity_id, region_id))
        goods += [(mark.pk, i, *row) for i, row in enumerate(goods_rows(mark.edition or None, record))]
        events += [(mark.pk, x.date, x.code[:20], x.description[:500], x.details or {}) for x in record.events]
    insert_rows(TrademarkParty, ("trademark", "role", "sequence", "name", "name_en", "address", "country", "capacity",
                                 "entity", "region"), parties)
    insert_rows(TrademarkGoods, ("trademark", "sequence", "class_number", "group_code", "item_code", "name"), goods)
    insert_rows(TrademarkEvent, ("trademark", "date", "code", "description", "details"), events)
    counts["created"] += len(marks)


def rows_with_header(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    from .generator import HEADER

    yield HEADER
    yield from rows
