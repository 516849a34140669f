"""The annual IP status report (广东省知识产权发展状况报告): HTML, PDF and XLSX from one context.

The content depends only on the data: the same observations give the same report, byte for byte in HTML.
"""

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from . import charts
from .evaluation import Evaluation, evaluate_plan
from .indices import definitions, run_index
from .models import Category, Indicator, Observation, Plan
from .regional import city_rows, group_gap

MIN_CITIES = 3  # an indicator enters the regional comparison when this many cities have a value


@dataclass
class Section:
    category: str
    label: str
    rows: list = field(default_factory=list)  # (evaluation, svg or "")


def default_as_of(plan: Plan) -> int:
    """The latest year with an observation for the plan's region within the plan period."""
    year = (Observation.objects.filter(region=plan.region, is_current=True, year__lte=plan.target_year,
                                       indicator__targets__plan=plan)
            .order_by("-year").values_list("year", flat=True).first())
    return year or plan.base_year


def regional_tables(plan: Plan, year: int) -> list[dict]:
    """City comparison for every plan indicator that enough cities report in the year."""
    tables = []
    for indicator in Indicator.objects.filter(targets__plan=plan).distinct().order_by("order"):
        rows = city_rows(indicator, year, plan.region.code)
        if sum(r.value is not None for r in rows) < MIN_CITIES:
            continue
        chart = charts.city_bar_chart(f"{indicator.name_zh} · {year}", rows, indicator.unit)
        tables.append({"indicator": indicator, "rows": rows, "gap": group_gap(indicator, year, plan.region.code),
                       "svg": charts.to_svg(chart)})
    return tables


def data_fingerprint(plan: Plan, year: int) -> str:
    """A digest of every current observation the report may read: equal digests, equal reports."""
    digest = hashlib.sha256()
    rows = (Observation.objects.filter(is_current=True, year__lte=year)
            .order_by("indicator__code", "region__code", "year", "month")
            .values_list("indicator__code", "region__code", "year", "month", "value", "source"))
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()[:16]


def report_context(plan: Plan, year: int, *, with_index: bool = True) -> dict:
    evaluations = evaluate_plan(plan, year)
    sections = {value: Section(value, label) for value, label in Category.choices}
    for evaluation in evaluations:
        svg = charts.to_svg(charts.series_chart(evaluation)) if evaluation.series else ""
        sections[evaluation.category].rows.append((evaluation, svg))
    counts = {}
    for evaluation in evaluations:
        counts[evaluation.status] = counts.get(evaluation.status, 0) + 1
    sources = sorted(set(Observation.objects.filter(is_current=True, year__lte=year,
                                                    indicator__targets__plan=plan).values_list("source", flat=True)))
    return {
        "plan": plan, "year": year, "evaluations": evaluations,
        "sections": [s for s in sections.values() if s.rows], "status_counts": counts,
        "status_svg": charts.to_svg(charts.status_chart(evaluations)),
        "regional": regional_tables(plan, year), "index": index_results(year) if with_index else None,
        "sources": sources, "fingerprint": data_fingerprint(plan, year),
        "methods": _methods_text(),
    }


def index_results(year: int, runs: int = 1000) -> list[dict]:
    """Every composite index for the year with its rank-interval chart; indices nobody can be ranked in are
    left out (the page says why)."""
    results = []
    for code in definitions():
        result = run_index(code, year, runs=runs)
        if result["ranked"]:
            result["svg"] = charts.to_svg(charts.rank_interval_chart(result["name_zh"], rank_rows(result)))
            results.append(result)
    return results


def rank_rows(result: dict) -> list[dict]:
    """One row per ranked region: name, score, nominal rank and its 5–95 % Monte-Carlo interval."""
    rows = []
    for unit in result["units"]:
        if unit["rank"] is None:
            continue
        band = unit["uncertainty"] or {}
        rows.append({"code": unit["code"], "name": unit["name"], "score": unit["score"], "rank": unit["rank"],
                     "rank_median": band.get("median_rank"), "rank_low": band.get("rank_low", unit["rank"]),
                     "rank_high": band.get("rank_high", unit["rank"])})
    return rows


def _methods_text() -> str:
    from . import evaluation

    return evaluation.__doc__.strip()


def render_html(plan: Plan, year: int, language: str = "zh-hans") -> str:
    with translation.override(language):
        return render_to_string("indicators/report.html", report_context(plan, year))


def render_pdf(html: str) -> bytes:
    """The PDF of the report; Chinese text and the SVG charts are embedded (WeasyPrint, CJK TrueType font)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def evaluation_rows(evaluations: list[Evaluation]) -> list[list]:
    header = ["indicator", "name_zh", "name_en", "category", "kind", "unit", "target", "target_year", "baseline",
              "baseline_year", "latest_value", "latest_year", "progress", "time_elapsed", "actual_cagr",
              "required_cagr", "projection", "status", "reason"]
    return [header] + [[getattr(e, h) for h in header] for e in evaluations]


def render_xlsx(context: dict) -> bytes:
    """Every table of the report as a worksheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "targets"
    for row in evaluation_rows(context["evaluations"]):
        sheet.append(row)
    for table in context["regional"]:
        sheet = book.create_sheet(table["indicator"].code[:31])
        sheet.append(["code", "city", "group", "value", "rank", "share", "per_10k"])
        for r in table["rows"]:
            sheet.append([r.code, r.name, r.group, r.value, r.rank, r.share, r.per_10k])
    for index in context.get("index") or []:
        sheet = book.create_sheet(index["index"][:31])
        columns = ["code", "name", "score", "rank", "rank_median", "rank_low", "rank_high"]
        sheet.append(columns)
        for row in rank_rows(index):
            sheet.append([row[k] for k in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_report(plan: Plan, year: int, out_dir: Path) -> dict[str, Path]:
    """Write report.html, report.pdf and tables.xlsx into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with translation.override("zh-hans"):
        context = report_context(plan, year)
        html = render_to_string("indicators/report.html", context)
    paths = {"html": out_dir / "report.html", "pdf": out_dir / "report.pdf", "xlsx": out_dir / "tables.xlsx"}
    paths["html"].write_text(html, encoding="utf-8")
    paths["pdf"].write_bytes(render_pdf(html))
    paths["xlsx"].write_bytes(render_xlsx(context))
    return paths
