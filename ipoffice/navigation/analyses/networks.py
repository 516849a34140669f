"""Collaboration networks (合作网络) of co-applicants and co-inventors, and their export as GEXF 1.3 (Gephi) and
GraphML.

A network analysis keeps the TOP nodes with most partners in ``extra`` = {"nodes": [{"id", "label", "weight",
"degree"}], "edges": [{"source", "target", "weight"}]} (the edges among them); node weight = patents, edge weight =
patents filed together.
"""

import heapq
import math
from collections import Counter, defaultdict
from itertools import combinations

from django.utils.translation import gettext as _
from lxml import etree

from ipoffice.indicators.charts import vega_spec

from ..counting import Rules
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import unit_label
from .prepared import prepared

TOP = 30
GEXF = "http://gexf.net/1.3"
GRAPHML = "http://graphml.graphdrawing.org/xmlns"


def _graph(groups: list[tuple[str, ...]]) -> tuple[Counter, Counter, dict]:
    """Co-filed patents per node and per pair, partners per node (from each record's distinct players)."""
    cofiled, pairs, partners = Counter(), Counter(), defaultdict(set)
    for group in groups:
        if len(group) > 1:
            cofiled.update(group)
            for a, b in combinations(sorted(group), 2):
                pairs[a, b] += 1
                partners[a].add(b)
                partners[b].add(a)
    return cofiled, pairs, partners


def _network(key: str, title: str, who: str, dataset: Dataset, rules: Rules, inventors: bool) -> Analysis:
    data = prepared(dataset, rules)
    groups = (data.inventors if inventors else data.applicants).every
    cofiled, pairs, partners = _graph(groups)
    labels = data.labels
    kept = heapq.nsmallest(TOP, partners, key=lambda k: (-len(partners[k]), -cofiled[k], labels[k], k))
    chosen = set(kept)
    edges = [{"source": a, "target": b, "weight": n}
             for (a, b), n in sorted(item for item in pairs.items() if item[0][0] in chosen and item[0][1] in chosen)]
    ids = {k: [] for k in kept}
    for record, group in zip(data.records, groups, strict=True):
        for player in group:
            if player in chosen:
                ids[player].append(record.id)
    nodes = [{"id": k, "label": labels[k], "weight": len(ids[k]), "degree": len(partners[k])} for k in kept]
    rows = [{"name": n["label"], "patents": n["weight"], "partners": n["degree"], "drill": n["id"]} for n in nodes]
    return Analysis(
        key=key, title=title,
        method=_("Nodes are %(who)s (node weight: %(unit)s), edges join two that filed together (edge weight: "
                 "%(unit)s filed together); the %(top)s with most partners (then most patents filed with others) are "
                 "kept, with the edges among them.")
        % {"who": who, "unit": unit_label(rules), "top": TOP},
        columns=[Column("name", who), Column("patents", unit_label(rules), "int"),
                 Column("partners", _("partners"), "int")],
        rows=rows, chart=_chart(title, nodes, edges), drill=ids,
        extra={"nodes": nodes, "edges": edges})


def _chart(title: str, nodes: list[dict], edges: list[dict]) -> dict:
    """Nodes on a circle (no force layout in Vega-Lite), sized by patents; edges as lines, wider for more."""
    place = {n["id"]: (math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes)))
             for i, n in enumerate(nodes)}
    node_values = [{"x": place[n["id"]][0], "y": place[n["id"]][1], "label": n["label"], "weight": n["weight"]}
                   for n in nodes]
    edge_values = [{"x": place[e["source"]][0], "y": place[e["source"]][1], "x2": place[e["target"]][0],
                    "y2": place[e["target"]][1], "weight": e["weight"]} for e in edges]
    hidden = {"axis": None, "scale": {"domain": [-1.5, 1.5]}}
    return vega_spec(title, [], {"layer": [
        {"data": {"values": edge_values}, "mark": {"type": "rule", "color": "#8aa4c8", "opacity": 0.6},
         "encoding": {"x": {"field": "x", "type": "quantitative", **hidden},
                      "y": {"field": "y", "type": "quantitative", **hidden},
                      "x2": {"field": "x2"}, "y2": {"field": "y2"},
                      "strokeWidth": {"field": "weight", "type": "quantitative", "legend": None}}},
        {"data": {"values": node_values}, "mark": {"type": "circle", "color": "#0b5cad"},
         "encoding": {"x": {"field": "x", "type": "quantitative", **hidden},
                      "y": {"field": "y", "type": "quantitative", **hidden},
                      "size": {"field": "weight", "type": "quantitative", "legend": None}}},
        {"data": {"values": node_values}, "mark": {"type": "text", "dy": -10, "fontSize": 9},
         "encoding": {"x": {"field": "x", "type": "quantitative", **hidden},
                      "y": {"field": "y", "type": "quantitative", **hidden}, "text": {"field": "label"}}},
    ]}, width=520, height=520)


