"""Pieces shared by the USPTO parsers (``fmt_uspto_*``); this module registers no parser.

* :func:`xml_documents` streams a file of one or many concatenated XML documents (a weekly bulk file is one
  ``<?xml …?>`` document per patent), reading it in blocks, and parses each with a safe lxml parser: no
  DTD loading, no network, no entity expansion, no huge trees. HTML/ISO named entities that the USPTO DTDs
  define (``&lsquo;``, ``&mdash;``, ``&lsqb;`` …) are turned into character references before lxml sees
  them; a document whose DOCTYPE declares entities built from other entities (the "billion laughs" XML
  bomb) is refused.
* small readers: text of an element, ST.36 dates, packed IPC symbols of the old fixed layouts, party names and
  addresses, document numbers.
"""

import re
from collections.abc import Callable, Iterator
from datetime import date
from html.entities import html5
from pathlib import Path

from lxml import etree

from .base import ParsedParty

BLOCK = 1 << 18  # bytes read at a time


class DocumentError(ValueError):
    """A document of the file cannot be read at all (not well-formed, truncated, unsafe): the file fails."""


# --- entities -------------------------------------------------------------------------------------------------

_XML_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY_REFS: dict[bytes, bytes] = {}
for _name, _chars in html5.items():
    if _name.endswith(";") and _name[:-1] not in _XML_PREDEFINED:
        _ENTITY_REFS[_name[:-1].encode()] = "".join(f"&#{ord(c)};" for c in _chars).encode()
_ENTITY_TEXT = {name.decode(): "".join(chr(int(n)) for n in re.findall(rb"\d+", ref))
                for name, ref in _ENTITY_REFS.items()}
_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_NESTED_ENTITY = re.compile(r"[&%][A-Za-z_:][\w.:-]*;")


def _entity_ref(match: re.Match) -> bytes:
    return _ENTITY_REFS.get(match[1], match[0])


def replace_entities(data: bytes) -> bytes:
    """``&lsquo;`` → ``&#8216;`` for every HTML5/ISO entity name (XML's own five and unknown names stay)."""
    return _ENTITY.sub(_entity_ref, data) if b"&" in data else data


def xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           remove_comments=True, remove_pis=True)


# --- splitting a file into documents --------------------------------------------------------------------------

def _blocks(fh) -> Iterator[bytes]:
    """The file in blocks of about :data:`BLOCK` bytes that end at a line end; a line longer than that is cut
    before a ``&`` or ``<`` near the cut, so that an entity reference or a tag start is never split."""
    carry = b""
    while True:
        block = fh.read(BLOCK)
        if not block:
            if carry:
                yield carry
            return
        block = carry + block
        cut = block.rfind(b"\n") + 1
        if not cut:
            near = max(block.rfind(b"&"), block.rfind(b"<"))
            cut = near if near > 0 and len(block) - near < 64 else len(block)
        block, carry = block[:cut], block[cut:]
        yield block


class _Document:
    """One document being parsed: whole lines are gathered and fed to lxml some 256 KiB at a time."""

    FLUSH = 1 << 18

    def __init__(self, index: int, line: int, roots: tuple[bytes, ...], fixup: Callable[[bytes], bytes] | None):
        self.index, self.line, self.fixup = index, line, fixup
        self.ends = tuple(b"</" + root for root in roots)
        self.parser = xml_parser()
        self.buffer: list[bytes] = []
        self.size = 0
        self.fed = False
        self.closed = False  # the root element has ended

    @property
    def started(self) -> bool:
        return self.fed or bool(self.buffer)

    def add(self, data: bytes) -> None:
        if not self.started:
            data = data.lstrip()  # an XML declaration must come first, even when indented in a bulk file
            if not data:
                return
        self.buffer.append(data)
        self.size += len(data)
        if self.size >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        data = b"".join(self.buffer)
        self.buffer.clear()
        self.size = 0
        if any(end in data for end in self.ends):
            self.closed = True
        data = replace_entities(data)
        if self.fixup:
            data = self.fixup(data)
        self.fed = True
        try:
            self.parser.feed(data)
        except etree.XMLSyntaxError as error:
            raise self.error(f"not well-formed XML ({error})") from error

    def error(self, reason: str) -> DocumentError:
        if "amplification" in reason or "entity reference loop" in reason:
            reason = f"entity expansion beyond the parser's limits (an entity-expansion 'XML bomb'); refused: {reason}"
        return DocumentError(f"document {self.index} (from line {self.line}): {reason}; nothing of the file is read")

    def close(self) -> etree._Element:
        self.flush()
        try:
            root = self.parser.close()
        except etree.XMLSyntaxError as error:
            raise self.error(f"not well-formed or truncated XML ({error})") from error
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None:
            for entity in dtd.iterentities():
                if entity.system_url is None and _NESTED_ENTITY.search(entity.orig or entity.content or ""):
                    raise self.error(f"the DOCTYPE declares entity '{entity.name}' built from other entities "
                                     "(an entity-expansion 'XML bomb'); refused")
        return root


