"""USPTO grants of 2001 in SGML (``PATDOC`` of the ST.32 US Patent Grant DTD v2.4, ``DTD="2.4"``).

The tags are those of the XML v2.5 grants (B110, B210, B540, …), read by the same reader
(:func:`.fmt_uspto_v25.read_patdoc`). The SGML is made XML on the way in, block by block: a DOCTYPE public
identifier gets a system literal, the DTD's EMPTY elements (``<CITED-BY-EXAMINER>``, ``<EMI …>``, …) are closed
in place, unquoted attribute values are quoted and bytes that are not UTF-8 are read as Latin-1. Files already
converted to XML (the PatentPublicData sample) pass through unchanged. A weekly file holds one PATDOC after
another, each after its own DOCTYPE.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from .base import ParsedPatent, Parser, RecordError, register
from .fmt_uspto_common import xml_documents
from .fmt_uspto_v25 import patdoc_version, read_patdoc

_EMPTY = b"B597US|CITED-BY-EXAMINER|CITED-BY-OTHER|EMI|MATHEMATICA|colspec|spanspec"
_OPEN_EMPTY = re.compile(rb"<(" + _EMPTY + rb")(\s[^<>]*?)?(?<!/)>")
_PUBLIC_ONLY = re.compile(rb"""(<!DOCTYPE\s+PATDOC\s+PUBLIC\s+"[^"]*")(\s*[\[>])""")
_START_TAG = re.compile(rb"<[A-Za-z][^<>]*>")
_ATTRIBUTE = re.compile(rb"""("[^"]*"|'[^']*')|(\s[A-Za-z][\w.-]*\s*=\s*)([^\s"'>/]+)""")


def _quote_value(match: re.Match) -> bytes:
    return match[0] if match[1] else match[2] + b'"' + match[3] + b'"'


def _quote(match: re.Match) -> bytes:
    return _ATTRIBUTE.sub(_quote_value, match[0]) if b"=" in match[0] else match[0]


def sgml_to_xml(data: bytes) -> bytes:
    """A block of ST.32 SGML as XML (see the module docstring); XML input comes back unchanged."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data = data.decode("latin-1").encode("utf-8")
    if b"<" not in data:
        return data
    data = _PUBLIC_ONLY.sub(rb'\1 "ST32-US-Grant-024.dtd"\2', data)
    data = _START_TAG.sub(_quote, data)
    return _OPEN_EMPTY.sub(lambda m: b"<" + m[1] + (m[2] or b"") + b"/>", data)


@register
class UsptoGrantSgml(Parser):
    format = "uspto-grant-sgml-v2.4"
    description = "USPTO grant SGML of 2001 (PATDOC, ST.32 US Patent Grant DTD v2.4)"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return patdoc_version(head) == "2.4"

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        for index, root in xml_documents(path, ("PATDOC",), fixup=sgml_to_xml):
            yield read_patdoc(root, f"document {index}")
            root.clear()
