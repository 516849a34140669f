"""Search backends: one interface, an embedded one (SQLite FTS5) and a production one (PostgreSQL full text).

Both index the same pre-segmented token streams (:mod:`.text`) and run the same plan:

* the query tree is compiled to one SQL condition over ``patents_patent p``. Full-text leaves (text, names,
  numbers) become full-text expressions — FTS5 ``MATCH`` strings, PostgreSQL ``tsquery`` literals — and the
  leaves side by side under one AND/OR are merged into one expression, so a plain query is one index lookup.
  Structured leaves (IPC/CPC, region, type, status, office, dates) are SQL over the normal tables, always current;
  office, type, status, filing year and division are also indexed as tokens (:func:`filter_tokens`), and beside
  words with many hits they join the full-text expression (``SqlBackend._compile``);
* when the condition is full-text expressions ANDed with the rest (the usual query), the index leads the
  join and the patent table is read only where a column or a condition needs it;
* the hits go into a temporary table; one statement pages through it (with the total as a window count), one
  more counts every facet over it (``UNION ALL``). Over ``FACET_EXACT_MAX`` hits the facets are counted on an
  even sample of them, and no hit's row is read for a page by relevance: only the scores of all hits are
  computed, and the best of them (with every tie at the page's end) are ordered by score, date and id.
  SQLite counts the hits first (on the index alone where it can) and takes that path over the limit;
  PostgreSQL keeps only ids and scores in its temporary table and reads the patents' rows for the page and
  the facets (:meth:`SqlBackend._ids_first`). One hit per family is a ``ROW_NUMBER()`` over the family id,
  keeping the family's CN member, then its earliest filing.

The full-text index lives beside the patent table and is kept in step by the importer (every batch it writes,
from memory), by :func:`index_patents` (ORM hooks, reindexing) and by triggers that drop the rows of deleted
patents.

SQLite: an FTS5 table ``patents_search_fts`` (rowid = patent id) with one column per field, the ``ascii``
tokenizer (it keeps every non-ASCII character inside a token, so the analyser's tokens are taken as they are).

PostgreSQL: a table ``patents_search_doc`` (patent_id, body, names, numbers, filters, applicants) with
``tsvector`` literals built from the token streams (no parser, no dictionary — equivalent to the ``simple``
configuration on pre-segmented text); title, abstract and claims are weights A, B, C of ``body``; applicant,
inventor, agency and agent are A, B, C, D of ``names``; GIN indexes on the four, and a pg_trgm index on the
applicants' names for fuzzy name suggestions. ``title`` is a generated column, the A lexemes of ``body``, with
its own GIN index: ``title:`` queries are the commonest field queries, and the weight of ``body`` cannot be read
from its index.
"""

import json
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from functools import cache, reduce
from operator import attrgetter, or_

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q

from ipoffice.core import sqlite as core_sqlite
from ipoffice.core.bulk import write_rows
from ipoffice.regions.models import Region

from ..models import Classification, Party, Patent
from . import query as q
from . import text as t

PAGE_SIZE_MAX = 1000
FACETS = ("year", "type", "ipc", "city", "applicant", "status")
FACET_LIMIT = 20  # values of the ipc and applicant facets (the others are short)
#: Facets are counted exactly over up to this many hits; over more, from an even sample of about FACET_SAMPLE
#: hits (every k-th id), scaled to the total, and the result says they are estimated.
FACET_EXACT_MAX = 10_000
FACET_SAMPLE = 5_000
SORTS = ("relevance", "date", "-date")
#: Hits of a query's words from which its filters are matched in the index (see ``SqlBackend._compile``).
FILTERS_IN_INDEX_FROM = 20_000
TEXT_FIELDS = ("title", "abstract", "claims")
NAME_FIELDS = ("applicant", "inventor", "agency", "agent")
_LIMITS = {"title": 500, "abstract": 3000, "claims": 6000}
#: Patents a large page in date order may walk, in the filing-date index, to find its hits (SQLite).
DATE_WALK_MAX = 50_000
#: Rows fetched past a large page's end, so that a tie on score there is usually settled without a second pass.
TIE_MARGIN = 500
#: Parts of the ids, at most, whose hits SQLite scores at the same time, one core each (each part also counts the
#: query's words over the whole index for their weights, so more parts than cores gain nothing).
SCORE_PARTS_MAX = 4
#: What the page, the families and the facets read of a hit.
HIT_COLUMNS = "p.id, p.application_date, p.family_id, p.office, p.patent_type, p.legal_status, p.region_id"
#: (sort, ranked) → the order of the hits (``_small_search``'s columns; ``_large_page`` sorts the same way).
_ORDERS = {
    ("relevance", True): "COALESCE(score, 0) DESC, (application_date IS NULL), application_date DESC, id DESC",
    ("relevance", False): "(application_date IS NULL), application_date DESC, id DESC",
    ("-date", False): "(application_date IS NULL), application_date DESC, id DESC",
    ("date", False): "(application_date IS NULL), application_date, id",
}
_DATE_COLUMNS = {"year": "application_date", "ad": "application_date", "pd": "publication_date",
                 "gd": "grant_date", "prd": "priority_date"}


@dataclass
class SearchHit:
    id: int
    score: float = 0.0
    patent: Patent | None = None


@dataclass
class FacetValue:
    value: str | None
    count: int
    label: str = ""
    query: str = ""  # the query text that narrows a search to this value


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 20
    facets_estimated: bool = False  # counted on a sample of the hits (more than FACET_EXACT_MAX of them)


@dataclass
class Document:
    """The token streams of one patent, as both backends index them."""

    id: int
    title: list[str]
    abstract: list[str]
    claims: list[str]
    applicant: list[str]
    inventor: list[str]
    agency: list[str]
    agent: list[str]
    numbers: list[str]
    applicant_names: list[str]
    filters: list[str]  # the structured fields as tokens (:func:`filter_tokens`)


class SearchBackend(ABC):
    """What the services need from a search engine."""

    vendor = ""

    @abstractmethod
    def index(self, patents: Iterable) -> int:
        """(Re)index patents (instances or ids); returns how many were written."""

    @abstractmethod
    def remove(self, ids: Iterable[int]) -> None:
        """Drop patents from the index."""

    @abstractmethod
    def search(self, query_ast, filters=None, sort="relevance", facets=True, page=1, page_size=20,
               one_per_family=False) -> SearchResult:
        """Patents matching the query tree and the filters (a list of nodes, or {field: value or [values]}),
        one page of hits (ids and scores) and, when asked, the facet counts over all hits."""

    @abstractmethod
    def matching_ids(self, query_ast, filters=None) -> list[int]:
        """Ids of every patent matching the query tree and the filters, in id order: no page, no score."""

    @abstractmethod
    def matching_ids_sql(self, query_ast, filters=None) -> tuple[str, list]:
        """(SQL, parameters) of a statement selecting those ids (in no order), for a subquery of the ORM."""

    @abstractmethod
    def clear(self) -> None:
        """Empty the index."""

    @abstractmethod
    def count(self) -> int:
        """Rows in the index."""

    def suggest_applicants(self, prefix: str, limit: int = 10) -> list[str]:
        """Applicant names that start with or contain the text (for search forms)."""
        return []


# ---------------------------------------------------------------------------------------------------- documents


def _ids(patents: Iterable) -> list[int]:
    return [p if isinstance(p, int) else p.pk for p in patents]


