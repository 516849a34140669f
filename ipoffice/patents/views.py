"""Patent pages: a patent with its parties, classes, citations and legal-event timeline; the IPC browser."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from .classification import ipc_ancestors
from .models import Citation, IPCEntry, LegalEventCode, Patent


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
