"""The frozen dataset of a navigation project: one compact record per patent with everything the analyses read,
plus the names and registry totals they need, so that a snapshot is self-contained and reproducible.

Built once from the registry (:func:`build_dataset`), stored gzip-compressed in :class:`~.models.Snapshot`
(:func:`dumps` / :func:`loads`), and read in memory by the analyses.
"""

import gzip
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import date

from django.db import connection
from django.db.models import Count

from ipoffice.patents.models import Citation, Classification, IPCEntry, LegalEvent, LegalEventCode, Party, Patent

CHUNK = 5000  # ids per IN (…) query

# Legal-event codes by what a watcher or an analyst cares about (CN codes of the INPADOC table and the generator);
# other codes fall back on their INPADOC event class (F grant, H cessation, R party change, S licensing).
EVENT_KINDS = {
    "grant": {"C14", "GR01", "FG4A"},
    "invalidation": {"IW01", "IP01", "C32", "C35"},
    "transfer": {"TR01", "TA01", "C41"},
    "licence": {"EE01", "EM01", "LIC", "LICC"},
    "pledge": {"PE01", "PM01", "PLDC"},
    "lapse": {"C17", "CF01", "CX01", "MM4A", "AV01", "EXPY", "CE01"},
}
_KIND_OF_CODE = {code: kind for kind, codes in EVENT_KINDS.items() for code in codes}
_KIND_OF_CLASS = {"F": "grant", "H": "lapse", "R": "transfer", "S": "licence"}


def event_kind(code: str, event_class: str = "") -> str:
    """grant, lapse, invalidation, transfer, licence, pledge, or "" for the events nobody watches."""
    return _KIND_OF_CODE.get(code) or _KIND_OF_CLASS.get(event_class, "")


@dataclass(slots=True)
class Applicant:
    name: str
    entity_id: int | None = None
    entity: str = ""  # the entity's normalised name (what top-applicant tables show)
    kind: str = ""  # entity kind: enterprise, university, institute, individual, …
    country: str = ""
    region: str = ""  # six-digit division code, "" when unresolved


@dataclass(slots=True)
class Record:
    id: int
    office: str
    number: str  # as shown: grant, else publication, else application number
    application_number: str
    kind: str
    patent_type: str
    title: str
    application_date: str | None  # ISO dates; strings compare in date order
    priority_date: str | None
    publication_date: str | None
    grant_date: str | None
    family_id: str
    legal_status: str
    claims_count: int | None
    ipc: list[str]  # main symbol first
    cpc: list[str]
    applicants: list[Applicant]
    inventors: list[str]
    agency: str
    region: str  # division code of the patent's region (the first applicant's), "" when unknown
    country: str  # the first applicant's country
    forward_citations: int = 0  # citations by other patents of the registry
    family_size: int = 1  # members of the family in the registry
    events: list[tuple[str, str, str]] = field(default_factory=list)  # (date, code, kind)
    nodes: list[str] = field(default_factory=list)  # decomposition node codes
    effects: list[str] = field(default_factory=list)  # effect names


@dataclass
class Dataset:
    records: list[Record]
    cutoff: str  # ISO date: records published after it are left out
    query: str = ""
    region: str = ""  # the project's division code: what regional positioning compares
    nodes: list[dict] = field(default_factory=list)  # {"code", "name", "parent"} in tree order
    effects: list[str] = field(default_factory=list)
    regions: dict[str, str] = field(default_factory=dict)  # division code → name, with every ancestor
    ipc_titles: dict[str, str] = field(default_factory=dict)  # subclass → Chinese title
    baseline: dict[str, int] = field(default_factory=dict)  # registry applications by region prefix and "CN"

    def by_id(self) -> dict[int, Record]:
        return {r.id: r for r in self.records}


DATASET_FIELDS = [f.name for f in fields(Dataset)]


# ---------------------------------------------------------------------------------------------------- storage

RECORD_FIELDS = [f.name for f in fields(Record)]
APPLICANT_FIELDS = [f.name for f in fields(Applicant)]


def dumps(dataset: Dataset) -> bytes:
    """gzip JSON, byte-for-byte the same for the same dataset (sorted keys, fixed mtime). Records and applicants are
    stored as rows under their field names (``record_fields``, ``applicant_fields``): compact and quick to read."""
    payload = {name: getattr(dataset, name) for name in DATASET_FIELDS if name != "records"}
    payload["record_fields"], payload["applicant_fields"] = RECORD_FIELDS, APPLICANT_FIELDS
    payload["records"] = [[[[getattr(a, f) for f in APPLICANT_FIELDS] for a in value] if name == "applicants"
                           else value for name, value in zip(RECORD_FIELDS, (getattr(r, f) for f in RECORD_FIELDS),
                                                              strict=True)]
                          for r in dataset.records]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(text.encode(), compresslevel=3, mtime=0)


