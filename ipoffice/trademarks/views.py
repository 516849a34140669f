"""Trademark pages: mark search, a mark with its goods, parties, events and clocks, the clearance report (HTML and
PDF), the 区分表 (classes, similar groups, items, goods search), statistics and watch alerts."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ipoffice.core.errors import DataError

from . import classification, services
from .clocks import mark_clocks
from .models import (
    ClassificationEdition,
    CrossLink,
    GoodsItem,
    MarkStatus,
    NiceClass,
    SimilarGroup,
    Trademark,
    TrademarkGoods,
    Watch,
    WatchAlert,
)


def _query_string(request, drop=("page",)) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])


def mark_search(request):
    """Search by text (mark or pinyin), owner, number, class, similar group and status."""
    params = {k: request.GET.get(k, "").strip() for k in ("q", "owner", "number", "class", "group", "status",
                                                           "office")}
    error = ""
    try:
        classes = services.parse_classes(params["class"])
    except DataError as problem:
        classes, error = [], str(problem)
    searched = any(params.values())
    marks = services.search_marks(text=params["q"], owner=params["owner"], number=params["number"],
                                  classes=classes, group=params["group"],
                                  status=params["status"] if params["status"] in MarkStatus.values else "",
                                  office=params["office"])
    marks = marks.prefetch_related("goods").order_by("-filing_date", "-id")
    page = Paginator(marks, 25).get_page(request.GET.get("page"))
    return render(request, "trademarks/search.html", {
        "params": params, "page": page, "marks": page.object_list, "searched": searched, "error": error,
        "statuses": MarkStatus.choices, "query_string": _query_string(request),
        "total": Trademark.objects.count(),
    })


def mark_detail(request, office, number):
    mark = get_object_or_404(Trademark.objects.select_related("region__parent"), office=office.upper(),
                             application_number=number)
    goods = list(mark.goods.all())
    edition = mark.edition or classification.edition_for(mark.filing_date)
    group_names = dict(SimilarGroup.objects.filter(edition=edition, code__in={g.group_code for g in goods})
                       .values_list("code", "name")) if edition else {}
    by_class = {}
    for item in goods:
        item.group_name = group_names.get(item.group_code, "")
        by_class.setdefault(item.class_number, []).append(item)
    today = timezone.localdate()
    clocks = mark_clocks(mark)
    explanation = error = None
    query = request.GET.get("q", "").strip()
    if query:
        try:
            explanation = services.explain(mark, query, request.GET.get("classes", ""), request.GET.get("goods", ""))
        except DataError as problem:
            error = str(problem)
        except ImportError:
            error = _("The similarity engine is not installed.")
    return render(request, "trademarks/detail.html", {
        "mark": mark, "goods_by_class": sorted(by_class.items()), "group_names": group_names, "edition": edition,
        "parties": mark.parties.select_related("entity", "region__parent"),
        "events": mark.events.all(), "clocks": clocks, "phase": clocks.phase(today), "today": today,
        "explanation": explanation, "explain_error": error, "query": query,
        "back": "?" + _query_string(request, drop=()) if query else "",
        "alerts": WatchAlert.objects.filter(conflicting_mark=mark).select_related("watched_mark", "watch__entity")[:20],
    })


def clearance(request):
    """The clearance search form and report; ``?format=pdf`` gives the report as a PDF."""
    text = request.GET.get("q", "").strip()
    classes, goods = request.GET.get("classes", "").strip(), request.GET.get("goods", "").strip()
    live = request.GET.get("live") == "1"
    result = error = None
    if text:
        try:
            result = services.clear(text, classes=classes, goods=goods, limit=50, live_only=live)
        except DataError as problem:
            error = str(problem)
        except ImportError:
            error = _("The similarity engine is not installed.")
    context = {"result": result, "error": error, "text": text, "classes": classes, "goods": goods, "live": live,
               "query_string": urlencode({"q": text, "classes": classes, "goods": goods}),
               "generated_at": timezone.localtime()}
    if result is not None and request.GET.get("format") == "pdf":
        from .report import render_clearance_pdf

        response = HttpResponse(render_clearance_pdf(context), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="clearance.pdf"'
        return response
    return render(request, "trademarks/clearance.html", context)


def _edition(request, code=None) -> str:
    editions = classification.loaded_editions()
    chosen = (code or request.GET.get("edition") or "").upper()
    if chosen and chosen not in editions:
        raise Http404("edition not loaded")
    return chosen or (editions[-1] if editions else "")


def classes(request, edition=None):
    edition = _edition(request, edition)
    rows = NiceClass.objects.filter(edition=edition) if edition else NiceClass.objects.none()
    counts = dict(SimilarGroup.objects.filter(edition=edition).values_list("class_number")
                  .annotate(n=Count("id"))) if edition else {}
    return render(request, "trademarks/classes.html", {
        "edition": edition, "editions": ClassificationEdition.objects.all(),
        "classes": [(c, counts.get(c.number, 0)) for c in rows]})


def nice_class(request, edition, number):
    edition = _edition(request, edition)
    entry = get_object_or_404(NiceClass, edition=edition, number=number)
    items = dict(GoodsItem.objects.filter(edition=edition, class_number=number).values_list("group_code")
                 .annotate(n=Count("id")))
    groups = [(g, items.get(g.code, 0)) for g in SimilarGroup.objects.filter(edition=edition, class_number=number)]
    marks = TrademarkGoods.objects.filter(class_number=number).values("trademark_id").distinct().count()
    return render(request, "trademarks/class.html", {"edition": edition, "entry": entry, "groups": groups,
                                                     "marks": marks})


def similar_group(request, edition, code):
    edition = _edition(request, edition)
    group = get_object_or_404(SimilarGroup, edition=edition, code=code)
    items = GoodsItem.objects.filter(edition=edition, group_code=code).order_by("code")
    links = {}
    for link in CrossLink.objects.filter(edition=edition, group_code=code):
        links.setdefault(link.linked_group_code, []).append(link)
    names = dict(SimilarGroup.objects.filter(edition=edition, code__in=links).values_list("code", "name"))
    item_names = dict(GoodsItem.objects.filter(edition=edition, code__in={
        link.item_code for group_links in links.values() for link in group_links}).values_list("code", "name"))
    marks = Trademark.objects.filter(pk__in=TrademarkGoods.objects.filter(group_code=code).values("trademark_id"))
    return render(request, "trademarks/group.html", {
        "edition": edition, "group": group, "items": items,
        "links": [(other, names.get(other, ""), [item_names.get(link.item_code, link.note) for link in group_links])
                  for other, group_links in sorted(links.items())],
        "marks": marks.order_by("-filing_date")[:20], "mark_count": marks.count()})


def goods_item(request, edition, code):
    edition = _edition(request, edition)
    item = get_object_or_404(GoodsItem, edition=edition, code=code.upper())
    group = SimilarGroup.objects.filter(edition=edition, code=item.group_code).first()
    other_editions = GoodsItem.objects.filter(code=item.code).exclude(edition=edition).order_by("edition")
    marks = Trademark.objects.filter(pk__in=TrademarkGoods.objects.filter(item_code=item.code).values("trademark_id"))
    return render(request, "trademarks/item.html", {
        "edition": edition, "item": item, "group": group, "other_editions": other_editions,
        "marks": marks.order_by("-filing_date")[:20], "mark_count": marks.count()})


def goods_search(request):
    query = request.GET.get("q", "").strip()[:100]
    edition = _edition(request)
    number = request.GET.get("class", "").strip()
    items = classification.search_goods(query, edition, int(number) if number.isdigit() else None) if query else []
    return render(request, "trademarks/goods.html", {"query": query, "edition": edition, "items": items,
                                                     "number": number})


def statistics(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1980 <= int(year) <= 2100 else date.today().year
    return render(request, "trademarks/statistics.html", {"stats": services.statistics(year),
                                                          "years": range(date.today().year, 2009, -1)})


@login_required
def watches(request):
    """Watch alerts: an enterprise user sees those of the entities it acts for; officers see all."""
    visible = Watch.objects.select_related("entity")
    if not request.user.has_perm("trademarks.view_watchalert"):
        entities = request.user.representations.filter(status="confirmed").values("entity_id")
        visible = visible.filter(entity_id__in=entities)
    alerts = WatchAlert.objects.filter(watch__in=visible).select_related(
        "watched_mark", "conflicting_mark", "watch__entity").order_by("opposition_deadline", "-score")
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return render(request, "trademarks/watches.html", {"watches": visible, "page": page,
                                                       "today": timezone.localdate()})