def document_rows(ids: list[int]) -> list[tuple]:
    """What the index needs of these patents, as plain tuples (picklable, for worker processes)."""
    names = {}
    for patent_id, role, name in (Party.objects.filter(patent_id__in=ids).order_by("patent_id", "role", "sequence")
                                  .values_list("patent_id", "role", "name")):
        names.setdefault(patent_id, {}).setdefault(role, []).append(name)
    rows = Patent.objects.filter(pk__in=ids).values_list(
        "pk", "office", "title", "titles", "abstract", "abstracts", "first_claim", "application_number",
        "publication_number", "grant_number", "patent_type", "legal_status", "application_date", "region__code")
    return [(*row, names.get(row[0], {})) for row in rows]


def filter_tokens(office: str, patent_type: str, legal_status: str, filed: date | None,
                  region_code: str | None) -> list[str]:
    """The structured fields that queries filter on most, as tokens (letters and digits only, lower case): the
    backends index them in a column of their own, so that ``city:4401`` or ``year:2018..2022`` beside the words
    is one more posting list to intersect instead of a patent row to read for every hit."""
    tokens = ["o" + office.lower(), "t" + _alnum(patent_type), "s" + _alnum(legal_status)]
    if filed:
        tokens.append(f"y{filed.year}")
    if region_code:
        tokens += dict.fromkeys(f"r{region_code[:size]}" for size in (2, 4, 6, len(region_code)))
    return tokens


def _alnum(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.lower())


def _text_in_all_languages(text: str, by_language: dict | None) -> str:
    """The main text, then the other languages' in the order of their codes (PostgreSQL's jsonb keeps keys in
    its own order, so the order as stored would differ between backends)."""
    others = (v for _language, v in sorted((by_language or {}).items()) if isinstance(v, str))
    return " ".join(dict.fromkeys([text, *others]))


def make_document(row: tuple) -> Document:
    """The token streams of one row of :func:`document_rows` (pure: no database)."""
    (pk, office, title, titles, abstract, abstracts, claim, app, pub, grant, patent_type, status, filed,
     region_code, parties) = row
    title_text, abstract_text = _text_in_all_languages(title, titles), _text_in_all_languages(abstract, abstracts)
    return Document(
        id=pk,
        title=t.analyse_text(title_text, _LIMITS["title"]),
        abstract=t.analyse_text(abstract_text, _LIMITS["abstract"]),
        claims=t.analyse_text(claim or "", _LIMITS["claims"]),
        applicant=t.analyse_names(parties.get("applicant", [])),
        inventor=t.analyse_names(parties.get("inventor", [])),
        agency=t.analyse_names(parties.get("agency", [])),
        agent=t.analyse_names(parties.get("agent", [])),
        numbers=t.number_tokens(office, app, [pub, grant]),
        applicant_names=parties.get("applicant", []),
        filters=filter_tokens(office, patent_type, status, filed, region_code),
    )


def build_documents(ids: list[int]) -> list[Document]:
    """The token streams of the patents with these ids, read from the database."""
    return [make_document(row) for row in document_rows(ids)]


# ---------------------------------------------------------------------------------------------------- compiling


@dataclass
class _Fts:
    """A full-text expression over one index target (SQLite: the FTS table; PostgreSQL: one tsvector)."""

    target: str
    expr: str
    negated: bool = False
    #: Of a filter in the index (:func:`filter_tokens`): the same condition in SQL over the patent table. That
    #: stands wherever no word of the query requires an indexed patent, so that unindexed patents still match.
    sql: "_Sql | None" = None


@dataclass
class _Sql:
    sql: str
    params: list
    parts: list | None = None  # the conditions ANDed, when this is a conjunction
    top: object = None  # on the compiled condition: what it was compiled from (an _Fts or an _Sql)
    uses_fts: bool = True  # on the compiled condition: whether any part of it reads the full-text index
    #: Of ``p.id IN (SELECT c.patent_id FROM … c WHERE …)`` (an IPC or CPC term): its text from FROM on, so that
    #: those ids are counted and sampled without reading a patent row each (``ipc:G06F*`` at 1 M: 64 → 12 ms
    #: to count). The ids may repeat (a patent with several symbols of the class).
    ids_from: str | None = None


