"""The navigation report (专利导航报告), shaped by GB/T 39551: cover, project overview, method (data source, search
strategy, decomposition, recall/precision, counting rules), one section per analysis, the analyst's findings and
the dataset appendix; as HTML (self-contained, or the body of the site's page) and PDF, plus the dataset files.

The report reads only the snapshot (its frozen dataset, rules and judgements), the decomposition as it stood when
the snapshot was taken and the project's findings: the same snapshot and findings give byte-identical HTML.
"""

import csv
import gzip
import hashlib
import io
import os
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from ipoffice.indicators.charts import to_svg
from ipoffice.patents.models import LegalStatus, Patent, PatentType

from . import worksheet
from .analyses import Analysis, run_all
from .counting import date_of, incomplete_years
from .dataset import Dataset, Record
from .models import ApplicantCounting, DateBasis, DecompositionNode, Effect, ProjectType, Snapshot
from .snapshots import load_dataset, rules_of

APPENDIX_ROWS = 300  # the appendix lists this many patents (about 20 ms of PDF layout each); dataset.csv has all
NETWORKS = ("co_applicants", "co_inventors")  # analyses exported as graph files
FINDING_SECTIONS = ("summary", "recommendations", "risks")


# ---------------------------------------------------------------------------------------------------- context


def _cell(value, column, row: dict, drill) -> dict:
    """A table cell: its text, the link behind it (a drill-down or the row's URL) and whether it is a number."""
    if value is None or value == "":
        text = "—" if column.kind in ("int", "float", "percent") else ""
    elif column.kind == "float":
        text = f"{value:.2f}"
    elif column.kind == "percent":
        text = f"{value:.1f}%"
    else:
        text = str(value)
    url = row.get(f"{column.key}_url", "") if column.kind == "link" else ""
    key = row.get(f"{column.key}_drill")
    if drill and key is not None:
        url = drill(key)
    return {"text": text, "url": url, "number": column.kind in ("int", "float", "percent")}


def analysis_section(analysis: Analysis, finding: str, drill=None) -> dict:
    """What the report shows of one analysis: chart, table (cells formatted, drill links when ``drill`` makes
    them), method, notes and the analyst's finding."""
    rows = []
    for row in analysis.rows:
        cells = [_cell(row.get(c.key), c, row, drill) for c in analysis.columns]
        if drill and row.get("drill") is not None and cells and not cells[0]["url"]:
            cells[0]["url"] = drill(row["drill"])
        rows.append(cells)
    return {"key": analysis.key, "title": analysis.title, "method": analysis.method, "notes": analysis.notes,
            "columns": analysis.columns, "rows": rows, "svg": to_svg(analysis.chart) if analysis.chart else "",
            "finding": finding}


def rules_in_words(rules) -> list[str]:
    """The counting rules as sentences, as every output states them."""
    unit = (_("Counted unit: patent families, one per family (its earliest member by the date basis).")
            if rules.unit == "family" else _("Counted unit: applications, each application once."))
    lines = [unit,
             _("Applicant counting: %(rule)s.") % {"rule": ApplicantCounting(rules.applicants).label},
             _("Date basis: a patent is placed in the year of its %(basis)s.")
             % {"basis": DateBasis(rules.date_basis).label},
             _("Data cut-off: %(cutoff)s; patents published after it are left out.")
             % {"cutoff": rules.cutoff.isoformat()}]
    late = sorted(incomplete_years(rules))
    if late:
        lines.append(_("Years %(years)s are incomplete: applications are published about %(months)s months after "
                       "filing, so their counts are still growing.")
                     % {"years": ", ".join(map(str, late)), "months": rules.lag_months})
    return lines


def decomposition(snapshot: Snapshot, dataset: Dataset) -> list[dict]:
    """The tree of the snapshot with each branch's query as it stood when the snapshot was taken."""
    queries = {n.code: n.query for n in DecompositionNode.history.as_of(snapshot.taken_at)
               .filter(project_id=snapshot.project_id)}
    counts = Counter(code for record in dataset.records for code in record.nodes)
    return [{**node, "query": queries.get(node["code"], ""), "depth": node["code"].count("."),
             "count": counts.get(node["code"], 0)} for node in dataset.nodes]


def effect_rows(snapshot: Snapshot, dataset: Dataset) -> list[dict]:
    queries = dict(Effect.objects.filter(project_id=snapshot.project_id).values_list("name", "query"))
    counts = Counter(name for record in dataset.records for name in record.effects)
    return [{"name": name, "query": queries.get(name, ""), "count": counts[name]} for name in dataset.effects]


def quality_rows(snapshot: Snapshot) -> list[tuple[str, dict | None]]:
    """Precision and recall from the worksheet's judged lines, as percentages with their Wilson 95 % interval
    (None: not yet assessed)."""
    figures = worksheet.figures(snapshot)
    rows = []
    for key, label in (("precision", _("Precision")), ("recall", _("Recall"))):
        figure = figures[key]
        if figure:
            figure = {**figure, "value_text": f"{100 * figure['value']:.1f}%",
                      "interval_text": f"{100 * figure['low']:.1f}%–{100 * figure['high']:.1f}%"}
        rows.append((label, figure))
    return rows


def appendix_row(record: Record, rules) -> dict:
    first = record.applicants[0].name if record.applicants else ""
    return {"number": record.number, "title": record.title,
            "applicant": first + (_(" et al.") if len(record.applicants) > 1 else ""),
            "date": date_of(record, rules) or "", "type": _label(PatentType, record.patent_type),
            "status": _label(LegalStatus, record.legal_status), "nodes": " ".join(record.nodes)}


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else value


