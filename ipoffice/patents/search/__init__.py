"""Patent search: the query language (:mod:`.query`), the analyser (:mod:`.text`), the backends
(:mod:`.backends`: SQLite FTS5 embedded, PostgreSQL full text in production) and the service
(:func:`.services.search_patents`) that the web pages, the API and the CLI call."""


def index_patents(ids) -> int:
    """(Re)index these patents (ids or instances) in the active backend, as the tables hold them."""
    from .backends import get_backend

    return get_backend().index(ids)


def index_documents(rows) -> None:
    """Index patents from rows already in hand, in the shape of :func:`.backends.document_rows`: the importer
    indexes each batch it writes this way, without reading it back."""
    from .backends import get_backend, make_document

    get_backend().write([make_document(row) for row in rows])


def remove_patents(ids) -> None:
    from .backends import get_backend

    get_backend().remove(ids)


def search_patents(query_text, **options):
    """See :func:`ipoffice.patents.search.services.search_patents`."""
    from .services import search_patents as search

    return search(query_text, **options)
