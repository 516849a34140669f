"""Patent search as a service: one function for the web pages, the API and the CLI."""

import re

from django.db.models import Prefetch
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch

from ..models import IPCEntry, LegalStatus, Party, Patent, PatentType
from .backends import FACETS, SearchResult, get_backend
from .query import QueryError, field_query, parse

__all__ = ["QueryError", "search_patents", "matching_patent_ids", "patents_matching", "result_as_dict", "hit_as_dict"]

#: The fields of the patents loaded with the hits (others load on access).
HIT_FIELDS = ("office", "application_number", "application_date", "publication_number", "publication_date",
              "grant_number", "grant_date", "kind", "patent_type", "title", "abstract", "ipc_main", "cpc_main",
              "legal_status", "family_id", "region__code", "region__name", "region__level", "region__parent_id")


def search_patents(query_text: str, *, filters=None, sort: str = "relevance", facets=True, page: int = 1,
                   page_size: int = 20, one_per_family: bool = False) -> SearchResult:
    """Patents matching a query in the query language (:mod:`.query`), one page of them with their records.

    ``filters``: extra conditions, {field: value or [values]} (values of one field ORed, fields ANDed) — what a
    click on a facet adds. ``sort``: relevance (full-text score, then newest), ``date`` (oldest filing first) or
    ``-date``. ``facets``: True for all (year, type, ipc, city, applicant, status), a list for some, False for
    none. ``one_per_family``: one hit per patent family (the CN member, else the earliest filing).
    Raises :class:`QueryError` (position and reason) for a query or filter that cannot be read.
    """
    tree = parse(query_text)
    if isinstance(filters, dict):
        for name, value in filters.items():  # read them here, so a bad filter is a QueryError too
            for item in value if isinstance(value, list | tuple) else [value]:
                if item not in (None, ""):
                    field_query(name, str(item))
    result = get_backend().search(tree, filters=filters, sort=sort, facets=facets, page=page, page_size=page_size,
                                  one_per_family=one_per_family)
    patents = Patent.objects.filter(pk__in=[h.id for h in result.hits]).only(*HIT_FIELDS).select_related(
        "region").prefetch_related(
        Prefetch("parties", queryset=Party.objects.filter(role=Party.Role.APPLICANT).order_by("sequence"),
                 to_attr="applicants"))
    by_id = {p.pk: p for p in patents}
    for hit in result.hits:
        hit.patent = by_id.get(hit.id)
    result.hits = [h for h in result.hits if h.patent is not None]
    _label_facets(result)
    return result


def matching_patent_ids(query_text: str, *, filters=None) -> list[int]:
    """Ids of every patent a query matches (no cap), in id order: what a navigation dataset or a watch list holds.
    Raises :class:`QueryError` for a query that cannot be read."""
    return get_backend().matching_ids(parse(query_text), filters=filters)


def patents_matching(query_text: str, queryset=None):
    """The patents (of ``queryset``, else all) that a query matches, as a queryset filtered by a subquery (no
    cap, no list of ids in Python): for the API's list, which pages, filters and orders them further.
    Raises :class:`QueryError` for a query that cannot be read."""
    sql, params = get_backend().matching_ids_sql(parse(query_text))
    return (Patent.objects.all() if queryset is None else queryset).filter(pk__in=RawSQL(sql, params))


def _label_facets(result: SearchResult) -> None:
    from ipoffice.entities.models import Entity
    from ipoffice.regions.models import Region

    facets = result.facets
    types, statuses = dict(PatentType.choices), dict(LegalStatus.choices)
    for value in facets.get("year", []):
        value.label = value.value or "—"
        value.query = f"year:{value.value}" if value.value else ""
    for value in facets.get("type", []):
        value.label = str(types.get(value.value, value.value))
        value.query = f"type:{value.value}"
    for value in facets.get("status", []):
        value.label = str(statuses.get(value.value, value.value))
        value.query = f"status:{value.value or 'unknown'}"
    cities = facets.get("city", [])
    if cities:
        regions = {r.code: r for r in Region.objects.filter(code__in=[v.value + "00" for v in cities])
                   .select_related("parent")}
        for value in cities:
            region = regions.get(value.value + "00")
            name = region.name if region else value.value
            if region and region.name in ("市辖区", "县", "省直辖县级行政区划") and region.parent:
                name = region.parent.name
            value.label = name
            value.query = f"city:{value.value}"
    ipcs = facets.get("ipc", [])
    if ipcs:
        titles = dict(IPCEntry.objects.filter(symbol__in=[v.value for v in ipcs]).values_list("symbol", "title_zh"))
        for value in ipcs:
            title = re.sub(r"〔[^〕]*〕|[（(].*", "", titles.get(value.value, "")).strip()
            value.label = f"{value.value} {title[:40]}".strip()
            value.query = f"ipc:{value.value}"
    applicants = facets.get("applicant", [])
    if applicants:
        entity_ids = [int(v.value[1:]) for v in applicants if v.value.startswith("e")]
        names = dict(Entity.objects.filter(pk__in=entity_ids).values_list("pk", "name"))
        for value in applicants:
            if value.value.startswith("e"):
                value.label = names.get(int(value.value[1:]), value.value)
            else:
                value.label = value.value[2:]
            value.query = f'applicant:"{value.label}"'


def _url(patent: Patent) -> str:
    try:
        return patent.get_absolute_url()
    except NoReverseMatch:
        return f"/patents/{patent.office}/{patent.application_number}/"


def hit_as_dict(patent: Patent) -> dict:
    applicants = getattr(patent, "applicants", None)
    if applicants is None:
        applicants = patent.parties.filter(role=Party.Role.APPLICANT).order_by("sequence")
    return {
        "office": patent.office,
        "number": patent.display_number,
        "kind": patent.kind,
        "title": patent.title,
        "applicants": [p.name for p in applicants],
        "application_date": patent.application_date.isoformat() if patent.application_date else None,
        "ipc_main": patent.ipc_main,
        "legal_status": patent.legal_status,
        "url": _url(patent),
    }


def result_as_dict(result: SearchResult) -> dict:
    """The JSON form of a result (CLI and API): total, page, hits, facets."""
    return {
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "hits": [hit_as_dict(h.patent) | {"score": round(h.score, 4)} for h in result.hits],
        "facets": {name: [{"value": v.value, "label": v.label, "count": v.count, "query": v.query}
                          for v in values] for name, values in result.facets.items() if name in FACETS},
        "facets_estimated": result.facets_estimated,
    }
