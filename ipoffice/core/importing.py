"""Plumbing shared by the registries' file importers (patents, trademarks): file errors, counts, hashes, and fewer
garbage-collector passes during bulk work."""

import gc
import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from importlib import import_module
from pathlib import Path

HEAD_BYTES = 65536  # what format detection reads of a file


#: (young, middle, old) collection thresholds of Python's cyclic garbage collector during bulk work.
BULK_GC_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def fewer_collections():
    """Python's cyclic garbage collector run less often while a file is imported (or the search index rebuilt),
    its thresholds put back after.

    An import allocates millions of objects, and those that live on (the batch, the analyser's and matcher's
    caches) made the collector pass over every object again and again: 100,000 patents in ten files spent 11 of
    their ~95 s collecting with the default thresholds (700, 10, 10; 50 full passes), 2 s with these, at the
    same peak memory; rebuilding the index of 30,000 patents spent 1.1 of 15.6 s, then none. The thresholds are
    the process's: an import running beside this one in another thread may put them back early, which costs
    time only."""
    before = gc.get_threshold()
    gc.set_threshold(*BULK_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class FileError(Exception):
    """The file as a whole cannot be imported (unknown format, unreadable, not well-formed)."""


@dataclass
class Counts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass (None for any other type), looked up once per class: hashing needs them
    for every party, citation and event, and ``dataclasses.fields`` is slow."""
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None


def _fields_of(value, names: tuple[str, ...]) -> dict:
    """A dataclass instance's fields by name: its own ``__dict__`` when that holds them and nothing else (the
    encoder only reads it), else a new dict."""
    own = getattr(value, "__dict__", None)
    if own is not None and tuple(own) == names:
        return own
    return {name: getattr(value, name) for name in names}


def _json_default(value):
    """Nested dataclasses as their fields (what ``dataclasses.asdict`` gives), anything else as ``str``."""
    names = _field_names(type(value))
    if names is None:
        return str(value)
    return _fields_of(value, names)


_HASH_JSON = json.JSONEncoder(sort_keys=True, default=_json_default, ensure_ascii=False)


def record_hash(record) -> str:
    """A digest of a parsed record's content (its position in the file left out): equal records, equal hashes.

    The JSON is that of ``record.as_dict()`` (``dataclasses.asdict``), written without its deep copy: the
    encoder turns nested dataclasses into their fields itself. The digests are the same as before, so files
    imported earlier still re-import unchanged."""
    names = _field_names(type(record))
    data = dict(_fields_of(record, names)) if names is not None else record.as_dict()
    data.pop("record", None)
    return hashlib.sha256(_HASH_JSON.encode(data).encode()).hexdigest()


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


def parse_failures(items):
    """A parser's records, with a failure to read the file itself turned into a :class:`FileError`."""
    from lxml import etree

    try:
        yield from items
    except etree.XMLSyntaxError as error:
        raise FileError(f"not well-formed XML ({error}); nothing imported") from error
    except UnicodeDecodeError as error:
        raise FileError(f"wrong encoding ({error.reason} at byte {error.start}); nothing imported") from error


@dataclass
class RecordError:
    """A record a parser could not read: where it is and why."""

    record: str
    reason: str
    field: str | None = None


class Parser(ABC):
    """One format (version) of a register's files: recognised by its first bytes, read record by record."""

    format: str = ""
    description: str = ""

    @classmethod
    @abstractmethod
    def detect(cls, head: bytes, name: str) -> bool:
        """Whether a file starting with ``head`` (and called ``name``) is in this parser's format."""

    @abstractmethod
    def parse(self, path: Path) -> Iterator:
        """Every record of the file (a parsed record, or a :class:`RecordError`), in order, streamed."""


class Parsers:
    """A register's parsers; its format modules register themselves when ``package`` is imported."""

    def __init__(self, package: str):
        self.package = package
        self._parsers: list[type[Parser]] = []

    def register(self, parser: type[Parser]) -> type[Parser]:
        if parser not in self._parsers:
            self._parsers.append(parser)
        return parser

    def all(self) -> list[type[Parser]]:
        import_module(self.package)
        return list(self._parsers)

    def detect(self, path: Path) -> type[Parser] | None:
        """The first parser whose ``detect`` accepts the file's first bytes."""
        with Path(path).open("rb") as fh:
            head = fh.read(HEAD_BYTES)
        return next((parser for parser in self.all() if parser.detect(head, Path(path).name)), None)


@dataclass
class Registry:
    """What one register plugs into :func:`import_file`: how to detect, check and write its records."""

    name: str  # "patents", "trademarks": the source label of entity matches
    manifest_model: type
    detect_parser: Callable
    formats: str  # for the "format not recognised" message
    check: Callable  # record → reason it cannot be taken, or None
    write_batch: Callable  # (batch, counts, source, format, resolver) → None
    resolver: Callable  # source label → a resolver kept for the whole file
    batch: int = 500


def import_file(registry: Registry, path: Path, *, progress: Callable[[int], None] | None = None):
    """Import one file into a register, in one transaction, and return its saved manifest.

    The format is detected; a record the parser cannot read, or that lacks what the register needs, is
    rejected with its reason while the others are written; a file that cannot be read to its end writes
    nothing and its manifest says why.
    """
    from django.db import transaction
    from django.utils import timezone

    from .sqlite import import_cache

    path = Path(path)
    manifest = registry.manifest_model(path=str(path), sha256="", format="", status="failed",
                                       started_at=timezone.now())
    counts, problems = Counts(), []
    try:
        manifest.sha256 = file_sha256(path)
        parser = registry.detect_parser(path)
        if parser is None:
            raise FileError(f"format not recognised (not {registry.formats})")
        manifest.format = parser.format
        resolver = registry.resolver(f"{registry.name}:{path.name}")
        with fewer_collections(), import_cache(), transaction.atomic():
            batch = []
            for item in parse_failures(parser().parse(path)):
                counts.read += 1
                if isinstance(item, RecordError):
                    reason, field = item.reason, item.field
                else:
                    reason, field = registry.check(item), None
                if reason:
                    counts.rejected += 1
                    problems.append({"record": item.record, "field": field, "reason": reason})
                    continue
                batch.append(item)
                if len(batch) >= registry.batch:
                    registry.write_batch(batch, counts, str(path), parser.format, resolver)
                    batch = []
                    if progress:
                        progress(counts.read)
            if batch:
                registry.write_batch(batch, counts, str(path), parser.format, resolver)
        manifest.status = "done"
    except (FileError, OSError, ValueError) as error:
        manifest.error = f"{path.name}: {error}"
        counts = Counts(read=counts.read, rejected=counts.read)
    manifest.read, manifest.created, manifest.updated = counts.read, counts.created, counts.updated
    manifest.unchanged, manifest.rejected, manifest.problems = counts.unchanged, counts.rejected, problems[:1000]
    manifest.finished_at = timezone.now()
    manifest.save()
    if progress:
        progress(counts.read)
    return manifest