_TAG_END = (b" ", b">", b"/", b"\n", b"\r", b"\t")


def _markers(block: bytes, roots: tuple[bytes, ...]) -> list[tuple[int, bool]]:
    """(position, is an XML declaration) of the places in ``block`` where a document may start, in order: every
    ``<?xml``, and a DOCTYPE or root start tag with nothing but blanks before it on its line."""
    found = []
    for literal in (b"<?xml", b"<!DOCTYPE") + tuple(b"<" + root for root in roots):
        start = 0
        while (at := block.find(literal, start)) >= 0:
            start = at + 1
            if literal == b"<?xml":
                found.append((at, True))
                continue
            after = block[at + len(literal):at + len(literal) + 1]
            if block[block.rfind(b"\n", 0, at) + 1:at].strip() or (literal != b"<!DOCTYPE" and after not in _TAG_END):
                continue
            found.append((at, False))
    return sorted(found)


def xml_documents(path: Path, roots: tuple[str, ...], *,
                  fixup: Callable[[bytes], bytes] | None = None) -> Iterator[tuple[int, etree._Element]]:
    """(1-based index, root element) of every document in the file, parsed one at a time.

    A document starts at an XML declaration (also one in the middle of a line, as in
    ``</patent-application-publication><?xml …``), or — for files without declarations — at a DOCTYPE or a
    root start tag at the start of a line after the previous document's root has ended. ``fixup`` rewrites the
    bytes before parsing (the SGML parser uses it). Raises :class:`DocumentError` for a document that is not
    well-formed (a truncated file) or declares nested entities.
    """
    root_tags = tuple(r.encode() for r in roots)
    doc: _Document | None = None
    count = lines = 0
    with Path(path).open("rb") as fh:
        for block in _blocks(fh):
            pos = 0
            for at, declaration in _markers(block, root_tags):
                if doc is not None:
                    doc.add(block[pos:at])
                    if declaration and doc.started:
                        yield doc.index, doc.close()
                        doc = None
                    elif not declaration:
                        doc.flush()
                        if doc.closed:
                            yield doc.index, doc.close()
                            doc = None
                elif block[pos:at].strip():  # something before the first declaration: parsed (and refused)
                    count += 1
                    doc = _Document(count, lines + block.count(b"\n", 0, pos) + 1, root_tags, fixup)
                    doc.add(block[pos:at])
                if doc is None:
                    count += 1
                    doc = _Document(count, lines + block.count(b"\n", 0, at) + 1, root_tags, fixup)
                pos = at
            rest = block[pos:]
            if doc is None and rest.strip():
                count += 1
                doc = _Document(count, lines + block.count(b"\n", 0, pos) + 1, root_tags, fixup)
            if doc is not None:
                doc.add(rest)
            lines += block.count(b"\n")
    if doc is not None and doc.started:
        yield doc.index, doc.close()


# --- reading elements -----------------------------------------------------------------------------------------

def _walk(el) -> Iterator[str]:
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from _walk(child)
        elif child.tag is etree.Entity:
            yield _ENTITY_TEXT.get(child.name, "")
        if child.tail:
            yield child.tail


def text(el) -> str:
    """The element's text with its descendants', whitespace collapsed; an unknown entity left as a reference
    (possible where the DOCTYPE has an external subset) is dropped, a known one becomes its character."""
    if el is None:
        return ""
    if not len(el):  # a leaf: no descendants, no entity nodes
        return " ".join(el.text.split()) if el.text else ""
    parts = _walk(el) if next(el.iter(etree.Entity), None) is not None else el.itertext()
    return " ".join("".join(parts).split())


