"""Regional positioning (区域定位): the project region's share of the industry's filings and its specialisation (the
location quotient, 区位熵) against its province and China; per city when the region is a province."""

from collections import defaultdict

from django.utils.translation import gettext as _

from ipoffice.indicators.charts import vega_spec

from ..counting import Rules
from ..dataset import Dataset
from . import Analysis, Column, analysis

DEFAULT_REGION = "440000"  # Guangdong


def prefix(code: str) -> str:
    """The significant prefix of a division code, as in the baseline: 440000 → 44, 440100 → 4401, 440106 itself."""
    if code[2:] == "0000":
        return code[:2]
    return code[:4] if code[4:] == "00" else code


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def location_quotient(industry: int, everything: int, reference_industry: int, reference_all: int) -> float | None:
    """(industry / all filings of the area) ÷ (industry / all filings of the reference); None when undefined."""
    own, reference = _ratio(industry, everything), _ratio(reference_industry, reference_all)
    return round(own / reference, 2) if own is not None and reference else None


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@analysis("positioning")
def positioning(dataset: Dataset, rules: Rules) -> Analysis:
    region = dataset.region or DEFAULT_REGION
    own, province = prefix(region), region[:2]
    ids = defaultdict(list)  # area prefix (and "CN") → the dataset's Chinese applications there
    for record in dataset.records:
        if record.office != "CN":
            continue
        ids["CN"].append(record.id)
        code = record.region
        if code:
            for area in {code[:2], code[:4], code}:
                ids[area].append(record.id)
    areas = [own] + ([province] if own != province else []) + ["CN"]
    if own == province:
        cities = {code[:4] for code in dataset.regions if code[:2] == province and code[2:4] != "00"}
        cities |= {key for key in dataset.baseline if len(key) == 4 and key[:2] == province}
        areas += sorted(cities, key=lambda c: (-len(ids[c]), c))
    base = dataset.baseline

    def name(area: str) -> str:
        if area == "CN":
            return _("China")
        return dataset.regions.get(area.ljust(6, "0"), area.ljust(6, "0"))

    rows, drill, values = [], {}, []
    for area in areas:
        n, total = len(ids[area]), base.get(area, 0)
        row = {"name": name(area), "code": area.ljust(6, "0") if area != "CN" else "CN", "filings": n,
               "all_filings": total, "share_province": _percent(n, len(ids[province])) if area != "CN" else None,
               "share_china": _percent(n, len(ids["CN"])),
               "lq_province": location_quotient(n, total, len(ids[province]), base.get(province, 0))
               if area != "CN" else None,
               "lq_china": location_quotient(n, total, len(ids["CN"]), base.get("CN", 0)), "drill": area}
        rows.append(row)
        drill[area] = ids[area]
        if area != "CN" and row["lq_china"] is not None:
            values.append({"name": row["name"], "lq": row["lq_china"]})
    chart = vega_spec(_("Specialisation against China (location quotient)"), values, {"layer": [
        {"mark": "bar", "encoding": {"y": {"field": "name", "type": "nominal", "sort": None, "title": None},
                                     "x": {"field": "lq", "type": "quantitative", "title": _("location quotient")}}},
        {"data": {"values": [{"one": 1}]}, "mark": {"type": "rule", "strokeDash": [4, 4]},
         "encoding": {"x": {"field": "one", "type": "quantitative"}}}]}, height=max(120, 18 * len(values)))
    return Analysis(
        key="positioning", title=_("Regional positioning"),
        method=_("Chinese applications of the dataset (the unit of the registry baseline) by the patent's region. "
                 "Share: the area's industry applications over the province's or China's. Location quotient = "
                 "(area's industry applications ÷ area's applications in the whole registry) ÷ (reference's industry "
                 "applications ÷ reference's applications in the whole registry), the reference being the province "
                 "or China; above 1 the area is specialised in the industry."),
        columns=[Column("name", _("area")), Column("code", _("code")), Column("filings", _("industry"), "int"),
                 Column("all_filings", _("all applications"), "int"),
                 Column("share_province", _("share of province (%)"), "percent"),
                 Column("share_china", _("share of China (%)"), "percent"),
                 Column("lq_province", _("LQ against province"), "float"),
                 Column("lq_china", _("LQ against China"), "float")],
        rows=rows, chart=chart, drill=drill,
        notes=[_("Region: %(name)s%(default)s.") % {"name": name(own), "default": "" if dataset.region else _(
            " (the project has no region; Guangdong by default)")}])
