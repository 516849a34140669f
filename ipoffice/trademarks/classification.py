"""China's 类似商品和服务区分表: loading an edition, choosing the edition for a filing date, searching goods terms,
and the cross-group links (交叉检索) between similar groups.

The table is loaded from a file (JSON lines ``code, parentCode, type, name, version``, plain or gzipped, as in the
snapshots of roy-tian/cn-trademarks), never shipped with the code. An edition's code comes from the file name
(``ncl13-2026`` → ``NCL13-2026``) or is given. Loading is idempotent and transactional: a bad file names the
line and field and loads nothing.

Cross-group links: the snapshots keep the table's ``*`` marker of items that span groups, but not the parts
(一)(二) of a group nor its notes (注). Two groups are linked when a ``*`` item's name (or one of its synonyms)
also names an item of the other group; rows of ``type`` "note" (``code``: group, ``links``: groups, ``name``:
the note's text), when a file has them, add the notes' links.
"""

import gzip
import hashlib
import io
import json
import re
from collections import defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from ipoffice.core.errors import DataError, Problem
from ipoffice.core.text import fold

from .models import ClassificationEdition, CrossLink, GoodsItem, NiceClass, SimilarGroup

# When each edition of the table took effect (CNIPA's notices: 1 January of the edition's year).
KNOWN_EDITIONS = {
    "NCL10-2016": date(2016, 1, 1),
    "NCL11-2022": date(2022, 1, 1),
    "NCL12-2025": date(2025, 1, 1),
    "NCL13-2026": date(2026, 1, 1),
}
_EDITION_IN_NAME = re.compile(r"ncl\D?(\d{1,2})\D(\d{4})", re.I)
_ITEM_CODE = re.compile(r"^C?\d{6}$")
_GROUP_CODE = re.compile(r"^\d{4}$")
_CLASS_CODE = re.compile(r"^\d{2}$")


def edition_from_name(name: str) -> str | None:
    match = _EDITION_IN_NAME.search(name)
    return f"NCL{int(match.group(1))}-{match.group(2)}" if match else None


def _read_lines(path: Path) -> list[str]:
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise DataError.single(f"not a readable gzip file ({error})", source=str(path)) from error
    try:
        return io.StringIO(raw.decode("utf-8-sig")).read().splitlines()
    except UnicodeDecodeError as error:
        raise DataError.single(f"not UTF-8 text ({error.reason} at byte {error.start})", source=str(path)) from error


def clean_item_name(name: str) -> tuple[str, bool]:
    """The item's name without the cross-group marker ``*`` (which may follow each synonym), and the marker."""
    star = "*" in name or "＊" in name
    return " ".join(name.replace("＊", "").replace("*", "").split()), star


def _parse(path: Path) -> tuple[dict, dict, dict, list]:
    classes, groups, items, notes, problems = {}, {}, {}, [], []
    for number, line in enumerate(_read_lines(path), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(f"not JSON ({error.msg})", number))
            continue
        if not isinstance(row, dict):
            problems.append(Problem("not a JSON object", number))
            continue
        kind, code = row.get("type"), str(row.get("code") or "").strip()
        name = " ".join(str(row.get("name") or "").split())
        parent = str(row.get("parentCode") or "").strip()
        if kind == "class":
            if not _CLASS_CODE.match(code) or not 1 <= int(code) <= 45:
                problems.append(Problem(f"class code '{code}' is not 01-45", number, "code"))
            else:
                classes[int(code)] = name
        elif kind == "group":
            if not _GROUP_CODE.match(code):
                problems.append(Problem(f"group code '{code}' is not four digits", number, "code"))
            elif not _CLASS_CODE.match(parent) or parent != code[:2]:
                problems.append(Problem(f"group {code} has parent '{parent}', not its class {code[:2]}", number,
                                        "parentCode"))
            else:
                groups[code] = (int(parent), name)
        elif kind == "item":
            if not _ITEM_CODE.match(code):
                problems.append(Problem(f"item code '{code}' is not six digits (or C and six)", number, "code"))
            elif not _GROUP_CODE.match(parent):
                problems.append(Problem(f"item {code} has no four-digit parent group ('{parent}')", number,
                                        "parentCode"))
            elif not name:
                problems.append(Problem(f"item {code} has no name", number, "name"))
            else:
                clean, star = clean_item_name(name)
                items[code] = (parent, clean[:300], star, str(row.get("version") or "")[:4], number)
        elif kind == "note":
            links = row.get("links") or []
            if not _GROUP_CODE.match(code) or not isinstance(links, list):
                problems.append(Problem("a note needs a group code and a list of linked groups", number))
            else:
                notes.append((code, [str(link) for link in links], name[:500]))
        else:
            problems.append(Problem(f"unknown type '{kind}'", number, "type"))
    for code, (parent, _name, _star, _year, number) in items.items():
        if parent not in groups:
            problems.append(Problem(f"item {code} is under group {parent}, which the file does not have", number,
                                    "parentCode"))
    for code, (class_number, _name) in groups.items():
        if class_number not in classes:
            problems.append(Problem(f"group {code} is under class {class_number:02d}, which the file does not have",
                                    None, "parentCode"))
    if problems:
        raise DataError(problems, str(path))
    if not items:
        raise DataError.single("no items in the file", source=str(path))
    return classes, groups, items, notes


