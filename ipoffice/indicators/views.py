"""Indicator dashboard, indicator pages, regional balance, composite index and the annual report."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from ipoffice.core.errors import DataError

from . import charts, report
from .evaluation import evaluate_target
from .indices import definition, definitions, run_index
from .models import Category, Indicator, Plan
from .observations import series, yearly_growth
from .regional import city_rows, group_gap
from .registry import registry_value


def _plan(request) -> Plan:
    code = request.GET.get("plan")
    plan = Plan.objects.filter(code=code).first() if code else Plan.objects.first()
    if plan is None:
        raise Http404("no plan loaded: run ipoffice setup" if not code else f"no plan '{code}'")
    return plan


def _year(request, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except ValueError:
        return default


def dashboard(request):
    plan = _plan(request)
    year = _year(request, "as_of", report.default_as_of(plan))
    context = report.report_context(plan, year, with_index=False)
    sections = [{"label": s.label, "evaluations": [e for e, _ in s.rows]} for s in context["sections"]]
    return render(request, "indicators/dashboard.html", {
        **context, "sections": sections, "plans": Plan.objects.all(),
        "years": list(range(plan.base_year, plan.target_year + 1)), "indices": list(definitions())})


def composite_index(request, code):
    """A composite index for a year: scores, pillar weights, rank intervals, treatment and coherence."""
    try:
        index = definition(code)
    except DataError as error:
        raise Http404(str(error)) from error
    year = _year(request, "year", report.default_as_of(Plan.objects.first()) if Plan.objects.exists() else 2020)
    result = run_index(index.code, year)
    rows = report.rank_rows(result)
    return render(request, "indicators/index.html", {
        "result": result, "year": year, "rows": rows, "indices": definitions(),
        "svg": charts.to_svg(charts.rank_interval_chart(result["name_zh"], rows)) if rows else ""})


def indicator_detail(request, code):
    indicator = get_object_or_404(Indicator.objects.select_related("per_10k_of"), code=code)
    plan = _plan(request)
    year = _year(request, "as_of", report.default_as_of(plan))
    targets = list(plan.targets.filter(indicator=indicator).select_related("plan__region", "indicator__per_10k_of"))
    evaluations = [evaluate_target(t, year) for t in targets]
    rows = city_rows(indicator, year, plan.region.code)
    points = series(indicator, plan.region)
    official = points.get(year)
    computed = registry_value(indicator.code, plan.region, year)
    return render(request, "indicators/indicator.html", {
        "indicator": indicator, "plan": plan, "year": year, "targets": targets, "evaluations": evaluations,
        "series_svgs": [charts.to_svg(charts.series_chart(e)) for e in evaluations if e.series],
        "growth": sorted(yearly_growth(points).items()), "rows": rows,
        "has_city_data": any(r.value is not None for r in rows),
        "city_svg": charts.to_svg(charts.city_bar_chart(f"{indicator.name_zh} · {year}", rows, indicator.unit)),
        "registry_value": computed, "official": official.value if official else None,
        "difference": computed - official.value if computed is not None and official else None,
    })


def balance(request):
    plan = _plan(request)
    indicators = Indicator.objects.filter(targets__plan=plan).distinct().order_by("order")
    indicator = indicators.filter(code=request.GET.get("indicator")).first() or indicators.first()
    if indicator is None:
        raise Http404("the plan has no indicators")
    year = _year(request, "year", report.default_as_of(plan))
    rows = city_rows(indicator, year, plan.region.code)
    return render(request, "indicators/balance.html", {
        "plan": plan, "indicators": indicators, "indicator": indicator, "year": year, "rows": rows,
        "gap": group_gap(indicator, year, plan.region.code), "has_city_data": any(r.value is not None for r in rows),
        "city_svg": charts.to_svg(charts.city_bar_chart(f"{indicator.name_zh} · {year}", rows, indicator.unit)),
        "categories": Category.choices})


def annual_report(request, plan, year):
    plan = get_object_or_404(Plan, code=plan)
    return HttpResponse(report.render_html(plan, year, get_language()))


def _download(data: bytes, content_type: str, plan: Plan, year: int, extension: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ip-status-report-{plan.code}-{year}.{extension}"'
    return response


@permission_required("indicators.publish_report", raise_exception=True)
def annual_report_pdf(request, plan, year):
    plan = get_object_or_404(Plan, code=plan)
    return _download(report.render_pdf(report.render_html(plan, year)), "application/pdf", plan, year, "pdf")


@permission_required("indicators.publish_report", raise_exception=True)
def annual_report_xlsx(request, plan, year):
    plan = get_object_or_404(Plan, code=plan)
    return _download(report.render_xlsx(report.report_context(plan, year)),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", plan, year, "xlsx")
