"""What the EPO parsers (:mod:`.fmt_epo_eps`, :mod:`.fmt_epo_docdb`, :mod:`.fmt_epo_ops`) share: the root
element of a file's head, a safe and streaming XML reader, text, dates and classification symbols.

The reader is lxml ``iterparse`` with entities never resolved, no network and no DTD, fed through
:class:`RepairingReader`, which refuses entity declarations (an XML bomb is refused before it is parsed,
let alone expanded) and repairs, byte for byte and without buffering the file, the defects of hand-edited
EPO samples that would otherwise lose a whole file:

* a bare ``&`` (``Kador & Partner``) becomes ``&amp;``;
* a named entity of the EPO/ISO 8879 sets (``&ccaron;``, ``&SACUTE;``, ``&ndash;``), which DOCDB defines in a
  DTD that is not loaded, becomes the character (an unknown name becomes text);
* a ``<`` that cannot start a tag (``<First Embodiment</heading>``, ``a < b``) becomes ``&lt;``;
* a root element with a prefix that is not declared (``<exch:exchange-document>`` cut out of a bulk file)
  gets the declaration.

A truncated file still fails (the parser reaches the end with elements open), and so does any other
well-formedness error.
"""

import html.entities
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from ..numbers import normalise_ipc

CHUNK = 1 << 20
_MAX_PENDING = 8 << 20

NAMESPACES = {"exch": "http://www.epo.org/exchange", "ops": "http://ops.epo.org",
              "xsi": "http://www.w3.org/2001/XMLSchema-instance", "xlink": "http://www.w3.org/1999/xlink"}


class UnsafeXML(ValueError):
    """The file declares entities (the shape of an XML bomb); it is refused as a whole."""


# --- the root element ------------------------------------------------------------------------------------

_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S)
_START = re.compile(rb"\s*<([A-Za-z_][\w.:-]*)")


def root_element(head: bytes) -> str:
    """The name of the root element as written (``exch:exchange-documents``), '' if the head has none."""
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while match := _PROLOG.match(head, pos):
        pos = match.end()
    match = _START.match(head, pos)
    return match.group(1).decode("ascii", "replace") if match else ""