def star_links(items: dict) -> list[tuple[str, str, str]]:
    """(group, other group, item code) for each ``*`` item whose name or synonym names an item in another group."""
    by_name = defaultdict(set)
    for code, (group, name, _star, _year, _line) in items.items():
        for synonym in name.split("，"):
            by_name[fold(synonym)].add((group, code))
    links = set()
    for code, (group, name, star, _year, _line) in items.items():
        if not star:
            continue
        for synonym in name.split("，"):
            for other_group, _other in by_name[fold(synonym)]:
                if other_group != group:
                    links.add((group, other_group, code))
                    links.add((other_group, group, code))
    return sorted(links)


@transaction.atomic
def load_classification(path: Path, edition: str | None = None, effective_from: date | None = None) -> dict:
    """Load (or refresh) one edition of the table from ``path``; see the module docstring."""
    path = Path(path)
    edition = (edition or edition_from_name(path.name) or "").upper()
    if not edition:
        raise DataError.single("cannot tell the edition from the file name (e.g. …ncl13-2026…): give --edition",
                               source=str(path))
    match = re.match(r"NCL(\d{1,2})-(\d{4})$", edition)
    if not match:
        raise DataError.single(f"edition '{edition}' is not like NCL13-2026", source=str(path), field="edition")
    effective_from = effective_from or KNOWN_EDITIONS.get(edition) or date(int(match.group(2)), 1, 1)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    classes, groups, items, notes = _parse(path)

    existing = ClassificationEdition.objects.filter(code=edition).first()
    if existing and existing.sha256 == sha and GoodsItem.objects.filter(edition=edition).count() == len(items):
        return {"edition": edition, "classes": len(classes), "groups": len(groups), "items": len(items),
                "cross_links": CrossLink.objects.filter(edition=edition).count(), "unchanged": True}
    for model in (NiceClass, SimilarGroup, GoodsItem, CrossLink):
        model.objects.filter(edition=edition).delete()
    NiceClass.objects.bulk_create([NiceClass(edition=edition, number=n, heading=h) for n, h in classes.items()])
    SimilarGroup.objects.bulk_create([SimilarGroup(edition=edition, code=c, class_number=n, name=name)
                                      for c, (n, name) in groups.items()], batch_size=2000)
    GoodsItem.objects.bulk_create([
        GoodsItem(edition=edition, code=code, group_code=group, class_number=int(group[:2]), name=name,
                  spans_groups=star, source_year=year)
        for code, (group, name, star, year, _line) in items.items()], batch_size=2000)
    links = [CrossLink(edition=edition, group_code=a, linked_group_code=b, kind=CrossLink.Kind.STAR, item_code=c)
             for a, b, c in star_links(items)]
    for group, linked, text in notes:
        for other in linked:
            if other != group:
                links.append(CrossLink(edition=edition, group_code=group, linked_group_code=other,
                                       kind=CrossLink.Kind.NOTE, note=text))
                links.append(CrossLink(edition=edition, group_code=other, linked_group_code=group,
                                       kind=CrossLink.Kind.NOTE, note=text))
        SimilarGroup.objects.filter(edition=edition, code=group).update(notes=text)
    CrossLink.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    ClassificationEdition.objects.update_or_create(code=edition, defaults={
        "nice_edition": int(match.group(1)), "year": int(match.group(2)), "effective_from": effective_from,
        "source": str(path)[:500], "sha256": sha, "classes": len(classes), "groups": len(groups),
        "items": len(items)})
    clear_caches()
    return {"edition": edition, "classes": len(classes), "groups": len(groups), "items": len(items),
            "cross_links": CrossLink.objects.filter(edition=edition).count(), "unchanged": False}


# --- using the table ---------------------------------------------------------------------------------------

def clear_caches() -> None:
    _editions.cache_clear()
    cross_links.cache_clear()
    _item_index.cache_clear()
    _item_codes.cache_clear()


