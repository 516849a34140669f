"""Top applicants (申请人排名, entity-resolved) and top inventors (发明人排名)."""

from collections import defaultdict

from django.utils.translation import gettext as _

from ..counting import Rules, counted, shares, year_of
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import applicant_key, bar_chart, counting_label, grant_date, inventor_key, rounded, unit_label

TOP = 20


class _Tally:
    """Per player: weighted count, patents, years and grants."""

    def __init__(self):
        self.weight, self.ids, self.labels = defaultdict(float), defaultdict(list), {}
        self.years, self.granted = defaultdict(set), defaultdict(int)

    def add(self, key, label, weight, record, year):
        self.weight[key] += weight
        self.ids[key].append(record.id)
        self.labels.setdefault(key, label)
        if year is not None:
            self.years[key].add(year)
        if grant_date(record):
            self.granted[key] += 1

    def top(self) -> list[str]:
        return sorted(self.weight, key=lambda k: (-self.weight[k], self.labels[k], k))[:TOP]


def _tally(dataset: Dataset, rules: Rules, players) -> tuple[_Tally, int]:
    tally, total = _Tally(), 0
    for record in counted(dataset.records, rules):
        total += 1
        year = year_of(record, rules)
        weights, labels = defaultdict(float), {}
        for (key, label), weight in shares(players(record), rules):
            weights[key] += weight  # one entity named twice on a patent counts once, with both shares
            labels.setdefault(key, label)
        for key, weight in weights.items():
            tally.add(key, labels[key], weight, record, year)
    return tally, total


def _ranking(key: str, title: str, who: str, tally: _Tally, total: int, rules: Rules, method: str,
             grant_rate: bool) -> Analysis:
    rows, drill = [], {}
    for rank, player in enumerate(tally.top(), 1):
        years = tally.years[player]
        row = {"rank": rank, "name": tally.labels[player], "count": rounded(tally.weight[player]),
               "share": round(100 * tally.weight[player] / total, 1) if total else 0.0,
               "first_year": min(years) if years else None, "last_year": max(years) if years else None,
               "drill": player}
        if grant_rate:
            row["grant_rate"] = round(100 * tally.granted[player] / len(tally.ids[player]), 1)
        rows.append(row)
        drill[player] = tally.ids[player]
    columns = [Column("rank", "#", "int"), Column("name", who), Column("count", unit_label(rules), "float"),
               Column("share", _("share (%)"), "percent"), Column("first_year", _("first year")),
               Column("last_year", _("last year"))]
    if grant_rate:
        columns.append(Column("grant_rate", _("granted (%)"), "percent"))
    values = [{"name": r["name"], "count": r["count"]} for r in rows]
    return Analysis(key=key, title=title, method=method, columns=columns, rows=rows,
                    chart=bar_chart(title, values, "name", "count", unit_label(rules)), drill=drill)


@analysis("top_applicants")
def top_applicants(dataset: Dataset, rules: Rules) -> Analysis:
    tally, total = _tally(dataset, rules, lambda record: [applicant_key(a) for a in record.applicants])
    return _ranking("top_applicants", _("Top applicants"), _("applicant"), tally, total, rules, _(
        "The %(top)s applicants with most %(unit)s, an applicant being its resolved entity or else its normalised "
        "name, each patent shared among its applicants by the counting rule (%(rule)s); share of all counted "
        "patents; first and last year of the date basis; granted: share of its patents with a grant.")
        % {"top": TOP, "unit": unit_label(rules), "rule": counting_label(rules)}, grant_rate=True)


@analysis("top_inventors")
def top_inventors(dataset: Dataset, rules: Rules) -> Analysis:
    tally, total = _tally(dataset, rules, lambda record: [inventor_key(n) for n in record.inventors])
    return _ranking("top_inventors", _("Top inventors"), _("inventor"), tally, total, rules, _(
        "The %(top)s inventors (by name) with most %(unit)s, each patent shared among its inventors by the "
        "counting rule (%(rule)s); share of all counted patents; first and last year of the date basis.")
        % {"top": TOP, "unit": unit_label(rules), "rule": counting_label(rules)}, grant_rate=False)
