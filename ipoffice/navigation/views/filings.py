"""Filing tracking and the review of filing signals.

The tracking page is public: every figure counts published applications, each drills down into the public patent
search, and the plan asks for the numbers to be watched openly. The signal queue is for officers
(``navigation.review_signals``): a signal names applicants for review and must not read as an accusation.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from ipoffice.core.errors import DataError
from ipoffice.indicators.charts import to_svg

from .. import filings, signals
from ..models import Signal


def _period(request) -> tuple[date, date]:
    today = date.today().replace(day=1)
    end = filings.parse_month(request.GET["to"], "to") if request.GET.get("to") else filings.add_months(today, -1)
    start = (filings.parse_month(request.GET["from"], "from") if request.GET.get("from")
             else filings.add_months(end, -11))
    return start, end


def filing_tracking(request):
    by = request.GET.get("by", "city")
    context = {"groupings": filings.GROUPINGS, "by": by, "region": request.GET.get("region", "")}
    try:
        start, end = _period(request)
        table = filings.monthly_filings(by, start=start, end=end, region=context["region"])
    except DataError as error:
        context["error"] = str(error)
        return render(request, "navigation/filing_tracking.html", context, status=400)
    context.update(table=table, start=start.strftime("%Y-%m"), end=end.strftime("%Y-%m"),
                   chart=to_svg(filings.filings_chart(table)) if table.rows else "")
    return render(request, "navigation/filing_tracking.html", context)


@permission_required("navigation.review_signals", raise_exception=True)
def signal_list(request):
    rows = Signal.objects.select_related("region")
    kind, status, region = (request.GET.get(k, "") for k in ("kind", "status", "region"))
    if kind:
        rows = rows.filter(kind=kind)
    rows = rows.filter(status=status) if status else rows
    if region:
        rows = rows.filter(region__code__startswith=region.ljust(4, "0")[:len(region)])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "navigation/signal_list.html", {
        "page": page, "kind": kind, "status": status, "region": region,
        "kinds": Signal.Kind.choices, "statuses": Signal.Status.choices})


@permission_required("navigation.review_signals", raise_exception=True)
def signal_detail(request, pk):
    signal = get_object_or_404(Signal.objects.select_related("region", "reviewed_by"), pk=pk)
    if request.method == "POST":
        try:
            signals.review_signal(signal, user=request.user, status=request.POST.get("status", ""),
                                  note=request.POST.get("note", ""))
        except DataError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Review recorded."))
            return redirect("navigation:signal", pk=signal.pk)
    context = {"signal": signal, "patents": signal.patents.order_by("application_date")[:200],
               "history": signal.history.select_related("history_user").order_by("-history_date")[:20],
               "decisions": [(s, Signal.Status(s).label) for s in signals.REVIEW_STATUSES]}
    if signal.kind == Signal.Kind.NEAR_DUPLICATE:
        context["pairs"] = _side_by_side(signal)
    elif signal.kind in (Signal.Kind.APPLICANT_BURST, Signal.Kind.AGENCY_BURST):
        context["chart"] = to_svg(signals.burst_chart(signal))
    return render(request, "navigation/signal_detail.html", context)


def _side_by_side(signal) -> list[dict]:
    """The evidence pairs with their texts cut into shared and differing runs (the first ten pairs)."""
    pairs = signal.evidence.get("pairs", [])[:10]
    patents = {p.pk: p for p in signal.patents.filter(pk__in=[x[s]["id"] for x in pairs for s in "ab"])}
    out = []
    for pair in pairs:
        a, b = patents.get(pair["a"]["id"]), patents.get(pair["b"]["id"])
        if a and b:
            left, right = signals.highlight(signals.signal_text(a), signals.signal_text(b))
            out.append({"pair": pair, "a": a, "b": b, "left": left, "right": right})
    return out


urlpatterns = [
    path("filings/", filing_tracking, name="filings"),
    path("signals/", signal_list, name="signals"),
    path("signals/<int:pk>/", signal_detail, name="signal"),
]
