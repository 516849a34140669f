"""Pages of one snapshot of a project: its analyses (chart, table whose counts drill down, notes), the drill-down
to the patents behind a figure, the recall/precision worksheet and the report (HTML and PDF)."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipoffice.indicators.charts import to_svg
from ipoffice.patents.models import Patent

from .. import report as report_module
from ..analyses.networks import to_gexf, to_graphml
from ..editing import all_analyses, can_edit, drill_ids, run_analysis, visible_projects
from ..forms import DrawForm, JudgeForm, query_error
from ..models import Judgement, Snapshot
from ..worksheet import draw_sample, figures, judge

DRILL_PAGE = 50


def _snapshot(request, slug, snapshot_id) -> Snapshot:
    project = get_object_or_404(visible_projects(request.user), slug=slug)
    return get_object_or_404(project.snapshots.select_related("project", "query"), pk=snapshot_id)


def _analysis(snapshot: Snapshot, key: str):
    try:
        return run_analysis(snapshot, key)
    except KeyError:
        raise Http404(_("No analysis %(key)s.") % {"key": key}) from None


def table_cells(analysis) -> list[list[dict]]:
    """The table as cells: value, kind and, for a count, the drill key of the patents behind it (the row's
    ``"<column>_drill"``, else the row's ``"drill"`` for its first count)."""
    counts = [c.key for c in analysis.columns if c.kind in ("int", "float")]
    rows = []
    for row in analysis.rows:
        cells = []
        for column in analysis.columns:
            drill = row.get(f"{column.key}_drill")
            if drill is None and counts and column.key == counts[0]:
                drill = row.get("drill")
            cells.append({"value": row.get(column.key), "kind": column.kind, "url": row.get(f"{column.key}_url"),
                          "drill": str(drill) if drill is not None and str(drill) in analysis.drill else None})
        rows.append(cells)
    return rows


def snapshot_detail(request, slug, snapshot_id):
    """The analyses of a snapshot, each linking to its page, with the worksheet's figures."""
    snapshot = _snapshot(request, slug, snapshot_id)
    return render(request, "navigation/snapshot_detail.html", {
        "snapshot": snapshot, "project": snapshot.project, "analyses": all_analyses(snapshot),
        "figures": figures(snapshot)})


def analysis_detail(request, slug, snapshot_id, key):
    snapshot = _snapshot(request, slug, snapshot_id)
    analysis = _analysis(snapshot, key)
    finding = snapshot.project.findings.filter(section=key).first()
    return render(request, "navigation/analysis_detail.html", {
        "snapshot": snapshot, "project": snapshot.project, "analysis": analysis, "rows": table_cells(analysis),
        "svg": mark_safe(to_svg(analysis.chart)) if analysis.chart else "",  # noqa: S308 (vl-convert's own SVG)
        "finding": finding.text if finding else "", "can_edit": can_edit(request.user, snapshot.project),
        "graph_formats": GRAPH_FORMATS if key in report_module.NETWORKS else {}})


GRAPH_FORMATS = {"gexf": ("application/gexf+xml", to_gexf), "graphml": ("application/graphml+xml", to_graphml)}


def network_file(request, slug, snapshot_id, key, fmt):
    """A network analysis as a graph file (GEXF for Gephi, GraphML for yEd, Cytoscape, networkx …)."""
    if key not in report_module.NETWORKS or fmt not in GRAPH_FORMATS:
        raise Http404(_("No network file %(name)s.") % {"name": f"{key}.{fmt}"})
    content_type, write = GRAPH_FORMATS[fmt]
    response = HttpResponse(write(_analysis(_snapshot(request, slug, snapshot_id), key)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-{snapshot_id}-{key}.{fmt}"'
    return response


def drill_down(request, slug, snapshot_id, analysis_key, drill_key):
    """The patents behind one figure, paged; CSV of them all for those who may export patents."""
    snapshot = _snapshot(request, slug, snapshot_id)
    analysis = _analysis(snapshot, analysis_key)
    try:
        ids = drill_ids(snapshot, analysis_key, drill_key)
    except KeyError:
        raise Http404(_("The analysis has no figure %(key)s.") % {"key": drill_key}) from None
    patents = Patent.objects.filter(pk__in=ids).order_by("-application_date", "pk")
    if request.GET.get("format") == "csv":
        if not request.user.has_perm("patents.export_patents"):
            raise PermissionDenied(_("Only analysts may export patents."))
        return _csv(patents, request.build_absolute_uri("/")[:-1], f"{slug}-{analysis_key}")
    page = Paginator(patents, DRILL_PAGE).get_page(request.GET.get("page"))
    return render(request, "navigation/drill.html", {
        "snapshot": snapshot, "project": snapshot.project, "analysis": analysis, "drill_key": drill_key,
        "page": page, "total": len(ids)})


def _csv(patents, site: str, name: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # spreadsheet programs then read the Chinese as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(["number", "application_number", "application_date", "title", "ipc_main", "legal_status", "url"])
    for p in patents.iterator():
        writer.writerow([p.display_number, p.application_number, p.application_date or "", p.title, p.ipc_main,
                         p.legal_status, site + p.get_absolute_url()])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _may_judge(user, snapshot) -> bool:
    return user.has_perm("navigation.change_judgement") or can_edit(user, snapshot.project)


def worksheet(request, slug, snapshot_id):
    """The recall/precision worksheet: draw the samples, judge each sampled patent, see the figures."""
    snapshot = _snapshot(request, slug, snapshot_id)
    lines = snapshot.judgements.select_related("patent", "judged_by")
    return render(request, "navigation/worksheet.html", {
        "snapshot": snapshot, "project": snapshot.project, "figures": figures(snapshot),
        "samples": [(value, label, [j for j in lines if j.sample == value])
                    for value, label in Judgement.Sample.choices],
        "draw_form": DrawForm(), "can_judge": _may_judge(request.user, snapshot)})


@require_POST
def draw(request, slug, snapshot_id):
    snapshot = _snapshot(request, slug, snapshot_id)
    if not _may_judge(request.user, snapshot):
        raise PermissionDenied(_("Only the owner or an analyst may draw samples."))
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            added = draw_sample(snapshot, form.cleaned_data["sample"], form.cleaned_data["size"])
        except ValueError as error:  # no reference query, or one that cannot be read
            messages.error(request, query_error(error) if hasattr(error, "position") else str(error))
        else:
            messages.success(request, _("%(count)s patents added to the sample.") % {"count": added})
    return redirect("navigation:worksheet", slug, snapshot.pk)


@require_POST
def judge_line(request, slug, snapshot_id, pk):
    snapshot = _snapshot(request, slug, snapshot_id)
    if not _may_judge(request.user, snapshot):
        raise PermissionDenied(_("Only the owner or an analyst may judge the sample."))
    line = get_object_or_404(snapshot.judgements, pk=pk)
    form = JudgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    else:
        judge(line, form.cleaned_data["relevant"], request.user, form.cleaned_data["note"])
    return redirect(reverse("navigation:worksheet", args=[slug, snapshot.pk]) + f"#line-{line.pk}")


def report(request, slug, snapshot_id):
    """The navigation report of a snapshot in the site's frame, with the PDF download."""
    snapshot = _snapshot(request, slug, snapshot_id)
    return render(request, "navigation/snapshot_report.html", {
        "snapshot": snapshot, "project": snapshot.project,
        "body": mark_safe(report_module.render_html(snapshot, standalone=False))})  # noqa: S308 (the report's own template)


def report_pdf(request, slug, snapshot_id):
    snapshot = _snapshot(request, slug, snapshot_id)
    response = HttpResponse(report_module.stored_pdf(snapshot), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="navigation-{slug}-{snapshot.pk}.pdf"'
    return response


_SNAPSHOT = "projects/<slug:slug>/snapshots/<int:snapshot_id>/"
urlpatterns = [
    path(_SNAPSHOT, snapshot_detail, name="snapshot"),
    path(_SNAPSHOT + "analyses/<str:key>/", analysis_detail, name="analysis"),
    path(_SNAPSHOT + "analyses/<str:key>.<str:fmt>", network_file, name="network-file"),
    path(_SNAPSHOT + "analyses/<str:analysis_key>/drill/<path:drill_key>", drill_down, name="drill"),
    path(_SNAPSHOT + "worksheet/", worksheet, name="worksheet"),
    path(_SNAPSHOT + "worksheet/draw/", draw, name="worksheet-draw"),
    path(_SNAPSHOT + "worksheet/judgements/<int:pk>/", judge_line, name="worksheet-judge"),
    path(_SNAPSHOT + "report/", report, name="report"),
    path(_SNAPSHOT + "report.pdf", report_pdf, name="report-pdf"),
]