def local_name(name: str) -> str:
    """``exch:exchange-document`` or ``{http://…}exchange-document`` → ``exchange-document``."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


# --- the safe, repairing reader --------------------------------------------------------------------------

_AMP = re.compile(rb"&(?!#\d+;|#x[0-9A-Fa-f]+;)([A-Za-z_][\w.-]{0,40};)?")
_BARE_LT = re.compile(rb"<(?![A-Za-z_:/!?\x80-\xff])|<(?=[A-Za-z_:\x80-\xff][^<>]*<)")
_XML_ENTITIES = {b"amp;", b"lt;", b"gt;", b"quot;", b"apos;"}
_PREFIX_USE = re.compile(rb"<([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")
_PREFIX_DECL = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")


def _entity(match: re.Match) -> bytes:
    name = match.group(1)
    if name is None:
        return b"&amp;"
    if name in _XML_ENTITIES:
        return match.group(0)
    text = name.decode("ascii")
    for candidate in (text, text[:1] + text[1:].lower(), text.lower()):
        if candidate in html.entities.html5:
            return "".join(f"&#{ord(ch)};" for ch in html.entities.html5[candidate]).encode("ascii")
    return b"&amp;" + name


def _repair(data: bytes) -> bytes:
    if b"<!ENTITY" in data:
        raise UnsafeXML("the file declares entities (an XML bomb?); entity declarations are not accepted")
    if b"&" in data:
        data = _AMP.sub(_entity, data)
    return _BARE_LT.sub(b"&lt;", data)


def _declare_prefixes(data: bytes) -> bytes:
    """Declare on the root element the prefixes the first chunk uses but never declares."""
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while match := _PROLOG.match(data, pos):
        pos = match.end()
    start = _START.match(data, pos)
    if not start:
        return data
    used = {a or b for a, b in _PREFIX_USE.findall(data)} - {b"xml", b"xmlns"}
    missing = sorted(used - set(_PREFIX_DECL.findall(data)))
    if not missing:
        return data
    declarations = b"".join(
        b' xmlns:%s="%s"' % (p, NAMESPACES.get(p.decode(), f"urn:x-undeclared:{p.decode()}").encode())
        for p in missing)
    return data[:start.end()] + declarations + data[start.end():]


def _safe_cut(buffer: bytes) -> int:
    """Where to cut a buffer so that no tag, and no entity reference, is split: before every trailing
    ``<`` that has no ``>`` after it, and before a trailing ``&`` without its ``;``."""
    cut = len(buffer)
    while (lt := buffer.rfind(b"<", 0, cut)) >= 0 and buffer.find(b">", lt, cut) < 0:
        cut = lt
    amp = buffer.rfind(b"&", max(0, cut - 48), cut)
    if amp >= 0 and buffer.find(b";", amp, cut) < 0:
        cut = amp
    return cut


class RepairingReader:
    """A binary file-like object over ``path`` that hands out the repaired bytes (see the module)."""

    def __init__(self, path: Path, chunk: int = CHUNK):
        self._fh = Path(path).open("rb")
        self._chunk = chunk
        self._pending = b""
        self._out = b""
        self._pos = 0
        self._eof = False
        self._first = True

    def _fill(self) -> None:
        while not self._eof and self._pos >= len(self._out):
            raw = self._fh.read(self._chunk)
            buffer = self._pending + raw
            if not raw:
                self._eof, data, self._pending = True, buffer, b""
            else:
                cut = _safe_cut(buffer)
                if cut == 0 and len(buffer) > _MAX_PENDING:
                    cut = len(buffer)
                data, self._pending = buffer[:cut], buffer[cut:]
            if not data:
                continue
            if self._first:
                data, self._first = _declare_prefixes(data), False
            self._out, self._pos = _repair(data), 0

    def read(self, size: int = -1) -> bytes:
        self._fill()
        if size is None or size < 0:
            parts = []
            while self._pos < len(self._out):
                parts.append(self._out[self._pos:])
                self._pos = len(self._out)
                self._fill()
            return b"".join(parts)
        data = self._out[self._pos:self._pos + size]
        self._pos += len(data)
        return data

    def close(self) -> None:
        self._fh.close()


def iter_elements(path: Path, tags: str | Iterable[str]) -> Iterator[etree._Element]:
    """The elements named ``tags`` (lxml tag patterns, ``{*}name`` for any namespace) as each one ends.

    The caller clears what it has read (:func:`release`). Parse errors are raised as
    :class:`lxml.etree.XMLSyntaxError`, an entity declaration as :class:`UnsafeXML`.
    """
    reader = RepairingReader(path)
    try:
        yield from (element for _, element in etree.iterparse(
            reader, events=("end",), tag=tags, resolve_entities=False, no_network=True, load_dtd=False,
            dtd_validation=False, huge_tree=False, remove_comments=True, remove_pis=True, recover=False))
    finally:
        reader.close()


def release(element: etree._Element) -> None:
    """Free a record that has been read, and the siblings before it."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def strip_namespaces(element: etree._Element) -> None:
    """Local names only (DOCDB mixes ``exch:`` elements with unqualified ones, OPS uses a default namespace).

    The namespaces in scope at the element are stripped, visiting only their elements (lxml filters them in
    C); one declared further down (none is, in EPO files) keeps its elements' qualified names."""
    for uri in set(element.nsmap.values()):
        for node in element.iter(f"{{{uri}}}*"):
            node.tag = node.tag[len(uri) + 2:]


# --- text, dates, numbers --------------------------------------------------------------------------------

_BLOCKS = frozenset({"p", "br", "claim-text", "heading", "li", "entry", "td", "th", "tr", "row", "name",
                     "atl", "sertitle", "text"})


def text_of(element: etree._Element | None) -> str:
    """The text of an element with whitespace collapsed; block elements (paragraphs, claim parts) are
    separated by a space, inline markup (``H<sub>2</sub>O``) is not."""
    if element is None:
        return ""
    if not len(element):  # a leaf: most fields
        return " ".join((element.text or "").split())
    parts: list[str] = []

    def walk(node):
        block = node.tag in _BLOCKS
        if block:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    walk(element)
    return " ".join("".join(parts).split())


