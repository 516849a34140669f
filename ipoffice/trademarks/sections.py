"""The trademark sections of the entity and region pages: counts by status and kind, and the latest marks."""

from django.db.models import Count
from django.utils.translation import gettext as _

from .models import MarkStatus, Trademark, TrademarkParty


def _summary(marks) -> dict:
    by_status = dict(marks.values_list("status").annotate(n=Count("id")))
    return {
        "total": marks.count(),
        "by_status": [(label, by_status[value]) for value, label in MarkStatus.choices if by_status.get(value)],
        "registered": by_status.get(MarkStatus.REGISTERED, 0),
        "gi": marks.filter(is_geographical_indication=True).count(),
        "madrid": marks.exclude(madrid_role="").count(),
        "latest": marks.order_by("-filing_date", "-id")[:10],
    }


def entity_trademarks(entity) -> dict | None:
    ids = TrademarkParty.objects.filter(entity=entity, role=TrademarkParty.Role.OWNER).values("trademark_id")
    marks = Trademark.objects.filter(pk__in=ids)
    if not marks.exists():
        return None
    return {"title": _("Trademarks"), "template": "trademarks/_section.html", "entity": entity, **_summary(marks)}


def region_trademarks(region) -> dict | None:
    marks = Trademark.objects.filter(region__code__startswith=region.code_prefix)
    if not marks.exists():
        return None
    return {"title": _("Trademarks"), "template": "trademarks/_section.html", **_summary(marks)}