def loads(data: bytes) -> Dataset:
    payload = json.loads(gzip.decompress(bytes(data)))
    if payload.pop("record_fields") != RECORD_FIELDS or payload.pop("applicant_fields") != APPLICANT_FIELDS:
        raise ValueError("the snapshot was stored by another version of the dataset layout; take a new snapshot")
    applicants_at, events_at = RECORD_FIELDS.index("applicants"), RECORD_FIELDS.index("events")
    records = []
    for row in payload.pop("records"):
        row[applicants_at] = [Applicant(*a) for a in row[applicants_at]]
        row[events_at] = [tuple(e) for e in row[events_at]]
        records.append(Record(*row))
    return Dataset(records=records, **payload)


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(bytes(data)).hexdigest()


# ---------------------------------------------------------------------------------------------------- building


def chunks(ids: list, size: int = CHUNK):
    """Slices of ``ids`` small enough for one IN (…) list."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _rows(sql: str, ids: list, tail: str = "", params: tuple = ()):
    """Rows of ``sql … IN (ids) tail`` chunk by chunk: plain SQL, as Django's IN lookup costs more than the query."""
    with connection.cursor() as cursor:
        for chunk in chunks(ids):
            cursor.execute(f"{sql} IN ({', '.join(['%s'] * len(chunk))}) {tail}", [*chunk, *params])
            yield from cursor.fetchall()


def _iso(value) -> str | None:
    """ISO text of a date column (SQLite gives text already, PostgreSQL a date)."""
    return value if value is None or isinstance(value, str) else value.isoformat()


def _table(model) -> str:
    return model._meta.db_table


