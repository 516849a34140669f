"""Plumbing shared by the registries' file importers (patents, trademarks): file errors, counts, hashes."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class FileError(Exception):
    """The file as a whole cannot be imported (unknown format, unreadable, not well-formed)."""


@dataclass
class Counts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


def record_hash(record) -> str:
    """A digest of a parsed record's content (its position in the file left out): equal records, equal hashes."""
    data = record.as_dict()
    data.pop("record", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the files inside folders (recursively, sorted), skipping licences and dot files."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")
                         and "LICENSE" not in p.name.upper())
        else:
            files.append(path)
    return files
