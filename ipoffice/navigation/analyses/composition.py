"""Composition (构成): patents by type (invention 发明, utility model 实用新型, design 外观设计) and by applicant
kind (enterprise, university, institute, individual, other or unresolved)."""

from collections import defaultdict

from django.utils.translation import gettext as _

from ipoffice.entities.models import Entity
from ipoffice.patents.models import PatentType

from ..counting import Rules
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import bar_chart, counting_label, rounded, unit_label
from .prepared import prepared

KINDS = ["enterprise", "university", "institute", "individual", "other"]


def kind_of(kind: str) -> str:
    return kind if kind in KINDS else "other"


def _label(dimension: str, value: str) -> str:
    if dimension == "type":
        return str(PatentType(value).label) if value in PatentType.values else value or _("unknown")
    return str(Entity.Kind(value).label) if value in Entity.Kind.values else _("other or unresolved")


@analysis("composition")
def composition(dataset: Dataset, rules: Rules) -> Analysis:
    weights = {"type": defaultdict(float), "kind": defaultdict(float)}
    ids = {"type": defaultdict(list), "kind": defaultdict(list)}
    data = prepared(dataset, rules)
    for record in data.records:
        weights["type"][record.patent_type] += 1
        ids["type"][record.patent_type].append(record.id)
    members = defaultdict(set)  # kind → record indices
    for key, weight in data.applicants.totals.items():
        kind = kind_of(data.kinds.get(key, ""))
        weights["kind"][kind] += weight
        members[kind].update(data.applicants.holders[key])
    alone = [i for i, weighted in enumerate(data.applicants.weighted) if not weighted]
    if alone:
        weights["kind"]["other"] += len(alone)
        members["other"].update(alone)
    for kind, indices in members.items():
        ids["kind"][kind] = [data.records[i].id for i in sorted(indices)]
    order = {"type": [t for t in PatentType.values if t in weights["type"]]
             + sorted(t for t in weights["type"] if t not in PatentType.values),
             "kind": [k for k in KINDS if k in weights["kind"]]}
    dimensions = {"type": _("patent type"), "kind": _("applicant kind")}
    rows, drill, values = [], {}, []
    for dimension, values_order in order.items():
        total = sum(weights[dimension].values())
        for value in values_order:
            count = weights[dimension][value]
            key = f"{dimension}:{value}"
            rows.append({"dimension": dimensions[dimension], "category": _label(dimension, value),
                         "count": rounded(count), "share": round(100 * count / total, 1), "drill": key})
            drill[key] = ids[dimension][value]
            values.append({"category": _label(dimension, value), "count": rounded(count),
                           "dimension": dimensions[dimension]})
    return Analysis(
        key="composition", title=_("Composition by patent type and applicant kind"),
        method=_("%(unit)s by patent type; by applicant kind each counted patent goes to its applicants' kinds by "
                 "the applicant counting rule (%(rule)s), an applicant without a resolved kind (or a patent without "
                 "applicants) counting as other; shares are of each breakdown's total.")
        % {"unit": unit_label(rules).capitalize(), "rule": counting_label(rules)},
        columns=[Column("dimension", _("breakdown")), Column("category", _("category")),
                 Column("count", _("count"), "float"), Column("share", _("share (%)"), "percent")],
        rows=rows, chart=bar_chart(_("Composition"), values, "category", "count", unit_label(rules), "dimension"),
        drill=drill)
