"""Patent pages: a patent with its parties, classes, citations and legal-event timeline; the IPC browser."""

import csv
import io
import itertools

from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .classification import ipc_ancestors
from .models import Citation, IPCEntry, LegalEventCode, Patent
from .search.backends import PAGE_SIZE_MAX
from .search.services import QueryError, hit_as_dict, search_patents

SORT_LABELS = {"relevance": _("relevance"), "-date": _("newest first"), "date": _("oldest first")}
FACET_LABELS = {"year": _("Filing year"), "type": _("Type"), "ipc": _("IPC subclass"), "city": _("City"),
                "applicant": _("Applicant"), "status": _("Legal status")}


def patent_detail(request, office, number):
    patent = get_object_or_404(Patent.objects.select_related("region__parent"), office=office.upper(),
                               application_number=number)
    events = list(patent.legal_events.all())
    meanings = dict(LegalEventCode.objects.filter(office=patent.office, code__in={e.code for e in events})
                    .values_list("code", "description"))
    classes = list(patent.classifications.all())
    titles = dict(IPCEntry.objects.filter(symbol__in={c.symbol for c in classes} | {c.subclass for c in classes})
                  .values_list("symbol", "title_zh"))
    numbers = {n for n in (patent.publication_number, patent.grant_number) if n}
    cited_by = (Citation.objects.filter(cited_number__in=numbers).select_related("patent")
                if numbers else Citation.objects.none())
    cited = {c.cited_number: c for c in patent.citations.all()}
    in_registry = {p.publication_number or p.grant_number: p for p in Patent.objects.filter(
        Q(publication_number__in=cited) | Q(grant_number__in=cited)).only("office", "application_number",
                                                                         "publication_number", "grant_number")}
    return render(request, "patents/detail.html", {
        "patent": patent,
        "parties": patent.parties.select_related("entity", "region__parent"),
        "classes": [(c, titles.get(c.symbol) or titles.get(c.subclass, "")) for c in classes],
        "citations": [(c, in_registry.get(c.cited_number)) for c in patent.citations.all()],
        "cited_by": cited_by[:50],
        "events": [(e, meanings.get(e.code, e.description)) for e in events],
        "titles": {k: v for k, v in patent.titles.items() if v != patent.title},
    })


def ipc_browse(request, symbol=None):
    """The IPC tree: a symbol's ancestors, its children with their patent counts, and its patents."""
    entry = get_object_or_404(IPCEntry, symbol=symbol) if symbol else None
    children = IPCEntry.objects.filter(parent=symbol or "")
    if symbol is None:
        children = IPCEntry.objects.filter(level="section")
    counts = {}
    if entry and entry.level in ("class", "subclass"):
        counts = dict(Patent.objects.filter(ipc_main__startswith=symbol).values_list("ipc_main")
                      .annotate(n=Count("id")))
    patents = Patent.objects.filter(classifications__symbol__startswith=symbol).distinct() if symbol else None
    return render(request, "patents/ipc.html", {
        "entry": entry, "ancestors": ipc_ancestors(symbol) if symbol else [], "children": children,
        "counts": counts, "patents": patents.order_by("-application_date")[:20] if patents is not None else [],
        "patent_total": patents.count() if patents is not None else None,
    })


def search(request):
    """The search page: the query language, facets that refine the query, sorting, one hit per family."""
    query = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "relevance")
    family = request.GET.get("family") == "1"
    page = _page(request)
    context = {"query": query, "sort": sort, "family": family, "sorts": SORT_LABELS, "result": None, "error": None}
    if query:
        try:
            result = search_patents(query, sort=sort if sort in SORT_LABELS else "relevance", page=page,
                                    page_size=20, one_per_family=family)
        except QueryError as error:
            context["error"] = error
        else:
            pages = max(1, -(-result.total // result.page_size))
            context.update(result=result, pages=pages, page=page,
                           facets=[(name, FACET_LABELS.get(name, name), values)
                                   for name, values in result.facets.items() if values])
    return render(request, "patents/search.html", context)


def _page(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


EXPORT_COLUMNS = ["office", "number", "kind", "title", "applicants", "application_date", "ipc_main", "legal_status",
                  "url"]


@permission_required("patents.export_patents", raise_exception=True)
def export(request, fmt):
    """Every hit of a query (no row cap), streamed as CSV or written row by row to XLSX."""
    query = request.GET.get("q", "").strip()
    try:
        search_patents(query, page_size=1, facets=False)
    except QueryError as error:
        return HttpResponseBadRequest(f"{error.reason} (at position {error.position + 1})")
    rows = _export_rows(query, request.build_absolute_uri("/")[:-1])
    name = f"patents-{slugify(query)[:40] or 'all'}"
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(_xlsx(rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export_rows(query: str, site: str):
    page = 1
    while True:
        result = search_patents(query, page=page, page_size=PAGE_SIZE_MAX, facets=False, sort="date")
        for hit in result.hits:
            row = hit_as_dict(hit.patent)
            row["applicants"] = "; ".join(row["applicants"])
            row["url"] = site + row["url"]
            yield [row[c] or "" for c in EXPORT_COLUMNS]
        if page * result.page_size >= result.total or not result.hits:
            return
        page += 1


def _csv_lines(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # so that spreadsheet programs read the Chinese as UTF-8
    for line in itertools.chain([EXPORT_COLUMNS], rows):
        writer.writerow(line)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("patents")
    sheet.append(EXPORT_COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