def is_generated(dataset: Dataset) -> bool:
    """Whether the dataset holds generated (demo) patents: the cover then says so."""
    ids = [r.id for r in dataset.records[:1000]]
    return Patent.objects.filter(pk__in=ids, is_generated=True).exists()


def _drill(snapshot: Snapshot, key: str):
    """The web version's link from a figure to the patents behind it (the project pages' drill-down)."""
    return lambda drill: reverse("navigation:drill", args=[snapshot.project.slug, snapshot.pk, key, drill])


def report_context(snapshot: Snapshot, analyses: list[Analysis], *, standalone: bool = True) -> dict:
    project = snapshot.project
    dataset = load_dataset(snapshot)
    rules = rules_of(snapshot)
    findings = dict(project.findings.values_list("section", "text"))
    sections = [analysis_section(a, findings.get(a.key, ""), None if standalone else _drill(snapshot, a.key))
                for a in analyses]
    records = sorted(dataset.records, key=lambda r: (date_of(r, rules) or "", r.number))
    return {
        "project": project, "snapshot": snapshot, "query": snapshot.query, "rules": rules,
        "type_label": ProjectType(project.project_type).label, "standalone": standalone,
        "generated": is_generated(dataset), "dataset": dataset, "rules_text": rules_in_words(rules),
        "nodes": decomposition(snapshot, dataset), "effects": effect_rows(snapshot, dataset),
        "quality_rows": quality_rows(snapshot), "sections": sections, "first_findings": len(sections) + 3,
        "findings": [{"key": key, "title": title, "text": findings.get(key, "")} for key, title in (
            ("summary", _("Conclusions")), ("recommendations", _("Recommended paths")),
            ("risks", _("Risks and limitations")))],
        "appendix": [appendix_row(r, rules) for r in records[:APPENDIX_ROWS]],
        "appendix_total": len(records),
    }


# ---------------------------------------------------------------------------------------------------- outputs


def _analyses(snapshot: Snapshot) -> list[Analysis]:
    return run_all(load_dataset(snapshot), rules_of(snapshot))


def render_html(snapshot: Snapshot, *, standalone: bool = True, analyses: list[Analysis] | None = None) -> str:
    """The report as a self-contained HTML file (inline CSS and SVG), or (``standalone=False``) the body the
    site's report page wraps, with figures linking to their patents. ``analyses``: already run on the snapshot."""
    context = report_context(snapshot, analyses if analyses is not None else _analyses(snapshot),
                             standalone=standalone)
    return render_to_string("navigation/report.html" if standalone else "navigation/report_body.html", context)


def render_pdf(snapshot: Snapshot, *, html: str | None = None) -> bytes:
    """The PDF of the report (WeasyPrint; Chinese text in the WenQuanYi/Noto CJK fonts the stylesheet names)."""
    from weasyprint import HTML

    return HTML(string=html if html is not None else render_html(snapshot)).write_pdf()


def stored_pdf(snapshot: Snapshot) -> bytes:
    """The PDF, laid out once per report text: a snapshot with the same findings always gives the same HTML, so
    the PDF is kept under the data folder by the HTML's hash and served again without WeasyPrint's layout."""
    html = render_html(snapshot)
    path = Path(settings.DATA_DIR) / "navigation-reports" / f"{hashlib.sha256(html.encode()).hexdigest()}.pdf"
    if path.exists():
        return path.read_bytes()
    pdf = render_pdf(snapshot, html=html)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(pdf)
    partial.replace(path)  # atomic: a concurrent request never reads half a file
    return pdf


CSV_COLUMNS = ["number", "application_number", "title", "patent_type", "legal_status", "application_date",
               "priority_date", "publication_date", "grant_date", "applicants", "region", "inventors", "agency",
               "ipc", "family_id", "family_size", "forward_citations", "claims_count", "nodes", "effects"]


def dataset_csv(dataset: Dataset) -> bytes:
    """One row per patent with its main fields, branches and effects; UTF-8 with BOM so that Excel reads it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in dataset.records:
        writer.writerow([r.number, r.application_number, r.title, r.patent_type, r.legal_status,
                         r.application_date or "", r.priority_date or "", r.publication_date or "",
                         r.grant_date or "", "; ".join(a.name for a in r.applicants), r.region,
                         "; ".join(r.inventors), r.agency, " ".join(r.ipc), r.family_id, r.family_size,
                         r.forward_citations, "" if r.claims_count is None else r.claims_count,
                         " ".join(r.nodes), "; ".join(r.effects)])
    return buffer.getvalue().encode("utf-8-sig")


def write_outputs(snapshot: Snapshot, out_dir: Path, *, analyses: list[Analysis] | None = None) -> list[Path]:
    """Write report.html, report.pdf, dataset.csv, dataset.json and the networks (.gexf, .graphml) into
    ``out_dir``; returns the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    analyses = analyses if analyses is not None else _analyses(snapshot)
    html = render_html(snapshot, analyses=analyses)
    files = {"report.html": html.encode(), "report.pdf": render_pdf(snapshot, html=html),
             "dataset.csv": dataset_csv(load_dataset(snapshot)), "dataset.json": gzip.decompress(bytes(snapshot.data))}
    networks = [a for a in analyses if a.key in NETWORKS]
    if networks:
        from .analyses.networks import to_gexf, to_graphml

        for analysis in networks:
            files[f"{analysis.key}.gexf"] = to_gexf(analysis).encode()
            files[f"{analysis.key}.graphml"] = to_graphml(analysis).encode()
    paths = []
    for name, data in files.items():
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths
