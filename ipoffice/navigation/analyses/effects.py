"""Technology-effect matrix (技术功效矩阵): technology branches against the effects they achieve, each cell the
patents of that branch claiming that effect; empty cells hint at white space (空白点)."""

from collections import defaultdict

from django.utils.translation import gettext as _

from ipoffice.indicators.charts import vega_spec

from ..counting import Rules
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import unit_label
from .prepared import prepared


@analysis("effect_matrix")
def effect_matrix(dataset: Dataset, rules: Rules) -> Analysis:
    cells = defaultdict(list)
    for record in prepared(dataset, rules).records:
        for code in record.nodes:
            for effect in record.effects:
                cells[code, effect].append(record.id)
    columns = {effect: f"e{i}" for i, effect in enumerate(dataset.effects)}
    rows, drill, values = [], {}, []
    for node in dataset.nodes:
        code = node["code"]
        row = {"code": code, "name": node["name"]}
        for effect, column in columns.items():
            key = f"{code}|{effect}"
            row[column], row[f"{column}_drill"] = len(cells[code, effect]), key
            drill[key] = cells[code, effect]
            values.append({"node": f"{code} {node['name']}", "effect": effect, "count": len(cells[code, effect])})
        rows.append(row)
    chart = vega_spec(_("Technology-effect matrix"), values, {"layer": [
        {"mark": {"type": "circle", "opacity": 0.7}, "encoding": {
            "x": {"field": "effect", "type": "nominal", "sort": None, "title": None, "axis": {"orient": "top"}},
            "y": {"field": "node", "type": "nominal", "sort": None, "title": None},
            "size": {"field": "count", "type": "quantitative", "title": unit_label(rules)}}},
        {"mark": {"type": "text", "fontSize": 10}, "transform": [{"filter": "datum.count > 0"}], "encoding": {
            "x": {"field": "effect", "type": "nominal", "sort": None},
            "y": {"field": "node", "type": "nominal", "sort": None},
            "text": {"field": "count"}}}]},
        width=max(240, 70 * len(columns)), height=max(120, 24 * len(rows)))
    return Analysis(
        key="effect_matrix", title=_("Technology-effect matrix"),
        method=_("%(unit)s in each technology branch (rows, tree order) with each effect (columns): a patent counts "
                 "in every cell of its branches and effects; a cell drills down by \"branch|effect\".")
        % {"unit": unit_label(rules).capitalize()},
        columns=[Column("code", _("code")), Column("name", _("branch"))]
        + [Column(column, effect, "int") for effect, column in columns.items()],
        rows=rows, chart=chart, drill=drill)