class _Compiler:
    """Query tree → one SQL condition over ``patents_patent p`` (see the module docstring)."""

    def __init__(self, backend: "SqlBackend", filters_in_index: bool = False):
        self.backend = backend
        self.filters_in_index = filters_in_index  # put indexed filters beside words into the expression
        self.filters_beside_words = False  # whether there were any (in the expression or not)
        self.rank: dict[str, list[str]] = {}  # target → positive expressions, for relevance

    def compile(self, node) -> _Sql:
        self.uses_fts = False
        top = self.node(node, negated=False)
        if isinstance(top, _Fts) and top.sql is not None:
            top = top.sql
        sql = self.as_sql(top)
        return _Sql(sql.sql, sql.params, sql.parts, top, self.uses_fts)

    def as_sql(self, cond) -> _Sql:
        if isinstance(cond, _Sql):
            return cond
        if cond.sql is not None:
            return cond.sql
        sql, params = self.backend.fts_condition(cond.target, cond.expr)
        return _Sql(f"NOT COALESCE({sql}, false)", params) if cond.negated else _Sql(sql, params)

    def node(self, node, negated: bool):
        if isinstance(node, q.All):
            return _Sql("1 = 1", [])
        if isinstance(node, q.Not):
            inner = self.node(node.child, not negated)
            if isinstance(inner, _Fts) and not inner.negated:
                return _Fts(inner.target, inner.expr, negated=True, sql=inner.sql and _negation(inner.sql))
            return _negation(self.as_sql(inner))
        if isinstance(node, q.Range):
            return self.date_range(node)
        if isinstance(node, q.Term):
            if q.field_kind(node.field) == "keyword":
                return self.keyword(node)
            target, expr, office = self.term(node)
            self.uses_fts = True
            if not negated:
                self.rank.setdefault(target, []).append(expr)
            if office:  # number:CN… is the number in a CN patent: the index holds numbers without their office
                office = self.keyword(q.Term("office", office))
                if self.backend.number_office_in_index:
                    office = _Fts(office.target, office.expr)
                return self.boolean(True, [_Fts(target, expr), office])
            return _Fts(target, expr)
        children = [self.node(child, negated) for child in node.children]
        return self.boolean(isinstance(node, q.And), children)

    def boolean(self, conjunction: bool, children: list):
        b = self.backend
        # Filters go into the full-text expression beside a word that only indexed patents can match; else SQL.
        words = conjunction and any(isinstance(c, _Fts) and c.sql is None and not c.negated for c in children)
        filters = [c for c in children if isinstance(c, _Fts) and c.sql is not None]
        self.filters_beside_words |= words and bool(filters)
        keep = words and self.filters_in_index
        children = [c.sql if isinstance(c, _Fts) and c.sql is not None and not keep else c for c in children]
        merged, negatives, others = {}, {}, []
        for child in children:
            if isinstance(child, _Fts) and not child.negated:
                merged.setdefault(child.target, []).append(child.expr)
            elif isinstance(child, _Fts) and conjunction:
                negatives.setdefault(child.target, []).append(child.expr)
            else:
                others.append(child)
        parts = []
        for target, exprs in merged.items():
            expr = b.fts_and(exprs) if conjunction else b.fts_or(exprs)
            if target in negatives:  # a AND NOT b → one expression
                expr = b.fts_and_not(expr, b.fts_or(negatives.pop(target)))
            parts.append(_Fts(target, expr))
        parts += [_Fts(target, b.fts_or(exprs), negated=True) for target, exprs in negatives.items()]
        parts += others
        if len(parts) == 1:
            return parts[0]
        sqls = [self.as_sql(p) for p in parts]
        joiner = " AND " if conjunction else " OR "
        return _Sql(joiner.join(f"({s.sql})" for s in sqls), [p for s in sqls for p in s.params],
                    parts if conjunction else None)

    # -- leaves
    def term(self, node: q.Term) -> tuple[str, str, str]:
        """(target, full-text expression, office) of a text, name or number term (the office a number names)."""
        b = self.backend
        kind = q.field_kind(node.field)
        if kind == "number":
            office, tokens = t.number_query(node.value, node.prefix)
            if not tokens:
                raise q.QueryError(f"'{node.value}' is not a patent number", node.pos)
            expr = b.fts_or([b.fts_token("number", token, prefix=node.prefix) for token in tokens])
            return b.target("number"), expr, office
        if kind == "name":
            runs = t.name_tokens(node.value, query=True)
            if not runs:
                raise q.QueryError(f"'{node.value}' has no letters or digits to search for", node.pos)
            if node.phrase:
                runs = [[token for run in runs for token in run]]
            exprs = []
            for i, run in enumerate(runs):
                last = i == len(runs) - 1
                if len(run) == 1:
                    prefix = (node.prefix and last) or (t.is_han(run[0]) and len(run[0]) == 1)
                    exprs.append(b.fts_token(node.field, run[0], prefix=prefix))
                else:
                    exprs.append(b.fts_phrase(node.field, run))
            return b.target(node.field), b.fts_and(exprs), ""
        tokens = t.words(node.value)
        if not tokens:
            raise q.QueryError(f"'{node.value}' has no letters or digits to search for", node.pos)
        if node.phrase and len(tokens) > 1:
            return b.target(node.field), b.fts_phrase(node.field, tokens), ""
        exprs = []
        for i, token in enumerate(tokens):
            prefix = t.is_han(token) and len(token) == 1 and not node.phrase
            if node.prefix and i == len(tokens) - 1:
                raw = t.fold(node.value).split()[-1] if not t.is_han(token) else token
                raw = re.findall(r"[^\W_]+", raw)[-1] if re.findall(r"[^\W_]+", raw) else token
                token, prefix = (token if raw.startswith(token) else raw), True
            exprs.append(b.fts_token(node.field, token, prefix=prefix))
        return b.target(node.field), b.fts_and(exprs), ""

    def keyword(self, node: q.Term) -> "_Sql | _Fts":
        b = self.backend
        value = node.value
        if node.field in ("ipc", "cpc"):
            if "/" in value:
                cond, params = ("c.symbol = %s", [value]) if not node.prefix else (
                    f"c.subclass = %s AND {b.prefix_sql('c.symbol')}", [value[:4], b.prefix_param(value)])
            elif len(value) == 4:
                cond, params = "c.subclass = %s", [value]
            elif len(value) > 4:
                pattern = value if node.prefix else value + "/"
                cond, params = f"c.subclass = %s AND {b.prefix_sql('c.symbol')}", [value[:4], b.prefix_param(pattern)]
            else:
                cond, params = b.prefix_sql("c.subclass"), [b.prefix_param(value)]
            ids_from = f"FROM {Classification._meta.db_table} c WHERE c.scheme = %s AND {cond}"
            return _Sql(f"p.id IN (SELECT c.patent_id {ids_from})", [node.field, *params], ids_from=ids_from)
        if node.field in ("city", "district", "province"):
            prefixes = _region_prefixes(node)
            ids = list(Region.objects.filter(reduce(or_, (Q(code__startswith=p) for p in prefixes)))
                       .values_list("pk", flat=True))
            sql = _Sql(f"p.region_id IN ({', '.join(['%s'] * len(ids))})", ids) if ids else _Sql("1 = 0", [])
            return self.indexed_filter(sql, [f"r{prefix}" for prefix in prefixes])
        column = {"type": "patent_type", "status": "legal_status", "office": "office", "kind": "kind",
                  "family": "family_id"}[node.field]
        if node.prefix:
            return _Sql(b.prefix_sql(f"p.{column}"), [b.prefix_param(value)])
        sql = _Sql(f"p.{column} = %s", [value.upper() if node.field == "kind" else value])
        first = {"office": "o", "type": "t", "status": "s"}.get(node.field)
        return self.indexed_filter(sql, [first + _alnum(value)]) if first else sql

    def indexed_filter(self, sql: _Sql, tokens: list[str]) -> "_Sql | _Fts":
        """A condition that :func:`filter_tokens` also indexes: any of its tokens as a full-text expression that
        keeps its SQL (not ranked: the score stays that of the words)."""
        b = self.backend
        return _Fts(b.target("filters"), b.fts_or([b.fts_token("filters", token) for token in tokens]), sql=sql)

    def date_range(self, node: q.Range) -> "_Sql | _Fts":
        column = _DATE_COLUMNS[node.field]
        parts, params = [], []
        if node.low:
            parts.append(f"p.{column} >= {self.backend.date_placeholder}")
            params.append(node.low.isoformat())
        if node.high:
            parts.append(f"p.{column} <= {self.backend.date_placeholder}")
            params.append(node.high.isoformat())
        if not parts:
            parts.append(f"p.{column} IS NOT NULL")
        sql, low, high = _Sql(" AND ".join(parts), params), node.low, node.high
        whole_years = column == "application_date" and low and high and (low.month, low.day) == (1, 1) \
            and (high.month, high.day) == (12, 31) and high.year - low.year < 50
        return self.indexed_filter(sql, [f"y{year}" for year in range(low.year, high.year + 1)]) if whole_years \
            else sql


def _region_prefixes(node: q.Term) -> list[str]:
    """The division codes (GB/T 2260 prefixes) that a ``province:``, ``city:`` or ``district:`` term stands for:
    the given digits, or the codes of the divisions of that name."""
    value = node.value
    level = {"province": Region.Level.PROVINCE, "city": Region.Level.CITY, "district": Region.Level.DISTRICT}
    if value.isdigit():
        return [{"province": value[:2], "city": value[:4]}.get(node.field, value)]
    name = t.fold(value)
    suffixes = {"province": ("省", "市", "自治区"), "city": ("市", "地区", "自治州", "盟"),
                "district": ("区", "县", "市", "旗")}[node.field]
    names = {name, *(name + s for s in suffixes)}
    codes = list(Region.objects.filter(level=level[node.field]).filter(
        Q(name__in=names) | Q(short_name__in=names)).values_list("code", flat=True))
    if not codes:
        raise q.QueryError(f"unknown {node.field} '{value}' (give its name or its GB/T 2260 code)", node.pos)
    return sorted({code[: 2 * level[node.field]] for code in codes})


# ---------------------------------------------------------------------------------------------------- SQL backends


