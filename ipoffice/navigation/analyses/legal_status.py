"""Legal status (法律状态) and transaction activity (运营): transfers (转让), licences (许可) and pledges (质押) per
year from the legal events."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipoffice.indicators.charts import vega_spec
from ipoffice.patents.models import LegalStatus

from ..counting import Rules
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import unit_label
from .prepared import prepared

STATUSES = ["pending", "granted", "lapsed", "withdrawn", "invalidated", ""]
TRANSACTIONS = {"transfer": gettext_lazy("transfers"), "licence": gettext_lazy("licences"),
                "pledge": gettext_lazy("pledges")}


@analysis("legal_status")
def legal_status(dataset: Dataset, rules: Rules) -> Analysis:
    by_status, events = defaultdict(list), defaultdict(int)
    patents = defaultdict(list)  # (year, kind) → patents with such an event that year
    total = 0
    for record in prepared(dataset, rules).records:
        total += 1
        by_status[record.legal_status if record.legal_status in STATUSES else ""].append(record.id)
        for day, _code, kind in record.events:
            if kind in TRANSACTIONS:
                slot = int(day[:4]), kind
                events[slot] += 1
                if not patents[slot] or patents[slot][-1] != record.id:
                    patents[slot].append(record.id)
    rows, drill = [], {}
    for status in STATUSES:
        if by_status[status]:
            key = f"status:{status}"
            rows.append({"group": _("legal status"), "item": str(LegalStatus(status).label),
                         "count": len(by_status[status]), "share": round(100 * len(by_status[status]) / total, 1),
                         "drill": key})
            drill[key] = by_status[status]
    years = sorted({year for year, _kind in events})
    values = []
    for year in years:
        for kind, label in TRANSACTIONS.items():
            if events[year, kind]:
                key = f"{kind}:{year}"
                rows.append({"group": str(year), "item": str(label), "count": events[year, kind], "share": None,
                             "drill": key})
                drill[key] = patents[year, kind]
                values.append({"year": str(year), "kind": str(label), "count": events[year, kind]})
    chart = vega_spec(_("Transfers, licences and pledges per year"), values, {"mark": "bar", "encoding": {
        "x": {"field": "year", "type": "ordinal", "title": _("year")},
        "y": {"field": "count", "type": "quantitative", "title": _("events")},
        "color": {"field": "kind", "type": "nominal", "title": None}}})
    notes = [_("%(year)s counts the events up to the cut-off %(cutoff)s only.")
             % {"year": rules.cutoff.year, "cutoff": rules.cutoff.isoformat()}] \
        if rules.cutoff.year in years and (rules.cutoff.month, rules.cutoff.day) != (12, 31) else []
    return Analysis(
        key="legal_status", title=_("Legal status and transactions"),
        method=_("%(unit)s by current legal status (share of all); then transfer, licence and pledge events per "
                 "year of the event (a patent transferred twice in a year counts two events; the drill-down lists "
                 "the patents).") % {"unit": unit_label(rules).capitalize()},
        columns=[Column("group", _("status or year")), Column("item", _("item")), Column("count", _("count"), "int"),
                 Column("share", _("share (%)"), "percent")],
        rows=rows, chart=chart, drill=drill, notes=notes)
