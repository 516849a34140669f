"""Trademark services: mark search, the clearance search (商标近似查询), statistics.

Clearance combines the similarity engine (``ipoffice.trademarks.similarity``: search keys, the examiners' rules,
the candidate index) with the register's goods: candidates come from a :class:`ClearanceIndex` over every mark's
text (built from the database and cached on disk, rebuilt when the register changes), each candidate is compared
with the query, the goods relation (same item, same similar group, cross-searched group, same class, unrelated)
weighs the mark similarity, and the hits are ranked with their reasons. The result is for reference only: only
the trademark office decides whether marks are similar.
"""

import hashlib
import os
import threading
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from ipoffice.core.errors import DataError
from ipoffice.core.text import fold

from . import classification
from .models import LIVE_STATUSES, MadridRole, MarkStatus, Trademark, TrademarkGoods, TrademarkParty

NOTICE_ZH = "本查询结果仅供参考，商标是否近似以商标主管机关的审查结论为准。"
NOTICE_EN = "For reference only: whether marks are similar is decided by the trademark office alone."
NOTICE = f"{NOTICE_ZH} {NOTICE_EN}"
MAX_QUERY = 100  # characters of a mark text
CANDIDATE_FACTOR = 10  # candidates asked of the index per hit wanted
GOODS_WEIGHT_FLOOR = 0.35  # how much an identical mark for unrelated goods still counts
GOODS_RELATIONS = {
    "same_item": _("same goods item"), "same_group": _("same similar group"),
    "cross_group": _("cross-searched similar group"), "same_class": _("same class only"),
    "unrelated": _("unrelated goods"), "unspecified": _("goods not given"),
}


def similarity_engine():
    """The similarity module (imported when first needed, so the register works without it)."""
    from . import similarity

    return similarity


# --- mark search -----------------------------------------------------------------------------------------

def search_marks(*, text: str = "", owner: str = "", number: str = "", classes=None, group: str = "",
                 status: str = "", office: str = "", queryset=None):
    """Marks matching every given criterion: text (mark, pinyin), owner name, number (application,
    registration or international), Nice class(es), similar group, status, office."""
    marks = queryset if queryset is not None else Trademark.objects.all()
    text = " ".join((text or "").split())
    if text:
        folded = fold(text)
        marks = marks.filter(Q(text_folded__contains=folded) | Q(text_pinyin__contains=folded.replace(" ", "")))
    if owner:
        owner_ids = TrademarkParty.objects.filter(role=TrademarkParty.Role.OWNER, name__icontains=owner.strip())
        marks = marks.filter(Q(owner_name__icontains=owner.strip()) | Q(pk__in=owner_ids.values("trademark_id")))
    if number:
        number = number.strip().replace(" ", "")
        marks = marks.filter(Q(application_number=number) | Q(registration_number=number)
                             | Q(international_registration_number=number))
    if classes:
        marks = marks.filter(pk__in=TrademarkGoods.objects.filter(class_number__in=classes).values("trademark_id"))
    if group:
        marks = marks.filter(pk__in=TrademarkGoods.objects.filter(group_code=group.strip()).values("trademark_id"))
    if status:
        marks = marks.filter(status=status)
    if office:
        marks = marks.filter(office=office.upper())
    return marks


def parse_classes(value) -> list[int]:
    """``"9,35"``, ``"9 35"``, ``[9, 35]`` → [9, 35]; anything not a class 1-45 is a DataError."""
    if value in (None, "", []):
        return []
    parts = value if isinstance(value, list | tuple | set) else str(value).replace("，", ",").replace(" ", ",") \
        .split(",")
    classes = set()
    for part in parts:
        part = str(part).strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 45:
            raise DataError.single(f"'{part}' is not a Nice class (1-45)", field="classes")
        classes.add(int(part))
    return sorted(classes)


# --- the clearance index ---------------------------------------------------------------------------------

_index_lock = threading.Lock()
_index_cache: dict[str, tuple[str, object]] = {}


def register_fingerprint() -> str:
    """Changes whenever a mark is added, removed or changed (count, last id, last update)."""
    stats = Trademark.objects.aggregate(n=Count("id"), last=Max("id"), changed=Max("updated_at"))
    return f"{stats['n']}-{stats['last']}-{stats['changed'].isoformat() if stats['changed'] else ''}"


def _cache_path(fingerprint: str) -> Path:
    db = connection.settings_dict
    key = hashlib.sha256(f"{connection.vendor}|{db.get('HOST')}|{db.get('NAME')}".encode()).hexdigest()[:16]
    folder = Path(settings.DATA_DIR) / "trademarks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"clearance-{key}-{hashlib.sha256(fingerprint.encode()).hexdigest()[:16]}.npz"


def index_rows():
    """(mark id, mark text) of every mark with a text, streamed."""
    return Trademark.objects.exclude(mark_text="").values_list("id", "mark_text").order_by("id").iterator(
        chunk_size=20000)