class SqlBackend(SearchBackend):
    """The plan shared by both backends; subclasses give the full-text syntax and the index writes."""

    date_placeholder = "%s"
    patent_table = Patent._meta.db_table
    #: Whether a number query's office is matched in the filters index rather than on the patent row. Not on
    #: SQLite, where bm25 reads the whole posting list of every token of the expression (for its weight), and an
    #: office's holds most patents; on PostgreSQL it is checked on the one row the number finds, where the join to
    #: the patent row made the planner, which takes any number for 5,000 hits, start a parallel scan.
    number_office_in_index = False

    # full-text syntax
    @abstractmethod
    def target(self, field: str) -> str: ...

    @abstractmethod
    def fts_token(self, field: str, token: str, prefix: bool = False) -> str: ...

    @abstractmethod
    def fts_phrase(self, field: str, tokens: list[str]) -> str: ...

    @abstractmethod
    def fts_and(self, exprs: list[str]) -> str: ...

    @abstractmethod
    def fts_or(self, exprs: list[str]) -> str: ...

    @abstractmethod
    def fts_and_not(self, positive: str, negative: str) -> str: ...

    @abstractmethod
    def fts_condition(self, target: str, expr: str) -> tuple[str, list]: ...

    @abstractmethod
    def score_sql(self, rank: dict[str, list[str]]) -> tuple[str, str, list, list]:
        """(select expression, joins, select params, join params) of the relevance score."""

    @abstractmethod
    def prefix_sql(self, column: str) -> str: ...

    @abstractmethod
    def prefix_param(self, value: str) -> str: ...

    year_sql = "substr(h.application_date, 1, 4)"
    binary = ""  # a collation clause that orders strings by code point
    materialize = True  # keep the hits in a temporary table for the page and the facets
    #: Count the hits first, and page through many of them by their scores alone (see the module docstring).
    #: PostgreSQL does not: at 1 M patents counting 50,000+ hits cost as much as scoring them (a bitmap heap
    #: scan either way), so it scores them once into a table of ids (``_ids_first``).
    count_first = True
    temp_schema = "temp"
    #: Whether the index takes one full-text condition per query (SQLite: one MATCH per table) or several (on the
    #: columns of one table, negated ones too: PostgreSQL).
    one_match = True
    driven_join = "JOIN"  # how a query led by the index joins the patents

    def base_joins(self) -> str:
        return ""

    def can_materialize(self, cursor) -> bool:
        return self.materialize

    # -- the plan
    def search(self, query_ast, filters=None, sort="relevance", facets=True, page=1, page_size=20,
               one_per_family=False) -> SearchResult:
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        page = max(int(page or 1), 1)
        page_size = min(max(int(page_size or 20), 1), PAGE_SIZE_MAX)
        compiler, where = self._compile(_with_filters(query_ast, filters))
        rank = compiler.rank if sort == "relevance" and compiler.rank else None  # (date sorts: no score)
        wanted = () if not facets else FACETS if facets is True else tuple(f for f in facets if f in FACETS)
        with connection.cursor() as cursor:
            total = self._count(cursor, where) if self.count_first and not one_per_family else None
            if total is None and not one_per_family and self.can_materialize(cursor):
                total, rows, facet_counts = self._ids_first(cursor, where, rank, sort, wanted, page, page_size)
            elif total is not None and total > FACET_EXACT_MAX:
                facets_soon = self._sampled_facets(cursor, where, wanted, total)
                rows = self._large_page(cursor, where, rank, sort, (page - 1) * page_size, page_size, total)
                facet_counts = facets_soon()
            else:
                total, rows, facet_counts = self._small_search(cursor, where, rank, sort, wanted, page, page_size,
                                                               one_per_family)
        hits = [SearchHit(id=row[0], score=float(row[1] or 0)) for row in rows]
        return SearchResult(total=total, hits=hits, facets=facet_counts, page=page, page_size=page_size,
                            facets_estimated=bool(wanted) and total > FACET_EXACT_MAX)

    def _compile(self, node) -> tuple[_Compiler, _Sql]:
        """The compiled condition, its filters beside words in the full-text expression where the words match
        many patents (``FILTERS_IN_INDEX_FROM``): a filter's posting list is then cheaper than reading a row per
        hit; beside a rare word, reading its few rows is cheaper than walking a filter's long list."""
        compiler = _Compiler(self)
        where = compiler.compile(node)
        driven = self._driven(where) if compiler.filters_beside_words else None
        if driven:
            with connection.cursor() as cursor:
                if self.at_least(cursor, *self._driven_select("1", (driven[0], [])), FILTERS_IN_INDEX_FROM):
                    compiler = _Compiler(self, filters_in_index=True)
                    where = compiler.compile(node)
        return compiler, where

    def at_least(self, cursor, select: str, params: list, count: int) -> bool:
        """Whether ``select`` finds ``count`` rows or more: counted up to ``count`` (on SQLite the index alone
        answers: 3 ms for ``装置`` at 1 M, not the 60 of counting all of its hits)."""
        cursor.execute(f"SELECT COUNT(*) FROM ({select} LIMIT %s) w", [*params, count])
        return cursor.fetchone()[0] >= count

    def _count(self, cursor, where: _Sql) -> int:
        """The number of hits, in the cheapest form (no score, no columns, the patents read only if needed)."""
        driven, ids = self._driven(where), _id_set(where)
        if driven:
            return sum(row[0] for row in self.fetch_all(cursor, [
                self._driven_select("COUNT(*)", driven, ids_between=part) for part in self.id_ranges(cursor)]))
        if ids:
            cursor.execute(f"SELECT COUNT(DISTINCT c.patent_id) {ids.ids_from}", ids.params)
        else:
            cursor.execute(f"SELECT COUNT(*) FROM {self.patent_table} p "
                           f"{self.base_joins() if where.uses_fts else ''} WHERE {where.sql}", where.params)
        return cursor.fetchone()[0]

    def _small_search(self, cursor, where, rank, sort, wanted, page, page_size, one_per_family):
        """(total, page rows, facets) when every hit is read: the hits are kept in a temporary table for the page
        and the facets (one evaluation of the query), or evaluated twice where no table can be made."""
        materialize = bool(wanted) and self.can_materialize(cursor)
        with self._hits_table(cursor, *self._hits_select(where, rank)) if materialize else nullcontext():
            hits_sql, hits_params = self._hits_cte(None, None, one_per_family) if materialize else \
                self._hits_cte(where, rank, one_per_family)
            cursor.execute(f"{hits_sql} SELECT id, score, COUNT(*) OVER () FROM result "
                           f"ORDER BY {_ORDERS[sort, bool(rank)]} LIMIT %s OFFSET %s",
                           [*hits_params, page_size, (page - 1) * page_size])
            rows = cursor.fetchall()
            if rows:
                total = rows[0][2]
            else:
                cursor.execute(f"{hits_sql} SELECT COUNT(*) FROM result", hits_params)
                total = cursor.fetchone()[0]
            facet_counts = {name: [] for name in wanted}
            if wanted and total:
                if not materialize:
                    hits_sql, hits_params = self._hits_cte(where, None, one_per_family)
                if total > FACET_EXACT_MAX:  # (one hit per family, or no count first: known only now)
                    hits_sql = hits_sql.replace(", result AS (", ", full_result AS (", 1) + \
                        f", result AS (SELECT * FROM full_result WHERE id %% {-(-total // FACET_SAMPLE)} = 0)"
                facet_counts = self._facets(hits_sql, hits_params, wanted, cursor, total)
        return total, rows, facet_counts

    @contextmanager
    def _hits_table(self, cursor, select: str, params: list):
        """The rows of ``select`` in the temporary table ``search_hits`` (its qualified name; the cursor's ``rowcount``
        their number), dropped after."""
        table = f"{self.temp_schema}.search_hits"
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMP TABLE search_hits AS {select}", params)
        try:
            yield table
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def _ids_first(self, cursor, where, rank, sort, wanted, page, page_size):
        """(total, page rows, facets), the hits' ids and scores kept in a temporary table, read from the
        full-text index alone where the words are the whole condition: the patents' rows are read for the page
        and the facets only (on a sample of the hits over ``FACET_EXACT_MAX``). PostgreSQL, where reading a row
        per hit for the table (a join by primary key) took more time than matching and scoring them
        (``applicant:昊电精密``, 176,670 hits at 1 M: 866 → 597 ms)."""
        with self._hits_table(cursor, *self._hits_select(where, rank, ids_only=True)) as temp:
            total = cursor.rowcount  # as CREATE TABLE AS reports it (counting the table again: 17 ms at 141,414)
            offset = (page - 1) * page_size
            if rank:
                rows = self._best_by_score(cursor, [(f"SELECT id, score FROM {temp}", [])], offset, page_size)
            else:
                cursor.execute(f"SELECT id, 0 FROM (SELECT p.id, p.application_date FROM {temp} h JOIN "
                               f"{self.patent_table} p ON p.id = h.id) h ORDER BY {_ORDERS[sort, False]} "
                               f"LIMIT %s OFFSET %s", [page_size, offset])
                rows = cursor.fetchall()
            facet_counts = {name: [] for name in wanted}
            if wanted and total:
                sample = -(-total // FACET_SAMPLE) if total > FACET_EXACT_MAX else 1
                cte = (f"WITH result AS MATERIALIZED (SELECT {HIT_COLUMNS} FROM {temp} h JOIN {self.patent_table} p "
                       f"ON p.id = h.id{f' WHERE h.id %% {sample} = 0' if sample > 1 else ''})")
                facet_counts = self._facets(cte, [], wanted, cursor, total)
        return total, rows, facet_counts

    def _large_page(self, cursor, where, rank, sort, offset, size, total) -> list[tuple]:
        """One page of many hits without reading every hit's row: by relevance, the best scores first (only the
        scores are computed for every hit), then their order by score, date and id, as :func:`_small_search`
        gives it; newest first, a walk of the filing-date index where the hits are dense enough to fill the page
        soon (:meth:`_newest_first`); else the hits sorted by date."""
        if not rank:
            newest = self._newest_first(cursor, where, offset, size, total) if sort != "date" else None
            if newest is not None:
                return newest
            cursor.execute(f"SELECT id, 0 FROM (SELECT p.id, p.application_date FROM {self.patent_table} p "
                           f"{self.base_joins() if where.uses_fts else ''} WHERE {where.sql}) h "
                           f"ORDER BY {_ORDERS[sort, False]} LIMIT %s OFFSET %s", [*where.params, size, offset])
            return cursor.fetchall()
        parts = self.id_ranges(cursor) if self._driven(where) else [None]
        return self._best_by_score(cursor, [self._hits_select(where, rank, ids_only=True, ids_between=part)
                                            for part in parts], offset, size)

    def _best_by_score(self, cursor, selects: list[tuple[str, list]], offset: int, size: int) -> list[tuple]:
        """A page of the hits that ``selects`` select (``id``, ``score``; each a part of them) in the order of
        ``_ORDERS``: the best scores first, with every tie at the page's end, then ordered by score, date and id
        (only their dates are read)."""
        wanted = offset + size
        best = self.fetch_all(cursor, [(f"SELECT id, score FROM ({scores}) s ORDER BY score DESC LIMIT %s",
                                        [*params, wanted + TIE_MARGIN]) for scores, params in selects])
        best.sort(key=lambda row: -row[1])  # (the parts' best together)
        del best[wanted + TIE_MARGIN:]
        if len(best) > wanted:  # every hit scoring as high as the page's last one, so that ties break by date
            last = best[wanted - 1][1]
            if best[-1][1] == last and len(best) == wanted + TIE_MARGIN:  # more ties than fetched
                best = self.fetch_all(cursor, [(f"SELECT id, score FROM ({scores}) s WHERE score >= %s",
                                                [*params, last]) for scores, params in selects])
            best = [row for row in best if row[1] >= last]
        dates = dict(Patent.objects.filter(pk__in=[row[0] for row in best]).values_list("pk", "application_date"))
        best.sort(key=lambda row: -row[0])  # stable sorts, last key first: id, newest filing (none last), score
        best.sort(key=lambda row: (dates.get(row[0]) is not None, dates.get(row[0]) or date.min), reverse=True)
        best.sort(key=lambda row: -(row[1] or 0))
        return best[offset:wanted]

    def _newest_first(self, cursor, where, offset, size, total) -> list[tuple] | None:
        """A page of many hits, newest first, found by walking the filing-date index from its end and testing
        each patent until the page is full: about (offset + size) × patents / hits rows instead of sorting every
        hit (``ipc:G06F*`` at 1 M: 1,000 rows, not 21,000). None where that walk would be long, or no such index."""
        index = self.date_index(cursor)
        if index is None:
            return None
        cursor.execute(f"SELECT MAX(id) FROM {self.patent_table}")  # (the patents, roughly: one index seek)
        if (offset + size) * (cursor.fetchone()[0] or 0) > DATE_WALK_MAX * total:
            return None
        cursor.execute(f"SELECT p.id, 0 FROM {self.patent_table} p INDEXED BY {index} WHERE {where.sql} "
                       f"ORDER BY p.application_date DESC, p.id DESC LIMIT %s OFFSET %s", [*where.params, size, offset])
        return cursor.fetchall()

    def id_ranges(self, cursor) -> list[tuple[int, int] | None]:
        """Ranges of patent ids whose hits a query led by the index counts and scores at the same time
        (:meth:`fetch_all`); here one part, all of them."""
        return [None]

    def fetch_soon(self, cursor, statement: tuple[str, list]) -> Callable[[], list[tuple]]:
        """A function that gives the rows of ``statement``; here it runs at once."""
        rows = self.fetch_all(cursor, [statement])
        return lambda: rows

    def fetch_all(self, cursor, statements: list[tuple[str, list]]) -> list[tuple]:
        """The rows of every statement, in one list."""
        rows = []
        for statement in statements:
            cursor.execute(*statement)
            rows += cursor.fetchall()
        return rows

    def date_index(self, cursor) -> str | None:
        """The name of an index that lists the patents by filing date and id, where the database can be told to
        walk it and orders them as ``-date`` does (newest first, no date last)."""
        return None

    def _sampled_facets(self, cursor, where, wanted, total) -> Callable[[], dict[str, list[FacetValue]]]:
        """Facets of many hits, counted on every k-th patent id of them (an even sample of about
        ``FACET_SAMPLE``: ids follow the order of import, not of any facet), scaled to ``total``: a function that
        gives them, counted meanwhile where the database allows (:meth:`fetch_soon`)."""
        if not wanted:
            return lambda: {}
        select, params = self._hits_select(where, None, sample=-(-total // FACET_SAMPLE))
        rows = self.fetch_soon(cursor, self._facets_statement(f"WITH result AS MATERIALIZED ({select})", params,
                                                              wanted))
        return lambda: self._facet_values(rows(), wanted, total)

    def matching_ids(self, query_ast, filters=None) -> list[int]:
        select, params = self.matching_ids_sql(query_ast, filters)
        with connection.cursor() as cursor:
            cursor.execute(f"{select} ORDER BY id", params)
            return [row[0] for row in cursor.fetchall()]

    def matching_ids_sql(self, query_ast, filters=None) -> tuple[str, list]:
        select, params = self._hits_select(self._compile(_with_filters(query_ast, filters))[1], None,
                                           ids_only=True)
        return f"SELECT id FROM ({select}) h", params

    def _hits_select(self, where: _Sql, rank, sample: int = 1, ids_only: bool = False,
                     ids_between: tuple[int, int] | None = None) -> tuple[str, list]:
        """The hits with what the page, the families and the facets read of them (only their ids with
        ``ids_only``) and the score (0 without ``rank``); with ``sample`` > 1 those whose id is a multiple of it;
        with ``ids_between`` (a query led by the index only) those whose id is in that range."""
        driven = self._driven(where)
        if driven:
            columns = f"{self.driving_table()[1]} AS id" if ids_only else HIT_COLUMNS
            score, params = self.driven_score(rank) if rank else ("0", [])
            return self._driven_select(f"{columns}, {score} AS score", driven, sample, params, ids_between)
        if rank:
            score, joins, select_params, join_params = self.score_sql(rank)
        else:
            score, joins, select_params, join_params = "0", "", [], []
        ids = _id_set(where)
        if ids:  # a class: the sample taken from its ids, and ids alone read from its index, not from the patents
            ids_from = ids.ids_from + (f" AND c.patent_id %% {int(sample)} = 0" if sample > 1 else "")
            if ids_only and not rank:  # (``ipc:G06F*`` at 1 M on PostgreSQL: 168 → 15 ms)
                return f"SELECT DISTINCT c.patent_id AS id, 0 AS score {ids_from}", list(ids.params)
            where, sample = _Sql(f"p.id IN (SELECT c.patent_id {ids_from})", ids.params, uses_fts=False), 1
        sampled = f" AND p.id %% {int(sample)} = 0" if sample > 1 else ""  # (%% is the drivers' escape of %)
        sql = (f"SELECT {'p.id AS id' if ids_only else HIT_COLUMNS}, {score} AS score FROM {self.patent_table} p "
               f"{self.base_joins() if where.uses_fts else ''} {joins} "
               f"WHERE ({where.sql}){sampled}")
        return sql, [*select_params, *join_params, *where.params]

    # -- queries led by the full-text index
    def _driven(self, where: _Sql) -> tuple | None:
        """(the full-text conditions, the other conditions) when the condition is full-text expressions ANDed
        with the rest (the usual query; one expression where the index takes one, see ``one_match``): then the
        index leads the join, and the patents are read only where a column or a condition needs them."""
        top = where.top
        parts = [top] if isinstance(top, _Fts) else list(top.parts or []) if isinstance(top, _Sql) else []
        leading = [p for p in parts if isinstance(p, _Fts) and not p.negated]
        if not leading or (self.one_match and len(leading) > 1):
            return None
        if not self.one_match:
            leading += [p for p in parts if isinstance(p, _Fts) and p.negated and p.sql is None]
        rest = [_Compiler(self).as_sql(p) for p in parts if all(p is not fts for fts in leading)]
        return leading, rest

    def _driven_select(self, columns: str, driven, sample: int = 1, column_params=(),
                       ids_between: tuple[int, int] | None = None) -> tuple[str, list]:
        leading, rest = driven
        table, key = self.driving_table()
        matches = [self.fts_match(fts) for fts in leading]
        conditions = [*matches, *(f"({r.sql})" for r in rest)]
        if sample > 1:
            conditions.append(f"{key} %% {int(sample)} = 0")
        if ids_between:
            conditions.append(f"{key} BETWEEN {int(ids_between[0])} AND {int(ids_between[1])}")
        join = f" {self.driven_join} {self.patent_table} p ON p.id = {key}" if rest or "p." in columns else ""
        return (f"SELECT {columns} FROM {table}{join} WHERE {' AND '.join(conditions)}",
                [*column_params, *(fts.expr for fts in leading), *(param for r in rest for param in r.params)])

    @abstractmethod
    def driving_table(self) -> tuple[str, str]:
        """(FROM item, patent id column) of a query led by the index."""

    @abstractmethod
    def fts_match(self, fts: _Fts) -> str:
        """The condition (one parameter: the expression) that a full-text part puts on the leading index."""

    @abstractmethod
    def driven_score(self, rank) -> tuple[str, list]:
        """(expression, parameters) of the relevance score in a query led by the index."""

    def _hits_cte(self, where: _Sql | None, rank, one_per_family: bool) -> tuple[str, list]:
        """``WITH … result AS (…)``: the hits of the condition, or (``where`` None) of ``temp.search_hits``."""
        if where is None:
            sql, params = f"WITH hits AS (SELECT * FROM {self.temp_schema}.search_hits)", []
        else:
            select, params = self._hits_select(where, rank)
            sql = f"WITH hits AS MATERIALIZED ({select})"
        if one_per_family:
            sql += (", ranked AS (SELECT h.*, ROW_NUMBER() OVER (PARTITION BY CASE WHEN h.family_id <> '' "
                    "THEN h.family_id ELSE 'id' || h.id END ORDER BY CASE WHEN h.office = 'CN' THEN 0 ELSE 1 END, "
                    "(h.application_date IS NULL), h.application_date, h.id) AS rn FROM hits h), "
                    "result AS (SELECT * FROM ranked WHERE rn = 1)")
        else:
            sql += ", result AS (SELECT * FROM hits)"
        return sql, params

    def _facets(self, cte: str, params: list, wanted, cursor, total: int) -> dict[str, list[FacetValue]]:
        """Counts of every wanted facet over ``result``; when ``result`` holds fewer than ``total`` hits (a
        sample of them), the counts are scaled to ``total``."""
        return self._facet_values(self.fetch_all(cursor, [self._facets_statement(cte, params, wanted)]), wanted,
                                  total)

    def _facets_statement(self, cte: str, params: list, wanted) -> tuple[str, list]:
        """The statement counting every wanted facet over ``result``, and the size of ``result``."""
        wanted = (*wanted, "_sample")
        applicant = "CASE WHEN a.entity_id IS NOT NULL THEN 'e' || a.entity_id ELSE 'n:' || a.name END"
        arms = {
            "year": f"SELECT 'year', {self.year_sql}, COUNT(*) FROM result h GROUP BY 2",
            "type": "SELECT 'type', h.patent_type, COUNT(*) FROM result h GROUP BY 2",
            "status": "SELECT 'status', h.legal_status, COUNT(*) FROM result h GROUP BY 2",
            "city": "SELECT 'city', substr(r.code, 1, 4), COUNT(*) FROM result h JOIN regions_region r "
                    "ON r.id = h.region_id GROUP BY 2",
            "ipc": f"SELECT 'ipc', c.subclass, COUNT(DISTINCT c.patent_id) FROM {Classification._meta.db_table} c "
                   f"WHERE c.patent_id IN (SELECT id FROM result) AND c.scheme = 'ipc' GROUP BY 2 "
                   f"ORDER BY 3 DESC, c.subclass{self.binary} LIMIT {FACET_LIMIT}",
            "applicant": f"SELECT 'applicant', {applicant}, COUNT(DISTINCT a.patent_id) FROM {Party._meta.db_table} a "
                         f"WHERE a.patent_id IN (SELECT id FROM result) AND a.role = 'applicant' GROUP BY 2 "
                         f"ORDER BY 3 DESC, {applicant}{self.binary} LIMIT {FACET_LIMIT}",
            "_sample": "SELECT '_sample', NULL, COUNT(*) FROM result",
        }
        union = " UNION ALL ".join(f"SELECT * FROM ({arms[name]}) f{i}" for i, name in enumerate(wanted))
        return f"{cte} {union}", params

    @staticmethod
    def _facet_values(rows: list[tuple], wanted, total: int) -> dict[str, list[FacetValue]]:
        """The facets of :meth:`_facets_statement`'s rows, scaled to ``total`` where they counted a sample."""
        found = {name: [] for name in (*wanted, "_sample")}
        for name, value, count in rows:
            found[name].append(FacetValue(value=value, count=count))
        size = found.pop("_sample")[0].count
        if 0 < size < total:
            for values in found.values():
                for v in values:
                    v.count = max(1, round(v.count * total / size))
        for name, values in found.items():
            if name == "year":
                values.sort(key=lambda v: v.value or "", reverse=True)
            else:
                values.sort(key=lambda v: (-v.count, v.value or ""))
        return found

    # -- index writes
    def index(self, patents: Iterable) -> int:
        ids = _ids(patents)
        written = 0
        for start in range(0, len(ids), 1000):
            documents = build_documents(ids[start:start + 1000])
            self.write(documents)
            written += len(documents)
        return written

    @abstractmethod
    def write(self, documents: list[Document]) -> None: ...


def _id_set(where: _Sql) -> _Sql | None:
    """The compiled condition's one term when that is a set of ids from a child table (``_Sql.ids_from``)."""
    top = where.top
    return top if isinstance(top, _Sql) and top.ids_from else None


def _negation(cond: _Sql) -> _Sql:
    """NOT of a condition; NULL (a patent missing from the index) is false, and NOT of it true."""
    return _Sql(f"NOT COALESCE(({cond.sql}), false)", cond.params)


def _with_filters(node, filters):
    if not filters:
        return node
    extra = []
    if isinstance(filters, dict):
        for name, value in filters.items():
            values = value if isinstance(value, list | tuple) else [value]
            values = [v for v in values if v not in (None, "")]
            if values:
                nodes = [q.field_query(name, str(v)) for v in values]
                extra.append(nodes[0] if len(nodes) == 1 else q.Or(tuple(nodes)))
    else:
        extra = list(filters)
    if not extra:
        return node
    if isinstance(node, q.All):
        return extra[0] if len(extra) == 1 else q.And(tuple(extra))
    return q.And((node, *extra))


# ---------------------------------------------------------------------------------------------------- SQLite


FTS_TABLE = "patents_search_fts"
FTS_COLUMNS = ("title", "abstract", "claims", "applicant", "inventor", "agency", "agent", "numbers", "filters")
FTS_WEIGHTS = (10.0, 3.0, 1.0, 5.0, 2.0, 1.0, 1.0, 10.0, 0.0)  # (filters: no part in the score)
_fts_streams = attrgetter(*FTS_COLUMNS)  # a document's token lists in the order of the columns


def _fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


FTS_TRIGGER = (f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON patents_patent "
               f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END")


def ensure_sqlite_trigger() -> None:
    """Put back the trigger that drops deleted patents from the index: SQLite loses a table's triggers when a
    migration rebuilds the table (as any ``AddField`` with a default does). A no-op when it is there (one look
    at the schema); not remembered, since a rolled-back transaction takes a new trigger away again."""
    with connection.cursor() as cursor:
        cursor.execute(FTS_TRIGGER)


class SqliteFtsBackend(SqlBackend):
    """The embedded backend: SQLite FTS5 over the token streams, one column per field and one of filters."""

    vendor = "sqlite"
    #: The index leads, whatever the statistics say. Without them (Django and the importer never ANALYZE),
    #: SQLite took ``status:granted``'s index first and matched the words once per patent: 30 s, not 6 ms.
    driven_join = "CROSS JOIN"

    def __init__(self):
        ensure_sqlite_trigger()

    def target(self, field: str) -> str:
        return "fts"

    def _columns(self, field: str) -> str:
        if field == "text":
            return "{title abstract claims}"
        return "{numbers}" if field == "number" else "{" + field + "}"

    def fts_token(self, field, token, prefix=False):
        return f"{self._columns(field)} : {_fts_quote(token)}{' *' if prefix else ''}"

    def fts_phrase(self, field, tokens):
        return f"{self._columns(field)} : {_fts_quote(' '.join(tokens))}"

    def fts_and(self, exprs):
        return exprs[0] if len(exprs) == 1 else "(" + " AND ".join(f"({e})" for e in exprs) + ")"

    def fts_or(self, exprs):
        return exprs[0] if len(exprs) == 1 else "(" + " OR ".join(f"({e})" for e in exprs) + ")"

    def fts_and_not(self, positive, negative):
        return f"(({positive}) NOT ({negative}))"

    def fts_condition(self, target, expr):
        return f"p.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)", [expr]

    def driving_table(self):
        return FTS_TABLE, f"{FTS_TABLE}.rowid"

    def fts_match(self, fts):
        return f"{FTS_TABLE} MATCH %s"

    def date_index(self, cursor):  # SQLite sorts NULL last in descending order, as ``-date`` wants
        cursor.execute("SELECT i.name FROM pragma_index_list(%s) i WHERE NOT i.partial AND "
                       "(SELECT group_concat(c.name) FROM pragma_index_info(i.name) c) = %s",
                       [self.patent_table, Patent._meta.get_field("application_date").column])
        row = cursor.fetchone()
        return row and row[0]

    def id_ranges(self, cursor):
        """As many equal ranges of ids as there are cores (up to ``SCORE_PARTS_MAX``) where other connections can
        read what this one does: SQLite runs a statement on one core, and ``bm25`` over 176,670 hits takes 156 ms
        at 1 M (two parts at once: 110)."""
        parts = min(os.cpu_count() or 1, SCORE_PARTS_MAX)
        if parts < 2 or not core_sqlite.parallel_reads_possible():
            return [None]
        cursor.execute(f"SELECT (SELECT MIN(id) FROM {self.patent_table}), (SELECT MAX(id) FROM {self.patent_table})")
        # (each an index seek: one statement with both aggregates scans the table)
        low, high = cursor.fetchone()
        if low is None:
            return [None]
        step = -(-(high - low + 1) // parts)
        return [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]

    def fetch_all(self, cursor, statements):
        if len(statements) == 1:
            return super().fetch_all(cursor, statements)
        return [row for rows in core_sqlite.fetch_in_parallel(statements) for row in rows]

    def fetch_soon(self, cursor, statement):
        """Meanwhile on a worker thread where other connections can read what this one does (the facets of many
        hits take 56 ms at 1 M, counted while the page's hits are scored)."""
        if not core_sqlite.parallel_reads_possible():
            return super().fetch_soon(cursor, statement)
        return core_sqlite.fetch_soon(*statement).result

    def driven_score(self, rank) -> tuple[str, list]:
        return f"-bm25({FTS_TABLE}, {', '.join(str(w) for w in FTS_WEIGHTS)})", []

    def score_sql(self, rank):
        expr = self.fts_or(rank["fts"])
        joins = (f"LEFT JOIN (SELECT rowid AS pid, {self.driven_score(rank)[0]} AS score FROM {FTS_TABLE} "
                 f"WHERE {FTS_TABLE} MATCH %s) sc ON sc.pid = p.id")
        return "sc.score", joins, [], [expr]

    def prefix_sql(self, column):
        return f"{column} GLOB %s"

    def prefix_param(self, value):
        return re.sub(r"([*?\[])", r"[\1]", value) + "*"

    def write(self, documents):
        if not documents:
            return
        self.remove([d.id for d in documents])
        write_rows(FTS_TABLE, ["rowid", *FTS_COLUMNS],
                   [(d.id, *map(" ".join, _fts_streams(d))) for d in documents])

    def remove(self, ids):
        ids = list(ids)
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {FTS_TABLE}")
            return cursor.fetchone()[0]

    def optimize(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")

    def suggest_applicants(self, prefix, limit=10):
        runs = t.name_tokens(prefix, query=True)
        if not runs:
            return []
        expr = self.fts_and([self.fts_phrase("applicant", r) if len(r) > 1 else self.fts_token("applicant", r[0], True)
                             for r in runs])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 200", [expr])
            ids = [row[0] for row in cursor.fetchall()]
        return _names_containing(ids, prefix, limit)


def _names_containing(ids, text, limit):
    folded = t.fold(text)
    names = {}
    for name in Party.objects.filter(patent_id__in=ids, role=Party.Role.APPLICANT).values_list("name", flat=True):
        if folded in t.fold(name):
            names[name] = names.get(name, 0) + 1
    return [n for n, _c in sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


# ---------------------------------------------------------------------------------------------------- PostgreSQL


PG_TABLE = "patents_search_doc"
#: The weight a field's query terms ask for in its target vector (title has a vector of its own).
_PG_WEIGHTS = {"abstract": "B", "claims": "C", "applicant": "A", "inventor": "B", "agency": "C", "agent": "D"}
_MAX_POSITION = 16383
_MAX_POSITIONS = 255


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


@cache
def _position_labels(weight: str) -> list[str]:
    """Every position's text with a weight (``17B``), made once: formatting them per token took half the time of
    writing a document's vectors."""
    return [f"{pos}{weight}" for pos in range(_MAX_POSITION + 1)]


def tsvector_literal(streams: list[tuple[list[str], str]]) -> str:
    """A ``tsvector`` literal of token streams, each with its weight, one position gap between streams; the
    separator token only takes a position (so no phrase runs over it)."""
    positions: dict[str, list[str]] = {}
    start = 0
    for tokens, weight in streams:
        labels = _position_labels(weight)
        for pos, token in enumerate(tokens, start + 2):
            label = labels[pos] if pos < _MAX_POSITION else labels[_MAX_POSITION]
            found = positions.get(token)
            if found is None:
                positions[token] = [label]
            elif len(found) < _MAX_POSITIONS:
                found.append(label)
        start += len(tokens) + 1
    positions.pop(t.SEP, None)
    text = " ".join([f"'{token}':{','.join(found)}" for token, found in positions.items()])
    if "\\" in text or text.count("'") != 2 * len(positions):  # a token to escape (rare): every one escaped
        text = " ".join([f"{_lexeme(token)}:{','.join(found)}" for token, found in positions.items()])
    return text


class PostgresBackend(SqlBackend):
    """The production backend: PostgreSQL tsvector/tsquery over the token streams, GIN indexes, pg_trgm."""

    vendor = "postgresql"
    number_office_in_index = True
    count_first = False
    one_match = False
    temp_schema = "pg_temp"
    date_placeholder = "%s::date"
    year_sql = "to_char(h.application_date, 'YYYY')"
    binary = ' COLLATE "C"'

    def target(self, field):
        if field == "title":
            return "title"  # ts_filter(body, '{a}'), its own column and index (migration 0005)
        if field in ("text", *TEXT_FIELDS):
            return "body"
        return {"number": "numbers", "filters": "filters"}.get(field, "names")

    def _weight(self, field):
        return _PG_WEIGHTS.get(field, "")

    def fts_token(self, field, token, prefix=False):
        suffix = ("*" if prefix else "") + self._weight(field)
        return _lexeme(token) + (f":{suffix}" if suffix else "")

    def fts_phrase(self, field, tokens):
        return "(" + " <-> ".join(self.fts_token(field, token) for token in tokens) + ")"

    def fts_and(self, exprs):
        return exprs[0] if len(exprs) == 1 else "(" + " & ".join(exprs) + ")"

    def fts_or(self, exprs):
        return exprs[0] if len(exprs) == 1 else "(" + " | ".join(exprs) + ")"

    def fts_and_not(self, positive, negative):
        return f"({positive} & !{negative})"

    def fts_condition(self, target, expr):
        return f"s.{target} @@ %s::tsquery", [expr]

    def base_joins(self):
        return f"LEFT JOIN {PG_TABLE} s ON s.patent_id = p.id"

    def can_materialize(self, cursor):
        """Not on a read-only connection (a hot standby): there the query runs twice instead."""
        cursor.execute("SELECT current_setting('transaction_read_only')")
        return self.materialize and cursor.fetchone()[0] != "on"

    def driving_table(self):
        return f"{PG_TABLE} s", "s.patent_id"

    def at_least(self, cursor, select, params, count):
        """The planner's estimate (its statistics of the commonest lexemes): counting would read a table row per
        hit, GIN having no index-only scans (84 ms for ``abstract:传感器`` at 1 M)."""
        cursor.execute(f"EXPLAIN (FORMAT JSON) {select}", params)
        plan = cursor.fetchone()[0]
        return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"] >= count

    def fts_match(self, fts):
        match = f"s.{fts.target} @@ %s::tsquery"
        return f"NOT ({match})" if fts.negated else match

    def driven_score(self, rank):
        score, _joins, params, _join_params = self.score_sql(rank)
        return score, params

    def score_sql(self, rank):
        parts, params = [], []
        for target, exprs in rank.items():
            # float8: a score goes to Python and back (the ties of a large page) without rounding
            parts.append(f"COALESCE(ts_rank('{{0.1, 0.2, 0.4, 1.0}}', s.{target}, %s::tsquery)::float8, 0)")
            params.append(self.fts_or(exprs))
        return " + ".join(parts), "", params, []

    def prefix_sql(self, column):
        return f"{column} LIKE %s"

    def prefix_param(self, value):
        return re.sub(r"([%_\\])", r"\\\1", value) + "%"

    def write(self, documents):
        if not documents:
            return
        rows = [(d.id,
                 tsvector_literal([(d.title, "A"), (d.abstract, "B"), (d.claims, "C")]),
                 tsvector_literal([(d.applicant, "A"), (d.inventor, "B"), (d.agency, "C"), (d.agent, "D")]),
                 tsvector_literal([(d.numbers, "")]),
                 " | ".join(t.fold(n) for n in d.applicant_names),
                 " ".join(_lexeme(token) for token in d.filters)) for d in documents]
        self.remove([d.id for d in documents])
        write_rows(PG_TABLE, ["patent_id", "body", "names", "numbers", "applicants", "filters"], rows)

    def remove(self, ids):
        ids = list(ids)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PG_TABLE} WHERE patent_id = ANY(%s)", [ids])

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PG_TABLE}")

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {PG_TABLE}")
            return cursor.fetchone()[0]

    def suggest_applicants(self, prefix, limit=10):
        folded = t.fold(prefix)
        if not folded:
            return []
        with connection.cursor() as cursor:
            has_trgm = _has_trigram(cursor)
            if has_trgm and len(folded) >= 3:
                condition, params = "applicants %% %s OR applicants LIKE %s", [folded, f"%{folded}%"]
            else:
                condition, params = "applicants LIKE %s", [f"%{folded}%"]
            cursor.execute(f"SELECT patent_id FROM {PG_TABLE} WHERE {condition} LIMIT 200", params)
            ids = [row[0] for row in cursor.fetchall()]
        return _names_containing(ids, prefix, limit)


def _has_trigram(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    return cursor.fetchone() is not None


# ---------------------------------------------------------------------------------------------------- choosing

_BACKENDS = {"sqlite": SqliteFtsBackend, "postgresql": PostgresBackend}


def get_backend() -> SearchBackend:
    """The backend for the default database's vendor."""
    try:
        return _BACKENDS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(f"no patent search backend for {connection.vendor}") from None
