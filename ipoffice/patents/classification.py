"""Reference tables of the patent registry: IPC symbols with Chinese titles, and legal-event codes."""

import csv
import gzip
import io
from pathlib import Path

from django.db import transaction

from ipoffice.core.errors import DataError, Problem

from .models import IPCEntry, LegalEventCode

IPC_LEVELS = {"section", "class", "subclass", "main_group", "subgroup"}


def _open_text(path: Path):
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        return io.StringIO(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise DataError.single(f"not UTF-8 text ({error.reason} at byte {error.start})", source=str(path)) from error


@transaction.atomic
def load_ipc(path: Path, edition: str = "2026.01") -> dict:
    """Load IPC symbols from ``symbol,level,title_zh,parent`` (optionally ``title_en``), plain or gzipped.

    Idempotent: unchanged symbols are left alone; empty rows (no symbol, no title) are skipped and counted.
    Titles are cleaned of the stray spaces the source PDF conversion left between Chinese characters.
    """
    reader = csv.DictReader(_open_text(path))
    missing = {"symbol", "level", "title_zh", "parent"} - set(reader.fieldnames or [])
    if missing:
        raise DataError.single(f"missing column(s) {', '.join(sorted(missing))}", source=str(path))
    rows, problems, blank = {}, [], 0
    for number, row in enumerate(reader, start=2):
        symbol = row["symbol"].strip()
        if not symbol and not row["title_zh"].strip():
            blank += 1  # the source has a few empty rows where the PDF lost a group
            continue
        if not symbol:
            problems.append(Problem("no symbol", number, "symbol"))
            continue
        if row["level"] not in IPC_LEVELS:
            problems.append(Problem(f"unknown level '{row['level']}'", number, "level"))
            continue
        rows[symbol] = (row["level"], _clean_title(row["title_zh"]), (row.get("title_en") or "").strip(),
                        row["parent"].strip())
    if problems:
        raise DataError(problems, str(path))
    existing = {e.symbol: e for e in IPCEntry.objects.all()}
    new, changed = [], []
    for symbol, (level, title_zh, title_en, parent) in rows.items():
        entry = existing.get(symbol)
        values = {"level": level, "title_zh": title_zh, "title_en": title_en or (entry.title_en if entry else ""),
                  "parent": parent, "edition": edition}
        if entry is None:
            new.append(IPCEntry(symbol=symbol, **values))
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(entry, key, value)
            changed.append(entry)
    IPCEntry.objects.bulk_create(new, batch_size=2000)
    IPCEntry.objects.bulk_update(changed, ["level", "title_zh", "title_en", "parent", "edition"], batch_size=2000)
    return {"created": len(new), "updated": len(changed), "unchanged": len(rows) - len(new) - len(changed),
            "blank rows skipped": blank}


def _clean_title(title: str) -> str:
    """Remove spaces between two Chinese characters (artefacts of the PDF text), keep the others."""
    out = []
    text = title.strip()
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1 and _cjk(text[i - 1]) and _cjk(text[i + 1]):
            continue
        out.append(ch)
    return "".join(out)


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in "，；（）、"


@transaction.atomic
def load_legal_event_codes(path: Path) -> dict:
    """Load an INPADOC legal-event code table (``Authority,Event-code,…,Description ENG,…``)."""
    reader = csv.DictReader(_open_text(path))
    needed = {"Authority", "Event-code", "Description ENG"}
    if not needed <= set(reader.fieldnames or []):
        raise DataError.single(f"expected columns {', '.join(sorted(needed))}", source=str(path))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in reader:
        values = {"description": row["Description ENG"].strip()[:300], "event_class": row.get("Event-class", "")[:2],
                  "event_class_description": row.get("Event-class Description", "")[:100],
                  "influence": (row.get("Influence") or "").strip()[:2]}
        code, created = LegalEventCode.objects.get_or_create(office=row["Authority"].strip(),
                                                             code=row["Event-code"].strip(), defaults=values)
        if created:
            counts["created"] += 1
        elif any(getattr(code, k) != v for k, v in values.items()):
            LegalEventCode.objects.filter(pk=code.pk).update(**values)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def ipc_title(symbol: str) -> str:
    entry = IPCEntry.objects.filter(symbol=symbol).only("title_zh").first()
    return entry.title_zh if entry else ""


def ipc_ancestors(symbol: str) -> list[IPCEntry]:
    """The chain from the section down to the symbol (as far as the table has it)."""
    chain, current = [], IPCEntry.objects.filter(symbol=symbol).first()
    while current is not None:
        chain.append(current)
        current = IPCEntry.objects.filter(symbol=current.parent).first() if current.parent else None
    return list(reversed(chain))