@analysis("co_applicants")
def co_applicants(dataset: Dataset, rules: Rules) -> Analysis:
    return _network("co_applicants", _("Co-applicant network"), _("applicants"), dataset, rules, inventors=False)


@analysis("co_inventors")
def co_inventors(dataset: Dataset, rules: Rules) -> Analysis:
    return _network("co_inventors", _("Co-inventor network"), _("inventors"), dataset, rules, inventors=True)


def to_gexf(result: Analysis) -> str:
    """The network as GEXF 1.3 (undirected, node attribute "patents", edge weights)."""
    root = etree.Element(f"{{{GEXF}}}gexf", nsmap={None: GEXF}, version="1.3")
    graph = etree.SubElement(root, f"{{{GEXF}}}graph", defaultedgetype="undirected", mode="static")
    attributes = etree.SubElement(graph, f"{{{GEXF}}}attributes", {"class": "node"})
    etree.SubElement(attributes, f"{{{GEXF}}}attribute", id="patents", title="patents", type="integer")
    nodes = etree.SubElement(graph, f"{{{GEXF}}}nodes")
    for node in result.extra["nodes"]:
        element = etree.SubElement(nodes, f"{{{GEXF}}}node", id=node["id"], label=node["label"])
        values = etree.SubElement(element, f"{{{GEXF}}}attvalues")
        etree.SubElement(values, f"{{{GEXF}}}attvalue", {"for": "patents", "value": str(node["weight"])})
    edges = etree.SubElement(graph, f"{{{GEXF}}}edges")
    for i, edge in enumerate(result.extra["edges"]):
        etree.SubElement(edges, f"{{{GEXF}}}edge", id=str(i), source=edge["source"], target=edge["target"],
                         weight=str(edge["weight"]))
    return etree.tostring(root, encoding="unicode", pretty_print=True)


def to_graphml(result: Analysis) -> str:
    """The network as GraphML (undirected; node keys label and patents, edge key weight)."""
    root = etree.Element(f"{{{GRAPHML}}}graphml", nsmap={None: GRAPHML})
    for key, domain, name, kind in (("label", "node", "label", "string"), ("patents", "node", "patents", "int"),
                                    ("weight", "edge", "weight", "int")):
        etree.SubElement(root, f"{{{GRAPHML}}}key", {"id": key, "for": domain, "attr.name": name,
                                                     "attr.type": kind})
    graph = etree.SubElement(root, f"{{{GRAPHML}}}graph", id=result.key, edgedefault="undirected")
    for node in result.extra["nodes"]:
        element = etree.SubElement(graph, f"{{{GRAPHML}}}node", id=node["id"])
        etree.SubElement(element, f"{{{GRAPHML}}}data", key="label").text = node["label"]
        etree.SubElement(element, f"{{{GRAPHML}}}data", key="patents").text = str(node["weight"])
    for edge in result.extra["edges"]:
        element = etree.SubElement(graph, f"{{{GRAPHML}}}edge", source=edge["source"], target=edge["target"])
        etree.SubElement(element, f"{{{GRAPHML}}}data", key="weight").text = str(edge["weight"])
    return etree.tostring(root, encoding="unicode", pretty_print=True)
