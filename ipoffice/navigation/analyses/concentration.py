"""Applicant concentration (集中度): CR4 and the Herfindahl-Hirschman index, overall and per year window."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipoffice.indicators.charts import vega_spec

from ..counting import Rules
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import counting_label, window_label, window_lag_note, window_of, windows
from .prepared import prepared

MODERATE, HIGH = 1500, 2500  # HHI thresholds of the US merger guidelines (2010), 0–10,000 scale
READINGS = {"low": gettext_lazy("unconcentrated"), "moderate": gettext_lazy("moderately concentrated"),
            "high": gettext_lazy("highly concentrated")}


def cr_hhi(weights: dict[str, float]) -> tuple[float, float, set[str]]:
    """CR4 in percent, HHI on the 0–10,000 scale (shares in percent, squared and summed), and the top four."""
    total = sum(weights.values())
    if not total:
        return 0.0, 0.0, set()
    top = sorted(weights, key=lambda k: (-weights[k], k))
    cr4 = 100 * sum(weights[k] for k in top[:4]) / total
    hhi = sum((100 * w / total) ** 2 for w in weights.values())
    return round(cr4, 1), round(hhi), set(top[:4])


def reading(hhi: float) -> str:
    return "low" if hhi < MODERATE else "moderate" if hhi <= HIGH else "high"


@analysis("concentration")
def concentration(dataset: Dataset, rules: Rules) -> Analysis:
    data = prepared(dataset, rules)
    weights = defaultdict(lambda: defaultdict(float))  # period ("all", or a window) → applicant → weight
    members = defaultdict(list)  # period → record indices
    period_of = {}  # year → its window's period
    for year, indices in data.in_year.items():
        span = window_of(year, rules)
        if span:
            period_of[year] = f"{span[0]}-{span[1]}"
        for period in ("all", period_of[year]) if span else ("all",):
            members[period] += indices
            for key, weight in data.applicants.by_year[year].items():
                weights[period][key] += weight
    years = set(period_of)
    spans = windows(rules, years)
    labels = {"all": _("all years")} | {f"{s[0]}-{s[1]}": window_label(s) for s in spans}
    rows, drill, values = [], {}, []
    for period in ["all"] + [f"{s[0]}-{s[1]}" for s in spans]:
        cr4, hhi, top = cr_hhi(weights[period])
        rows.append({"period": labels[period], "applicants": len(weights[period]), "patents": len(members[period]),
                     "cr4": cr4, "hhi": hhi, "reading": str(READINGS[reading(hhi)]), "drill": period,
                     "cr4_drill": f"{period}:top4"})
        drill[period] = [data.records[i].id for i in sorted(members[period])]
        held = set().union(*(data.applicants.holders[key] for key in top))
        drill[f"{period}:top4"] = [data.records[i].id for i in sorted(held)
                                   if period == "all" or period_of.get(data.years[i]) == period]
        if period != "all":
            values.append({"period": labels[period], "hhi": hhi})
    chart = vega_spec(_("Applicant concentration (HHI)"), values, {"layer": [
        {"mark": "bar", "encoding": {"x": {"field": "period", "type": "ordinal", "title": None},
                                     "y": {"field": "hhi", "type": "quantitative", "title": "HHI"}}},
        {"data": {"values": [{"limit": MODERATE}, {"limit": HIGH}]}, "mark": {"type": "rule", "strokeDash": [4, 4]},
         "encoding": {"y": {"field": "limit", "type": "quantitative"}}}]})
    return Analysis(
        key="concentration", title=_("Applicant concentration"),
        method=_("Each applicant's share is its weight under the counting rule (%(rule)s) over all applicants' "
                 "weights (an applicant being its entity, else its normalised name); CR4 is the top four's shares "
                 "added, HHI the shares in percent squared and added (0–10,000): below %(moderate)s "
                 "unconcentrated, %(moderate)s–%(high)s moderately, above %(high)s highly concentrated (US "
                 "horizontal merger guidelines, 2010).") % {"rule": counting_label(rules), "moderate": MODERATE,
                                                             "high": HIGH},
        columns=[Column("period", _("period")), Column("applicants", _("applicants"), "int"),
                 Column("patents", _("patents"), "int"), Column("cr4", _("CR4 (%)"), "percent"),
                 Column("hhi", "HHI", "int"), Column("reading", _("reading"))],
        rows=rows, chart=chart, drill=drill, notes=window_lag_note(rules, spans))