def find_text(element: etree._Element | None, path: str) -> str:
    return text_of(element.find(path)) if element is not None else ""


def parse_date(text: str | None) -> date | None:
    """``20210224`` → date; empty, partial (``20110000``) or impossible dates → None."""
    digits = re.sub(r"\D", "", text or "")
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def compact_number(text: str | None) -> str:
    """A document number without spaces, dots, slashes and commas: ``18877305.5`` → ``188773055``,
    ``2014/114885`` → ``2014114885``, ``R E36 154`` → ``RE36154``, ``13/547,826`` → ``13547826``."""
    return re.sub(r"[\s./,]", "", text or "").upper()


def clean_name(text: str | None) -> str:
    """A party name without padding, trailing commas and a trailing ``[US]`` country mark."""
    name = " ".join((text or "").split())
    name = re.sub(r"\s*\[[A-Z]{2}\]$", "", name)
    return name.strip(" ,;")


def name_country(text: str | None) -> str:
    match = re.search(r"\[([A-Z]{2})\]\s*$", text or "")
    return match.group(1) if match else ""


def earliest(priorities: list[dict]) -> date | None:
    dates = [date.fromisoformat(p["date"]) for p in priorities if p.get("date")]
    return min(dates) if dates else None


# --- classification symbols ------------------------------------------------------------------------------

_SYMBOL = re.compile(r"^\s*(?:\d{1,2}(?=\s*[A-H]\s*\d))?\s*([A-H]\s*\d{2}\s*[A-Z](?:\s*\d{1,4}\s*/\s*\d{1,6})?)")
_POSITION = re.compile(r"\b(?:19|20)\d{6}(.)([FL ])")


def ipc_symbol(text: str | None) -> str:
    """The normalised symbol of an IPC/CPC field in any EPO spelling: IPCR/CPC text
    (``H04L   9/32        20060101AFI…``), pre-IPCR with edition (`` 7C 07C  29/44   A``), OPS's spaced form
    (``C10L   1/    00``); '' when there is none."""
    match = _SYMBOL.match((text or "").upper())
    return normalise_ipc(match.group(1)) if match else ""


def is_first_position(text: str | None) -> bool:
    """Whether an IPCR/CPC text marks the first-placed (main) symbol: ``…20060101AFI…`` → True."""
    match = _POSITION.search(text or "")
    return bool(match) and match.group(2) == "F"


def main_first(entries: Iterable[tuple[str, bool]]) -> list[str]:
    """Symbols in their order with the first-placed ones first, without repeats and blanks."""
    entries = list(entries)
    ordered = [s for s, first in entries if first] + [s for s, first in entries if not first]
    return list(dict.fromkeys(s for s in ordered if s))


# --- citations ---------------------------------------------------------------------------------------------

def npl_text(nplcit: etree._Element) -> str:
    """The text of a non-patent citation: its ``text`` element, or one made from the article's parts."""
    given = find_text(nplcit, "text")
    if given:
        return given
    authors = "; ".join(t for t in (text_of(a) for a in nplcit.iter("author")) if t)
    title = next((text_of(e) for e in nplcit.iter("atl", "online-title", "book-title") if text_of(e)), "")
    serial = next((text_of(e) for e in nplcit.iter("sertitle") if text_of(e)), "")
    volume, issue = (next((text_of(e) for e in nplcit.iter(tag) if text_of(e)), "") for tag in ("vid", "ino"))
    first, last = (next((text_of(e) for e in nplcit.iter(tag) if text_of(e)), "") for tag in ("ppf", "ppl"))
    year = next((text_of(e)[:4] for e in nplcit.iter("sdate") if text_of(e)), "")
    parts = [authors, title, serial, f"vol. {volume}" if volume else "", f"no. {issue}" if issue else "",
             f"pages {first}-{last}" if first and last else (f"page {first}" if first else ""), year]
    return ", ".join(p for p in parts if p) or text_of(nplcit)
