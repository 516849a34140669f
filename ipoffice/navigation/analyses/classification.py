"""Technology breakdowns: IPC (and CPC) subclasses and main groups (分类号分布), and the project's technology
decomposition (技术分解) node by node, per year window."""

import heapq
from collections import defaultdict
from functools import lru_cache

from django.utils.translation import gettext as _

from ipoffice.indicators.charts import vega_spec

from ..counting import Rules
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import WINDOW, bar_chart, unit_label, window_label, window_lag_note, window_of, windows
from .prepared import prepared

TOP = 20


def main_group(symbol: str) -> str:
    """H01M10/052 → H01M10/00."""
    return symbol.split("/")[0] + "/00" if "/" in symbol else symbol


@lru_cache(maxsize=65536)
def _groups(symbols: tuple[str, ...]) -> frozenset[str]:
    """The distinct subclasses and main groups of a patent's symbols."""
    return frozenset(s[:4] for s in symbols) | {main_group(s) for s in symbols}


@analysis("ipc")
def ipc(dataset: Dataset, rules: Rules) -> Analysis:
    ids = {"ipc": defaultdict(list), "cpc": defaultdict(list)}  # scheme → subclass or main group → patent ids
    records = prepared(dataset, rules).records
    total = len(records)
    for record in records:
        for scheme, symbols in (("ipc", record.ipc), ("cpc", record.cpc)):
            if symbols:
                for symbol in _groups(tuple(symbols)):
                    ids[scheme][symbol].append(record.id)
    names = {"subclass": _("subclass"), "main_group": _("main group")}
    rows, drill, values = [], {}, []
    for scheme in ("ipc", "cpc"):
        for level in ("subclass", "main_group"):
            candidates = ((s, v) for s, v in ids[scheme].items() if ("/" in s) == (level == "main_group"))
            found = heapq.nsmallest(TOP, candidates, key=lambda item: (-len(item[1]), item[0]))
            for symbol, members in found:
                key = f"{scheme}:{symbol}"
                title = dataset.ipc_titles.get(symbol, "") if scheme == "ipc" else ""
                rows.append({"scheme": scheme.upper(), "level": names[level], "symbol": symbol, "title": title,
                             "count": len(members), "share": round(100 * len(members) / total, 1), "drill": key})
                drill[key] = members
                if scheme == "ipc" and level == "subclass":
                    values.append({"name": f"{symbol} {title}".strip(), "count": len(members)})
    return Analysis(
        key="ipc", title=_("IPC and CPC breakdown"),
        method=_("%(unit)s per classification symbol: each patent counts once under every distinct subclass and "
                 "main group among all its IPC (and CPC) symbols, main and secondary, so shares of the counted "
                 "patents can add up to more than 100 %%; the top %(top)s of each level.")
        % {"unit": unit_label(rules).capitalize(), "top": TOP},
        columns=[Column("scheme", _("scheme")), Column("level", _("level")), Column("symbol", _("symbol")),
                 Column("title", _("title")), Column("count", _("patents"), "int"),
                 Column("share", _("share (%)"), "percent")],
        rows=rows, chart=bar_chart(_("IPC subclasses"), values, "name", "count", unit_label(rules)), drill=drill)


def depths(nodes: list[dict]) -> dict[str, int]:
    """Each node's depth in the tree (0 for a top branch)."""
    parents = {n["code"]: n["parent"] for n in nodes}
    result = {}
    for code in parents:
        depth, parent = 0, parents[code]
        while parent and depth < len(parents):
            depth, parent = depth + 1, parents.get(parent, "")
        result[code] = depth
    return result


@analysis("nodes")
def nodes(dataset: Dataset, rules: Rules) -> Analysis:
    ids, by_window = defaultdict(list), defaultdict(list)
    years = set()
    data = prepared(dataset, rules)
    span_of = {year: window_of(year, rules) for year in data.in_year}
    for record, year in zip(data.records, data.years, strict=True):
        if not record.nodes:
            continue
        span = span_of[year]
        if year is not None:
            years.add(year)
        for code in record.nodes:
            ids[code].append(record.id)
            if span:
                by_window[code, span].append(record.id)
    spans = windows(rules, years)
    depth = depths(dataset.nodes)
    rows, drill, values = [], {}, []
    for node in dataset.nodes:
        code = node["code"]
        row = {"code": code, "name": node["name"], "depth": depth[code], "total": len(ids[code]), "drill": code}
        drill[code] = ids[code]
        for span in spans:
            column, key = f"w{span[0]}", f"{code}:{span[0]}-{span[1]}"
            row[column], row[f"{column}_drill"] = len(by_window[code, span]), key
            drill[key] = by_window[code, span]
            values.append({"node": f"{code} {node['name']}", "window": window_label(span),
                           "count": len(by_window[code, span])})
        rows.append(row)
    chart = vega_spec(_("Patents per technology branch"), values, {"mark": "bar", "encoding": {
        "y": {"field": "node", "type": "nominal", "sort": None, "title": None},
        "x": {"field": "count", "type": "quantitative", "title": unit_label(rules)},
        "color": {"field": "window", "type": "ordinal", "title": None}}}, height=max(120, 18 * len(rows)))
    return Analysis(
        key="nodes", title=_("Technology decomposition"),
        method=_("%(unit)s per branch of the technology decomposition in tree order: a branch holds its own "
                 "query's patents, its sub-branches' and the hand-tagged ones, so a patent counts in every branch "
                 "it belongs to; per %(size)s-year window of the date basis, the last ending with the cut-off year.")
        % {"unit": unit_label(rules).capitalize(), "size": WINDOW},
        columns=[Column("code", _("code")), Column("name", _("branch")), Column("depth", _("level"), "int"),
                 Column("total", _("total"), "int")]
        + [Column(f"w{s[0]}", window_label(s), "int") for s in spans],
        rows=rows, chart=chart, drill=drill, notes=window_lag_note(rules, spans))
