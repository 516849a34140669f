"""Key patents (重点专利): a 0–100 score from forward citations, family size, claims, legal status and patent type.

Each component rises linearly to its full weight at its cap and stays there:

=====================  ======  =========================================
component              weight  full at
=====================  ======  =========================================
forward citations      35      10 citations by other patents
family size            20      5 members (a lone patent scores 0)
claims                 15      20 claims
in force               20      legal status "granted" (有效)
invention              10      patent type invention (发明)
=====================  ======  =========================================

A patent scoring CORE_SCORE or more is a core patent (核心专利); monitoring warns before one expires.
"""

import heapq

from django.utils.translation import gettext as _

from ..counting import Rules
from ..dataset import Dataset, Record
from . import Analysis, Column, analysis
from .common import bar_chart
from .prepared import prepared

WEIGHTS = {"citations": 35, "family": 20, "claims": 15, "in_force": 20, "invention": 10}
CAPS = {"citations": 10, "family": 4, "claims": 20}  # family: members beyond the first
CORE_SCORE = 60.0
TOP = 20


_PER_UNIT = {name: WEIGHTS[name] / cap for name, cap in CAPS.items()}


def _points(record: Record) -> tuple[float, float, float, float, float]:
    """The points of each component, in the order of WEIGHTS (plain arithmetic: scored for every patent)."""
    citations, members, claims = record.forward_citations, record.family_size - 1, record.claims_count or 0
    return (_PER_UNIT["citations"] * (citations if citations < CAPS["citations"] else CAPS["citations"]),
            _PER_UNIT["family"] * (members if members < CAPS["family"] else CAPS["family"]) if members > 0 else 0,
            _PER_UNIT["claims"] * (claims if claims < CAPS["claims"] else CAPS["claims"]),
            WEIGHTS["in_force"] if record.legal_status == "granted" else 0,
            WEIGHTS["invention"] if record.patent_type == "invention" else 0)


def components(record: Record) -> dict[str, float]:
    """The points of each component (their sum is the score)."""
    return dict(zip(WEIGHTS, _points(record), strict=True))


def score(record: Record) -> float:
    """The key-patent score, 0–100."""
    return round(sum(_points(record)), 2)


@analysis("key_patents")
def key_patents(dataset: Dataset, rules: Rules) -> Analysis:
    scored = [(score(r), r) for r in prepared(dataset, rules).records]
    core = sorted((item for item in scored if item[0] >= CORE_SCORE), key=lambda item: (-item[0], item[1].id))
    rows, drill = [], {"core": [r.id for _s, r in core]}
    top = heapq.nsmallest(TOP, scored, key=lambda item: (-item[0], item[1].id))
    for rank, (value, record) in enumerate(top, 1):
        applicant = record.applicants[0] if record.applicants else None
        rows.append({"rank": rank, "number": record.number, "title": record.title,
                     "applicant": (applicant.entity or applicant.name) if applicant else "",
                     "score": value, **{k: round(v, 2) for k, v in components(record).items()},
                     "drill": str(record.id)})
        drill[str(record.id)] = [record.id]
    values = [{"name": f"{r['number']}", "score": r["score"]} for r in rows]
    return Analysis(
        key="key_patents", title=_("Key patents"),
        method=_("Score 0–100: forward citations up to 35 points (full at 10), family size up to 20 (full at 5 "
                 "members), claims up to 15 (full at 20), 20 when in force, 10 for an invention; the top %(top)s "
                 "shown, %(core)s or more is a core patent.") % {"top": TOP, "core": int(CORE_SCORE)},
        columns=[Column("rank", "#", "int"), Column("number", _("number")), Column("title", _("title")),
                 Column("applicant", _("applicant")), Column("score", _("score"), "float"),
                 Column("citations", _("citations"), "float"), Column("family", _("family"), "float"),
                 Column("claims", _("claims"), "float"), Column("in_force", _("in force"), "float"),
                 Column("invention", _("invention"), "float")],
        rows=rows, chart=bar_chart(_("Key patents"), values, "name", "score", _("score")), drill=drill,
        notes=[_("%(n)s core patents (score %(core)s or more).") % {"n": len(drill["core"]),
                                                                    "core": int(CORE_SCORE)}])
