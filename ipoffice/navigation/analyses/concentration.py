"""Applicant concentration (集中度): CR4 and the Herfindahl-Hirschman index, overall and per year window."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipoffice.indicators.charts import vega_spec

from ..counting import Rules, counted, shares, year_of
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import applicant_key, counting_label, window_label, window_lag_note, window_of, windows

MODERATE, HIGH = 1500, 2500  # HHI thresholds of the US merger guidelines (2010), 0–10,000 scale
READINGS = {"low": gettext_lazy("unconcentrated"), "moderate": gettext_lazy("moderately concentrated"),
            "high": gettext_lazy("highly concentrated")}


def cr_hhi(weights: dict[str, float]) -> tuple[float, float, list[str]]:
    """CR4 in percent, HHI on the 0–10,000 scale (shares in percent, squared and summed), and the top four."""
    total = sum(weights.values())
    if not total:
        return 0.0, 0.0, []
    top = sorted(weights, key=lambda k: (-weights[k], k))
    cr4 = 100 * sum(weights[k] for k in top[:4]) / total
    hhi = sum((100 * w / total) ** 2 for w in weights.values())
    return round(cr4, 1), round(hhi), top[:4]


def reading(hhi: float) -> str:
    return "low" if hhi < MODERATE else "moderate" if hhi <= HIGH else "high"


@analysis("concentration")
def concentration(dataset: Dataset, rules: Rules) -> Analysis:
    weights = defaultdict(lambda: defaultdict(float))  # period → applicant → weight
    ids, owned = defaultdict(list), defaultdict(lambda: defaultdict(list))  # period → ids; period → applicant → ids
    years = set()
    for record in counted(dataset.records, rules):
        year = year_of(record, rules)
        span = window_of(year, rules)
        if year is not None:
            years.add(year)
        periods = ["all"] + ([f"{span[0]}-{span[1]}"] if span else [])
        applicants = [(applicant_key(a)[0], w) for a, w in shares(record.applicants, rules)]
        for period in periods:
            ids[period].append(record.id)
            for key, weight in applicants:
                weights[period][key] += weight
                if not owned[period][key] or owned[period][key][-1] != record.id:
                    owned[period][key].append(record.id)
    spans = windows(rules, years)
    labels = {"all": _("all years")} | {f"{s[0]}-{s[1]}": window_label(s) for s in spans}
    rows, drill, values = [], {}, []
    for period in ["all"] + [f"{s[0]}-{s[1]}" for s in spans]:
        cr4, hhi, top = cr_hhi(weights[period])
        rows.append({"period": labels[period], "applicants": len(weights[period]), "patents": len(ids[period]),
                     "cr4": cr4, "hhi": hhi, "reading": str(READINGS[reading(hhi)]), "drill": period,
                     "cr4_drill": f"{period}:top4"})
        drill[period] = ids[period]
        drill[f"{period}:top4"] = sorted({i for key in top for i in owned[period][key]})
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
