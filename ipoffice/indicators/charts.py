"""Charts as Vega-Lite specs, rendered to SVG by vl-convert: the same spec serves the web page and the PDF."""

import json
from functools import lru_cache

from django.utils.translation import gettext as _

STATUS_COLOURS = {"achieved": "#1b7f3b", "on_track": "#4caf50", "at_risk": "#f0a202", "off_track": "#c62828",
                  "no_data": "#9e9e9e"}
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
_CONFIG = {"font": FONT, "axis": {"labelFont": FONT, "titleFont": FONT},
           "legend": {"labelFont": FONT, "titleFont": FONT}, "title": {"font": FONT}, "view": {"stroke": None}}


def vega_spec(title: str, values: list[dict], layers_or_mark: dict, width=520, height=240) -> dict:
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": title, "width": width,
            "height": height, "data": {"values": values}, "config": _CONFIG}
    spec.update(layers_or_mark)
    return spec


def series_chart(evaluation) -> dict:
    """Observed values against the target path (baseline → target in the target year, dashed)."""
    values = [{"year": str(y), "value": v, "kind": _("observed")} for y, v in sorted(evaluation.series.items())]
    path = []
    if evaluation.baseline is not None and evaluation.kind != "growth_rate":
        path = [{"year": str(evaluation.baseline_year), "value": evaluation.baseline, "kind": _("target path")},
                {"year": str(evaluation.target_year), "value": evaluation.target, "kind": _("target path")}]
    elif evaluation.kind == "growth_rate" and evaluation.baseline is not None:
        rate = evaluation.target / 100
        path = [{"year": str(y), "value": evaluation.baseline * (1 + rate) ** (y - evaluation.baseline_year),
                 "kind": _("target path")} for y in range(evaluation.baseline_year, evaluation.target_year + 1)]
    years = sorted({int(p["year"]) for p in values + path} | {evaluation.base_year, evaluation.target_year})
    encoding = {
        "x": {"field": "year", "type": "ordinal", "title": _("year"), "sort": [str(y) for y in years],
              "scale": {"domain": [str(y) for y in range(min(years), max(years) + 1)]}},
        "y": {"field": "value", "type": "quantitative", "title": evaluation.unit},
        "color": {"field": "kind", "type": "nominal", "title": None,
                  "scale": {"range": ["#0b5cad", "#c62828"]}},
        "strokeDash": {"field": "kind", "type": "nominal", "legend": None,
                       "scale": {"range": [[1, 0], [6, 4]]}},
    }
    return vega_spec(evaluation.name_zh, values + path, {"mark": {"type": "line", "point": True}, "encoding": encoding})


def city_bar_chart(title: str, rows, unit: str) -> dict:
    """One bar per city, coloured by region group."""
    values = [{"city": r.name, "value": r.value, "group": r.group or "-"} for r in rows if r.value is not None]
    return vega_spec(title, values, {"mark": "bar", "encoding": {
        "y": {"field": "city", "type": "nominal", "sort": "-x", "title": None},
        "x": {"field": "value", "type": "quantitative", "title": unit},
        "color": {"field": "group", "type": "nominal", "title": _("region group")}}}, height=max(120, 16 * len(values)))


def status_chart(evaluations) -> dict:
    """How many targets are achieved, on track, at risk, off track or without data."""
    counts = {}
    for e in evaluations:
        counts[e.status] = counts.get(e.status, 0) + 1
    order = list(STATUS_COLOURS)
    values = [{"status": _(s.replace("_", " ")), "key": s, "count": counts.get(s, 0)} for s in order]
    return vega_spec(_("Targets by status"), values, {"mark": "bar", "encoding": {
        "x": {"field": "status", "type": "nominal", "sort": None, "title": None},
        "y": {"field": "count", "type": "quantitative", "title": _("targets")},
        "color": {"field": "key", "type": "nominal", "legend": None,
                  "scale": {"domain": order, "range": [STATUS_COLOURS[s] for s in order]}}}}, height=180)


def rank_interval_chart(title: str, units: list[dict]) -> dict:
    """Composite-index ranks: nominal rank with the 5–95 % Monte-Carlo interval."""
    return vega_spec(title, units, {"layer": [
        {"mark": "rule", "encoding": {"y": {"field": "name", "type": "nominal", "sort": {"field": "rank"},
                                             "title": None},
                                       "x": {"field": "rank_low", "type": "quantitative", "title": _("rank"),
                                             "scale": {"reverse": True}},
                                       "x2": {"field": "rank_high"}}},
        {"mark": {"type": "point", "filled": True, "size": 60},
         "encoding": {"y": {"field": "name", "type": "nominal", "sort": {"field": "rank"}},
                      "x": {"field": "rank", "type": "quantitative"}}},
    ]}, height=max(120, 16 * len(units)))


def to_svg(spec: dict) -> str:
    """Render a spec to SVG (cached by its JSON, so a report renders each chart once)."""
    return _render(json.dumps(spec, sort_keys=True, ensure_ascii=False))


@lru_cache(maxsize=256)
def _render(spec_json: str) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(json.loads(spec_json))
    return svg[svg.index("<svg"):]
