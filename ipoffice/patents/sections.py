"""The patents sections of the entity and region pages: counts by type and status, and the latest patents."""

from django.db.models import Count
from django.utils.translation import gettext as _

from .models import Party, Patent, PatentType


def _summary(patents) -> dict:
    by_type = dict(patents.values_list("patent_type").annotate(n=Count("id")))
    return {
        "total": patents.count(),
        "by_type": [(label, by_type.get(value, 0)) for value, label in PatentType.choices if by_type.get(value)],
        "granted": patents.filter(legal_status="granted").count(),
        "latest": patents.order_by("-application_date", "-id")[:10],
    }


def entity_patents(entity) -> dict | None:
    ids = Party.objects.filter(entity=entity, role=Party.Role.APPLICANT).values("patent_id")
    patents = Patent.objects.filter(pk__in=ids)
    if not patents.exists():
        return None
    return {"title": _("Patents"), "template": "patents/_section.html",
            **_summary(patents)}


def region_patents(region) -> dict | None:
    patents = Patent.objects.filter(region__code__startswith=region.code_prefix)
    if not patents.exists():
        return None
    return {"title": _("Patents"), "template": "patents/_section.html",
            **_summary(patents)}
