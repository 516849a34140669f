"""Filing and grant trends (申请/授权趋势)."""

from collections import defaultdict

from django.utils.translation import gettext as _

from ipoffice.indicators.charts import vega_spec

from ..counting import Rules, incomplete_years
from ..dataset import Dataset
from ..models import DateBasis
from . import Analysis, Column, analysis
from .common import grant_date, lag_note, unit_label
from .prepared import prepared


@analysis("trend")
def filing_trend(dataset: Dataset, rules: Rules) -> Analysis:
    """Filings per year by the date basis, and grants per year of grant; the lag band marks incomplete years."""
    filed, granted = defaultdict(list), defaultdict(list)
    data = prepared(dataset, rules)
    for record, year, has_grant in zip(data.records, data.years, data.granted, strict=True):
        if year is not None:
            filed[year].append(record.id)
        if has_grant:
            granted[int(grant_date(record)[:4])].append(record.id)
    years = sorted(set(filed) | set(granted))
    late = incomplete_years(rules)
    rows, drill, values = [], {}, []
    for year in years:
        rows.append({"year": year, "filings": len(filed[year]), "grants": len(granted[year]),
                     "incomplete": _("incomplete") if year in late else "", "drill": f"{year}",
                     "grants_drill": f"{year}:grants"})
        drill[f"{year}"] = filed[year]
        drill[f"{year}:grants"] = granted[year]
        values += [{"year": str(year), "count": len(filed[year]), "series": _("filings"),
                    "incomplete": year in late},
                   {"year": str(year), "count": len(granted[year]), "series": _("grants"), "incomplete": False}]
    chart = vega_spec(_("Filings and grants per year"), values, {"mark": {"type": "line", "point": True}, "encoding": {
        "x": {"field": "year", "type": "ordinal", "title": _("year")},
        "y": {"field": "count", "type": "quantitative", "title": _("patents")},
        "color": {"field": "series", "type": "nominal", "title": None},
        "strokeDash": {"field": "incomplete", "type": "nominal", "legend": None}}})
    return Analysis(
        key="trend", title=_("Filing and grant trend"),
        method=_("%(unit)s per year of the %(basis)s; grants per year of the grant date (the first grant event's "
                 "date when the grant date is missing).")
        % {"unit": unit_label(rules).capitalize(), "basis": DateBasis(rules.date_basis).label},
        columns=[Column("year", _("year")), Column("filings", _("filings"), "int"),
                 Column("grants", _("grants"), "int"), Column("incomplete", "")],
        rows=rows, chart=chart, drill=drill, notes=lag_note(rules, years))