def clearance_index(*, rebuild: bool = False, workers: int | None = 1):
    """The candidate index over the register: from memory, else from the disk cache, else built and saved.

    Built in the calling process by default (as in a web request); ``ipoffice trademarks index`` builds it on
    every core, which a register of millions of marks needs: run it after each import.
    """
    engine = similarity_engine()
    fingerprint = register_fingerprint()
    alias = connection.alias + str(connection.settings_dict.get("NAME"))
    with _index_lock:
        cached = _index_cache.get(alias)
        if cached and cached[0] == fingerprint and not rebuild:
            return cached[1]
        path = _cache_path(fingerprint)
        index = None
        if path.exists() and not rebuild:
            try:
                index = engine.ClearanceIndex.load(path)
            except Exception:  # a cache from another version of the engine: rebuild it
                index = None
        if index is None:
            index = engine.ClearanceIndex.build(index_rows(), workers=workers)
            for old in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.npz"):
                old.unlink(missing_ok=True)
            partial = path.with_name(f"{path.stem}.{os.getpid()}.partial.npz")
            try:
                index.save(partial)
                os.replace(partial, path)  # readers never see a half-written file
            except OSError:
                partial.unlink(missing_ok=True)  # a read-only data directory: the index lives in memory only
        _index_cache[alias] = (fingerprint, index)
        return index


@lru_cache(maxsize=200_000)
def keys_of(text: str):
    return similarity_engine().mark_keys(text)


# --- clearance ---------------------------------------------------------------------------------------------

@dataclass
class Hit:
    id: int
    number: str
    office: str
    mark: str
    owner: str
    classes: list[int]
    groups: list[str]
    status: str
    score: float
    sound: float
    shape: float
    meaning: float
    rules: list[dict]
    goods_relation: str
    goods_weight: float
    rank_score: float
    filing_date: date | None
    url: str
    clocks: dict = field(default_factory=dict)
    status_label: str = ""
    goods_label: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["filing_date"] = self.filing_date.isoformat() if self.filing_date else None
        return data


@dataclass
class Clearance:
    query: str
    classes: list[int]
    goods: str
    groups: list[str]
    items: list[str]
    unmatched_goods: list[str]
    edition: str | None
    hits: list[Hit]
    candidates: int
    notice: str = NOTICE

    def as_json(self) -> dict:
        return {"query": self.query, "classes": self.classes, "goods": self.goods, "groups": self.groups,
                "items": self.items, "unmatched_goods": self.unmatched_goods, "edition": self.edition,
                "candidates": self.candidates, "notice": self.notice, "hits": [h.as_json() for h in self.hits]}


def rule_dict(hit) -> dict:
    """A rule hit of the engine as plain data (its code and reason texts, whatever the engine calls them)."""
    if isinstance(hit, dict):
        return dict(hit)
    if is_dataclass(hit):
        return {k: v for k, v in asdict(hit).items() if v not in (None, "")}
    data = {"code": getattr(hit, "code", str(hit))}
    for name in ("reason", "reason_zh", "reason_en"):
        value = getattr(hit, name, None)
        if value:
            data[name] = value
    return data


