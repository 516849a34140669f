"""Technology breakdowns: IPC (and CPC) subclasses and main groups (分类号分布), and the project's technology
decomposition (技术分解) node by node, per year window."""

from collections import defaultdict

from django.utils.translation import gettext as _

from ipoffice.indicators.charts import vega_spec

from ..counting import Rules, counted, year_of
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import WINDOW, bar_chart, unit_label, window_label, window_lag_note, window_of, windows

TOP = 20


def main_group(symbol: str) -> str:
    """H01M10/052 → H01M10/00."""
    return symbol.split("/")[0] + "/00" if "/" in symbol else symbol


@analysis("ipc")
def ipc(dataset: Dataset, rules: Rules) -> Analysis:
    ids = defaultdict(list)  # (scheme, level, symbol) → patent ids
    total = 0
    for record in counted(dataset.records, rules):
        total += 1
        for scheme, symbols in (("ipc", record.ipc), ("cpc", record.cpc)):
            for level, symbol in {(level, symbol) for s in symbols
                                  for level, symbol in (("subclass", s[:4]), ("main_group", main_group(s)))}:
                ids[scheme, level, symbol].append(record.id)
    names = {"subclass": _("subclass"), "main_group": _("main group")}
    rows, drill, values = [], {}, []
    for scheme in ("ipc", "cpc"):
        for level in ("subclass", "main_group"):
            found = sorted(((s, v) for (sc, lv, s), v in ids.items() if sc == scheme and lv == level),
                           key=lambda item: (-len(item[1]), item[0]))[:TOP]
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
                 "patents add up to more than 100 %%; the top %(top)s of each level.")
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
    for record in counted(dataset.records, rules):
        year = year_of(record, rules)
        span = window_of(year, rules)
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