def build_dataset(ids, *, cutoff: date, query: str = "", region: str = "", nodes: list[dict] | None = None,
                  node_members: dict[str, set[int]] | None = None, effects: dict[str, set[int]] | None = None
                  ) -> Dataset:
    """The records of these patents as of ``cutoff`` (patents published later are left out).

    ``nodes``: the decomposition tree ({"code", "name", "parent"}); ``node_members``: node code → patent ids;
    ``effects``: effect name → patent ids. Both are worked out by the caller (queries and hand tags)."""
    from ipoffice.entities.models import Entity
    from ipoffice.regions.models import Region

    ids, last = sorted(set(ids)), cutoff.isoformat()
    patents = {}
    region_table, patent_table = _table(Region), _table(Patent)
    for (pk, office, app, pub, grant, kind, ptype, title, ad, prd, pd, gd, family, status, claims, ipc_main,
         region_code) in _rows(
            f"SELECT p.id, p.office, p.application_number, p.publication_number, p.grant_number, p.kind, "
            f"p.patent_type, p.title, p.application_date, p.priority_date, p.publication_date, p.grant_date, "
            f"p.family_id, p.legal_status, p.claims_count, p.ipc_main, r.code FROM {patent_table} p "
            f"LEFT JOIN {region_table} r ON r.id = p.region_id WHERE p.id", ids):
        ad, prd, pd, gd = _iso(ad), _iso(prd), _iso(pd), _iso(gd)
        if (pd or ad) and (pd or ad) > last:
            continue
        number = grant or pub or app
        patents[pk] = Record(
            id=pk, office=office, number=number if number[:2].isalpha() else f"{office}{number}",
            application_number=app, kind=kind, patent_type=ptype, title=title, application_date=ad,
            priority_date=prd, publication_date=pd, grant_date=gd if gd and gd <= last else None, family_id=family,
            legal_status=status, claims_count=claims, ipc=[ipc_main] if ipc_main else [], cpc=[], applicants=[],
            inventors=[], agency="", region=region_code or "", country="")
    kept = sorted(patents)
    for pk, scheme, symbol in _rows(f"SELECT patent_id, scheme, symbol FROM {_table(Classification)} "
                                    f"WHERE patent_id", kept, "ORDER BY patent_id, scheme, sequence"):
        target = patents[pk].ipc if scheme == "ipc" else patents[pk].cpc if scheme == "cpc" else None
        if target is not None and symbol not in target:
            target.append(symbol)
    for pk, role, name, country, entity_id, entity, entity_kind, region_code in _rows(
            f"SELECT y.patent_id, y.role, y.name, y.country, y.entity_id, e.name, e.kind, r.code "
            f"FROM {_table(Party)} y LEFT JOIN {_table(Entity)} e ON e.id = y.entity_id "
            f"LEFT JOIN {region_table} r ON r.id = y.region_id WHERE y.patent_id", kept,
            "ORDER BY y.patent_id, y.role, y.sequence"):
        record = patents[pk]
        if role == Party.Role.APPLICANT:
            record.applicants.append(Applicant(name, entity_id, entity or "", entity_kind or "", country or "",
                                               region_code or ""))
        elif role == Party.Role.INVENTOR:
            record.inventors.append(name)
        elif role == Party.Role.AGENCY and not record.agency:
            record.agency = name
    classes = dict(LegalEventCode.objects.values_list("code", "event_class"))
    for pk, day, code in _rows(f"SELECT patent_id, date, code FROM {_table(LegalEvent)} WHERE patent_id", kept,
                               "AND date <= %s ORDER BY patent_id, date, code", (cutoff,)):
        patents[pk].events.append((_iso(day), code, event_kind(code, classes.get(code, ""))))
    numbers: dict[str, int] = {}
    for record in patents.values():
        record.country = record.applicants[0].country if record.applicants else ""
        for number in {record.number, record.number[2:]}:
            numbers[number] = record.id
    for number, count in _rows(f"SELECT cited_number, COUNT(*) FROM {_table(Citation)} WHERE cited_number",
                               list(numbers), "GROUP BY cited_number"):
        patents[numbers[number]].forward_citations += count
    sizes = dict(_rows(f"SELECT family_id, COUNT(*) FROM {patent_table} WHERE family_id",
                       sorted({r.family_id for r in patents.values() if r.family_id}), "GROUP BY family_id"))
    members = defaultdict(list)
    for name, chosen in (node_members or {}).items():
        for pk in chosen:
            members[pk].append(name)
    tagged = defaultdict(list)
    for name, chosen in (effects or {}).items():
        for pk in chosen:
            tagged[pk].append(name)
    order = {n["code"]: i for i, n in enumerate(nodes or [])}
    effect_order = {name: i for i, name in enumerate(effects or {})}
    for record in patents.values():
        record.family_size = max(sizes.get(record.family_id, 1), 1)
        record.nodes = sorted(members.get(record.id, []), key=lambda c: order.get(c, len(order)))
        record.effects = sorted(tagged.get(record.id, []), key=lambda e: effect_order.get(e, len(effect_order)))
    records = [patents[pk] for pk in kept]
    codes = {r.region for r in records} | {a.region for r in records for a in r.applicants}
    codes = {c for c in codes if c} | {c[:4] + "00" for c in codes if c} | {c[:2] + "0000" for c in codes if c}
    baseline = registry_baseline(cutoff)
    codes |= {prefix.ljust(6, "0") for prefix in baseline if prefix != "CN"}  # regions compared, with or without hits
    subclasses = {s[:4] for r in records for s in r.ipc}
    return Dataset(
        records=records, cutoff=cutoff.isoformat(), query=query, region=region, nodes=list(nodes or []),
        effects=list(effects or {}),
        regions=dict(Region.objects.filter(code__in=codes).values_list("code", "name")),
        ipc_titles=dict(IPCEntry.objects.filter(symbol__in=subclasses).values_list("symbol", "title_zh")),
        baseline=baseline)


def registry_baseline(cutoff: date) -> dict[str, int]:
    """Applications in the whole registry published by ``cutoff``, by the first applicant's region: "CN" for all of
    China, and each province, city and district code prefix (44, 4401, 440106). The denominators of regional
    specialisation."""
    totals: Counter = Counter()
    rows = (Patent.objects.filter(office="CN", publication_date__lte=cutoff).values_list("region__code")
            .annotate(n=Count("id")).values_list("region__code", "n"))
    for code, count in rows:
        totals["CN"] += count
        if code:
            for prefix in region_prefixes(code):
                totals[prefix] += count
    return dict(totals)


def region_prefixes(code: str) -> list[str]:
    """The significant prefixes of a division code: 440106 → 44, 4401, 440106; 440100 → 44, 4401."""
    return [code[:2], code[:4]] + ([code] if code[4:] != "00" else [])