def first_text(el, *paths: str) -> str:
    """The text of the first of ``paths`` (ElementPath, relative to ``el``) that has any."""
    if el is None:
        return ""
    for path in paths:
        value = text(el.find(path))
        if value:
            return value
    return ""


def leaf(el, path: str) -> str:
    """The stripped text of a simple element (a number, date, code) at ``path``: faster than :func:`first_text`."""
    if el is None:
        return ""
    value = el.findtext(path)
    return value.strip() if value else ""


def parse_date(value: str | None) -> date | None:
    """An ST.36 date ``YYYYMMDD``; a day or month given as ``00`` (month-only dates of citations) is read as
    the first day of the month or year. Anything else: ``None``."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 8:
        return None
    year, month, day = int(digits[:4]), int(digits[4:6]) or 1, int(digits[6:]) or 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def clean_number(value: str) -> str:
    """A document number as printed without separators: '09/742,144' → '09742144', 'D. 271298' → 'D271298'."""
    return re.sub(r"[\s/,.\-]", "", value or "")


def cited_number(office: str, number: str) -> str:
    """A cited document's number: a US one without separators ('D. 271298' → 'D271298', '2003/0123456' →
    '20030123456'), a foreign one as printed less its spaces ('197 33 454' → '19733454', '61-123456' kept)."""
    return clean_number(number) if office in ("US", "") else re.sub(r"\s", "", number or "")


def country_code(value: str) -> str:
    """A two-letter country code, or '' for 'unknown', 'omitted', empty; APS three-letter codes ('JPX') → 'JP'."""
    value = (value or "").strip().upper()
    if re.fullmatch(r"[A-Z]{2}", value):
        return value
    if re.fullmatch(r"[A-Z]{2}X", value):
        return value[:2]
    return ""


def address(*parts: str) -> str:
    return ", ".join(p.strip() for p in parts if p and p.strip())


def person(first: str, last: str) -> str:
    return " ".join(p.strip() for p in (first, last) if p and p.strip())


def party(name: str, role: str, city: str = "", state: str = "", country: str = "") -> ParsedParty | None:
    """A party with its address (city, state, country joined); a US state without a country means the US."""
    code = country_code(country) or ("US" if state and not country else "")
    if not name:
        return None
    return ParsedParty(name=name, role=role, address=address(city, state, code), country=code)


def dedupe(parties: list[ParsedParty | None]) -> list[ParsedParty]:
    """Parties without gaps and repeats of the same role and name (an assignee is often also the applicant)."""
    seen, result = set(), []
    for p in parties:
        if p is None:
            continue
        key = (p.role, " ".join(p.name.lower().split()))
        if key not in seen:
            seen.add(key)
            result.append(p)
    return result


def packed_ipc(value: str) -> str:
    """The fixed IPC layout of the APS and ST.32 files: subclass, main group right-aligned in three places,
    subgroup — 'A47L  514' → 'A47L5/14', 'G06F 1516' → 'G06F15/16'; where spaces were lost ('E03C 104') the
    last two digits are the subgroup. Symbols in another spelling go to ``normalise_ipc`` unchanged."""
    from ipoffice.patents.numbers import normalise_ipc

    raw = (value or "").rstrip().upper()
    match = re.fullmatch(r"([A-H]\d{2}[A-Z])([ \d]*\d)", raw)
    if not match or "/" in raw:
        return normalise_ipc(raw)
    head, rest = match.groups()
    if len(rest) >= 5:
        group, sub = rest[:3].strip(), rest[3:].strip()
    else:
        digits = rest.replace(" ", "")
        group, sub = digits[:-2], digits[-2:]
    if not group.isdigit() or not sub.isdigit():
        return normalise_ipc(raw)
    return f"{head}{int(group)}/{sub}"


def locarno(value: str) -> str:
    """A Locarno class as printed in the US files ('1402', '14-02', ' 1402') → '14-02'."""
    digits = re.sub(r"\D", "", value or "")
    return f"{digits[:2]}-{digits[2:4]}" if len(digits) == 4 else (value or "").strip()


def earliest(priorities: list[dict]) -> date | None:
    dates = [date.fromisoformat(p["date"]) for p in priorities if p.get("date")]
    return min(dates) if dates else None
