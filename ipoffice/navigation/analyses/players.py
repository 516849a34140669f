"""Top applicants (申请人排名, entity-resolved) and top inventors (发明人排名)."""

import heapq

from django.utils.translation import gettext as _

from ..counting import Rules
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import bar_chart, counting_label, rounded, unit_label
from .prepared import prepared

TOP = 20


def _ranking(key: str, title: str, who: str, dataset: Dataset, rules: Rules, method: str, inventors: bool
             ) -> Analysis:
    data = prepared(dataset, rules)
    players = data.inventors if inventors else data.applicants
    weights, members = players.totals, players.holders
    total = len(data.records)
    top = heapq.nsmallest(TOP, weights, key=lambda k: (-weights[k], data.labels[k], k))
    rows, drill = [], {}
    for rank, player in enumerate(top, 1):
        years = [data.years[i] for i in members[player] if data.years[i] is not None]
        row = {"rank": rank, "name": data.labels[player], "count": rounded(weights[player]),
               "share": round(100 * weights[player] / total, 1),
               "first_year": min(years, default=None), "last_year": max(years, default=None), "drill": player}
        if not inventors:
            row["grant_rate"] = round(100 * sum(data.granted[i] for i in members[player]) / len(members[player]), 1)
        rows.append(row)
        drill[player] = [data.records[i].id for i in members[player]]
    columns = [Column("rank", "#", "int"), Column("name", who), Column("count", unit_label(rules), "float"),
               Column("share", _("share (%)"), "percent"), Column("first_year", _("first year")),
               Column("last_year", _("last year"))]
    if not inventors:
        columns.append(Column("grant_rate", _("granted (%)"), "percent"))
    values = [{"name": r["name"], "count": r["count"]} for r in rows]
    return Analysis(key=key, title=title, method=method, columns=columns, rows=rows,
                    chart=bar_chart(title, values, "name", "count", unit_label(rules)), drill=drill)


@analysis("top_applicants")
def top_applicants(dataset: Dataset, rules: Rules) -> Analysis:
    return _ranking("top_applicants", _("Top applicants"), _("applicant"), dataset, rules, _(
        "The %(top)s applicants with most %(unit)s, an applicant being its resolved entity or else its normalised "
        "name, each patent shared among its applicants by the counting rule (%(rule)s); share of all counted "
        "patents; first and last year of the date basis; granted: share of its patents with a grant.")
        % {"top": TOP, "unit": unit_label(rules), "rule": counting_label(rules)}, inventors=False)


@analysis("top_inventors")
def top_inventors(dataset: Dataset, rules: Rules) -> Analysis:
    return _ranking("top_inventors", _("Top inventors"), _("inventor"), dataset, rules, _(
        "The %(top)s inventors (by name) with most %(unit)s, each patent shared among its inventors by the "
        "counting rule (%(rule)s); share of all counted patents; first and last year of the date basis.")
        % {"top": TOP, "unit": unit_label(rules), "rule": counting_label(rules)}, inventors=True)
