"""EPO Open Patent Services (OPS) responses: ``ops:world-patent-data`` with ``exchange-documents`` — the
biblio service (``/published-data/publication/…/biblio``), and biblio search results, which hold the same
documents.

The documents are DOCDB's ``exchange-document`` in the ``http://www.epo.org/exchange`` default namespace,
read by :func:`.fmt_epo_docdb.read_exchange_document`. What OPS does differently: the format of a number is
on each ``document-id`` (``document-id-type``), an application is dated in its ``epodoc`` form, priorities
come as ``epodoc`` and ``original`` only (``US201213547826``; a PCT application ``WO2013US50328`` gives the
PCT data), parties as ``epodoc`` and ``original`` (the original names are preferred; repeats that differ
only in case are dropped), and CPC symbols are split into section, class, subclass, main group, subgroup.
"""

from collections.abc import Iterator
from pathlib import Path

from .base import ParsedPatent, Parser, RecordError, register
from .fmt_epo_common import local_name, root_element
from .fmt_epo_docdb import parse_exchange_documents


@register
class EpoOpsParser(Parser):
    format = "epo-ops-biblio"
    description = "EPO OPS biblio response (ops:world-patent-data / exchange-documents)"

    @classmethod
    def detect(cls, head: bytes, name: str) -> bool:
        return local_name(root_element(head)) == "world-patent-data"

    def parse(self, path: Path) -> Iterator[ParsedPatent | RecordError]:
        yield from parse_exchange_documents(path)