def check_query(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise DataError.single("give the mark to search for", field="text")
    if len(text) > MAX_QUERY:
        raise DataError.single(f"the mark is {len(text)} characters long; at most {MAX_QUERY}", field="text")
    if "\x00" in text:
        raise DataError.single("the mark contains a NUL character", field="text")
    return text


def clear(text: str, classes=None, goods: str | None = None, limit: int = 50, *, today: date | None = None,
          live_only: bool = False) -> Clearance:
    """Earlier marks that may conflict with ``text`` for the given classes and goods, best first.

    ``classes``: Nice classes (list or "9,35"); ``goods``: goods or services terms separated by ；,、 (matched
    against the 区分表); ``live_only``: leave out refused, withdrawn, cancelled, invalidated and expired marks.
    """
    from .clocks import mark_clocks

    text = check_query(text)
    classes = parse_classes(classes)
    if not 1 <= int(limit) <= 500:
        raise DataError.single("limit must be 1-500", field="limit")
    goods = " ".join((goods or "").split())
    engine = similarity_engine()
    edition = classification.edition_for(today or date.today())
    items, groups, goods_classes, unmatched = classification.resolve_goods(goods, edition, set(classes) or None)
    query_classes = set(classes) | goods_classes
    links = classification.cross_links(edition)
    query_keys = keys_of(text)
    index = clearance_index()
    candidate_ids = index.candidates(query_keys, int(limit) * CANDIDATE_FACTOR)
    marks = Trademark.objects.filter(pk__in=candidate_ids).only(
        "id", "office", "application_number", "registration_number", "mark_text", "owner_name", "status",
        "filing_date", "preliminary_publication_date", "registration_date", "term_start", "term_end")
    if live_only:
        marks = marks.filter(status__in=LIVE_STATUSES)
    marks = {m.pk: m for m in marks}
    goods_of: dict[int, list[tuple[int, str, str]]] = {}
    for mark_id, number, group, item in TrademarkGoods.objects.filter(trademark_id__in=marks).values_list(
            "trademark_id", "class_number", "group_code", "item_code"):
        goods_of.setdefault(mark_id, []).append((number, group, item))
    hits = []
    for mark_id in candidate_ids:
        mark = marks.get(mark_id)
        if mark is None:
            continue
        similarity = engine.compare(query_keys, keys_of(mark.mark_text))
        rows = goods_of.get(mark_id, [])
        mark_classes = {r[0] for r in rows}
        mark_groups = {r[1] for r in rows if r[1]}
        mark_items = {r[2] for r in rows if r[2]}
        if query_classes or groups or items:
            relation, weight = engine.goods_relation(set(groups), set(items), query_classes, mark_groups,
                                                     mark_items, mark_classes, links)
        else:
            relation, weight = "unspecified", 1.0
        rank = float(similarity.score) * (GOODS_WEIGHT_FLOOR + (1 - GOODS_WEIGHT_FLOOR) * float(weight))
        clocks = mark_clocks(mark)
        hits.append(Hit(
            id=mark.pk, number=mark.registration_number or mark.application_number, office=mark.office,
            mark=mark.mark_text, owner=mark.owner_name, classes=sorted(mark_classes), groups=sorted(mark_groups),
            status=mark.status, score=round(float(similarity.score), 4), sound=round(float(similarity.sound), 4),
            shape=round(float(similarity.shape), 4), meaning=round(float(similarity.meaning), 4),
            rules=[rule_dict(r) for r in similarity.rules], goods_relation=relation,
            goods_weight=round(float(weight), 4), rank_score=round(rank, 4), filing_date=mark.filing_date,
            url=mark.get_absolute_url(),
            clocks={"opposition_end": clocks.opposition.end.isoformat() if clocks.opposition else None,
                    "term_end": clocks.term_end.isoformat() if clocks.term_end else None},
            status_label=str(MarkStatus(mark.status).label) if mark.status in MarkStatus.values else mark.status,
            goods_label=str(GOODS_RELATIONS.get(relation, relation))))
    hits = [h for h in hits if h.score > 0]
    hits.sort(key=lambda h: (-h.rank_score, -h.score, h.number))
    return Clearance(query=text, classes=classes, goods=goods, groups=sorted(groups), items=sorted(items),
                     unmatched_goods=unmatched, edition=edition, hits=hits[: int(limit)],
                     candidates=len(candidate_ids))


def explain(mark: Trademark, text: str, classes=None, goods: str | None = None):
    """Why ``mark`` came up for the query: the engine's comparison and the goods relation, for one mark."""
    text = check_query(text)
    engine = similarity_engine()
    classes = parse_classes(classes)
    edition = classification.edition_for(date.today())
    items, groups, goods_classes, _unmatched = classification.resolve_goods(goods or "", edition,
                                                                           set(classes) or None)
    similarity = engine.compare(keys_of(text), keys_of(mark.mark_text))
    rows = list(mark.goods.values_list("class_number", "group_code", "item_code"))
    query_classes = set(classes) | goods_classes
    if query_classes or groups or items:
        relation, weight = engine.goods_relation(set(groups), set(items), query_classes,
                                                 {r[1] for r in rows if r[1]}, {r[2] for r in rows if r[2]},
                                                 {r[0] for r in rows}, classification.cross_links(edition))
    else:
        relation, weight = "unspecified", 1.0
    return {"query": text, "score": round(float(similarity.score), 4), "sound": round(float(similarity.sound), 4),
            "shape": round(float(similarity.shape), 4), "meaning": round(float(similarity.meaning), 4),
            "rules": [rule_dict(r) for r in similarity.rules], "goods_relation": relation,
            "goods_weight": round(float(weight), 4), "goods_label": str(GOODS_RELATIONS.get(relation, relation)),
            "notice": NOTICE}


# --- statistics --------------------------------------------------------------------------------------------

def statistics(year: int | None = None) -> dict:
    """Valid registrations, GI marks and Madrid registrations by Guangdong city, for the year (default: this)."""
    from ipoffice.regions.models import Region

    from .indicators import madrid_registrations, valid_registrations

    year = year or date.today().year
    rows = []
    for city in Region.objects.filter(level=Region.Level.CITY, code__startswith="44").order_by("code"):
        valid = valid_registrations(city, year)
        rows.append({"region": city, "valid": valid.count(), "gi": valid.filter(is_geographical_indication=True)
                     .count(), "madrid": madrid_registrations(city, year)})
    totals = {k: sum(r[k] for r in rows) for k in ("valid", "gi", "madrid")}
    by_status = dict(Trademark.objects.values_list("status").annotate(n=Count("id")))
    return {"year": year, "rows": rows, "totals": totals,
            "by_status": [(label, by_status.get(value, 0)) for value, label in MarkStatus.choices
                          if by_status.get(value)],
            "total": sum(by_status.values()),
            "madrid_designations": Trademark.objects.filter(madrid_role=MadridRole.DESIGNATION).count()}