@lru_cache(maxsize=1)
def _editions() -> tuple[tuple[str, date], ...]:
    return tuple(ClassificationEdition.objects.order_by("effective_from").values_list("code", "effective_from"))


def loaded_editions() -> list[str]:
    return [code for code, _ in _editions()]


def edition_for(filing_date: date | None) -> str | None:
    """The edition in force on the filing date (the latest loaded one without a date); None if none is loaded.

    A date before the earliest loaded edition gets the earliest one (the nearest table there is).
    """
    editions = _editions()
    if not editions:
        return None
    if filing_date is None:
        return editions[-1][0]
    chosen = editions[0][0]
    for code, start in editions:
        if start <= filing_date:
            chosen = code
    return chosen


@lru_cache(maxsize=8)
def cross_links(edition: str | None) -> dict[str, frozenset[str]]:
    """Group → the groups it must be cross-searched with, in one edition."""
    links = defaultdict(set)
    for group, other in CrossLink.objects.filter(edition=edition or "").values_list("group_code",
                                                                                     "linked_group_code"):
        links[group].add(other)
    return {group: frozenset(others) for group, others in links.items()}


@lru_cache(maxsize=8)
def _item_index(edition: str | None) -> dict:
    """Every name and synonym of the edition's items (folded) → [(code, group, class)]."""
    index = defaultdict(list)
    for code, group, number, name in GoodsItem.objects.filter(edition=edition or "").values_list(
            "code", "group_code", "class_number", "name"):
        for synonym in name.split("，"):
            index[fold(synonym)].append((code, group, number))
    return dict(index)


@lru_cache(maxsize=8)
def _item_codes(edition: str | None) -> dict[str, tuple[str, str, int]]:
    return {code: (code, group, number) for code, group, number in GoodsItem.objects.filter(
        edition=edition or "").values_list("code", "group_code", "class_number")}


def item_by_code(code: str, edition: str | None) -> tuple[str, str, int] | None:
    """(code, group, class) of the item with this code in the edition."""
    return _item_codes(edition).get((code or "").upper())


def item_for_name(name: str, edition: str | None, class_number: int | None = None) -> tuple[str, str, int] | None:
    """The item (code, group, class) whose name or synonym is exactly ``name`` (in the class, if given)."""
    matches = _item_index(edition).get(fold(clean_item_name(name)[0]), [])
    if class_number is not None:
        matches = [m for m in matches if m[2] == class_number]
    return matches[0] if matches else None


def search_goods(query: str, edition: str | None = None, class_number: int | None = None, limit: int = 200):
    """Items whose name contains the query (exact names first), in the given (or latest) edition."""
    edition = edition or edition_for(None)
    query = " ".join((query or "").split())
    if not query or not edition:
        return GoodsItem.objects.none()
    items = GoodsItem.objects.filter(edition=edition).filter(Q(name__contains=query) | Q(code=query.upper()))
    if class_number:
        items = items.filter(class_number=class_number)
    found = list(items.order_by("class_number", "code")[:limit])
    found.sort(key=lambda item: (query not in item.names, len(item.name)))
    return found


_TERMS = re.compile(r"[;；,、\n]+")


def _register_goods(term: str, classes: set[int] | None) -> list[tuple[str, str, int]]:
    """Items named exactly so in the register's own goods (for a table that lacks them, or no table)."""
    from .models import TrademarkGoods

    rows = TrademarkGoods.objects.filter(name__in=[term, term + "*"]).exclude(item_code="")
    if classes:
        rows = rows.filter(class_number__in=classes)
    return list(rows.values_list("item_code", "group_code", "class_number").distinct()[:20])


def resolve_goods(text: str, edition: str | None, classes: set[int] | None = None):
    """The items named in a free goods description (terms split on ；,、): exact names, else items containing the
    term, else goods of that name in the register. Returns (item codes, group codes, class numbers, unmatched
    terms)."""
    items, groups, numbers, unmatched = set(), set(), set(), []
    for term in (t.strip() for t in _TERMS.split(text or "")):
        if not term:
            continue
        exact = [m for m in _item_index(edition).get(fold(clean_item_name(term)[0]), [])
                 if not classes or m[2] in classes]
        found = exact or [(i.code, i.group_code, i.class_number) for i in search_goods(term, edition, limit=20)
                          if not classes or i.class_number in classes]
        if not found:
            found = _register_goods(term, classes)
        if not found:
            unmatched.append(term)
        for code, group, number in found:
            items.add(code)
            groups.add(group)
            numbers.add(number)
    return items, groups, numbers, unmatched
