"""Helpers shared by the parsers: namespace-free XML access, safe streaming, mark types and US status codes."""

from collections.abc import Iterator
from pathlib import Path

from lxml import etree


def local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children(element, name: str) -> list:
    return [c for c in element if isinstance(c.tag, str) and local(c) == name]


def find(element, path: str):
    """The first element at a '/'-separated path of local names (``A/B``), or None; ``//B`` searches below."""
    if element is None:
        return None
    if path.startswith("//"):
        name = path[2:]
        return next((e for e in element.iter() if isinstance(e.tag, str) and local(e) == name), None)
    current = element
    for name in path.split("/"):
        found = children(current, name)
        if not found:
            return None
        current = found[0]
    return current


def find_all(element, path: str) -> list:
    if element is None:
        return []
    if path.startswith("//"):
        name = path[2:]
        return [e for e in element.iter() if isinstance(e.tag, str) and local(e) == name]
    head, _, last = path.rpartition("/")
    parent = find(element, head) if head else element
    return children(parent, last) if parent is not None else []


def text(element, path: str = "") -> str:
    found = find(element, path) if path else element
    return " ".join((found.text or "").split()) if found is not None else ""


def stream(path: Path, names: set[str]) -> Iterator:
    """Elements with one of the local ``names``, as each ends (cleared after use). No DTD, entities or network."""
    for _event, element in etree.iterparse(str(path), events=("end",), resolve_entities=False, no_network=True,
                                           load_dtd=False, huge_tree=False, remove_comments=True):
        if isinstance(element.tag, str) and local(element) in names:
            yield element
            element.clear()


def mark_type_from_text(value: str) -> str:
    """ST.66/ST.96 and USPTO feature names → word, figurative, combined, 3d, colour, sound, other."""
    v = (value or "").lower()
    if "sound" in v:
        return "sound"
    if "colour" in v or "color" in v:
        return "colour"
    if "three" in v or "3-d" in v or "3d" in v or "shape" in v:
        return "3d"
    if "combined" in v or "with word" in v or "plus word" in v or "composite" in v:
        return "combined"
    if "figurative" in v or "design only" in v or "device" in v:
        return "figurative"
    if "word" in v or "typeset" in v or "standard character" in v or "typed" in v:
        return "word"
    return "other" if v else "word"


# USPTO mark drawing codes (ST.96 MarkFeatureCode): 1 typed, 2 design only, 3 design plus words,
# 4 standard characters, 5 stylised words, 6 no drawing (sound, scent).
US_DRAWING_CODES = {"1": "word", "2": "figurative", "3": "combined", "4": "word", "5": "word", "6": "other"}


def mark_kind_from_text(value: str) -> str:
    v = (value or "").lower()
    if "certification" in v:
        return "certification"
    if "collective" in v:
        return "collective"
    return "individual"


def us_status(code: str, description: str) -> str:
    """A USPTO status (code and external description) in the register's terms."""
    d = (description or "").lower()
    for words, status in ((("cancel",), "cancelled"), (("expired",), "expired"),
                          (("abandon",), "withdrawn"), (("opposition pending", "opposition proceeding"), "opposed"),
                          (("registered", "registration has been renewed", "renewed", "accepted"), "registered"),
                          (("published for opposition",), "published")):
        if any(w in d for w in words):
            return status
    try:
        number = int(code)
    except (TypeError, ValueError):
        return ""
    if 600 <= number < 700:
        return "withdrawn"
    if 700 <= number < 900:
        return "registered"
    if number < 700:
        return "pending"
    return ""
