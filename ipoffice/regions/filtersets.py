import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Region


class RegionFilterSet(django_filters.FilterSet):
    """Regions by level, parent, region group, code prefix (within) and name."""

    parent = django_filters.CharFilter(field_name="parent__code", label=_("parent code"))
    group = django_filters.CharFilter(field_name="groups__code", label=_("region group code (prd, east, ...)"))
    within = django_filters.CharFilter(method="filter_within", label=_("code of an enclosing region"))
    name = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("name contains"))

    class Meta:
        model = Region
        fields = ["level", "parent", "group", "within", "name"]

    def filter_within(self, queryset, name, value):
        digits = value.strip().rstrip("0") or value
        if len(digits) % 2:
            digits += "0"
        return queryset.filter(code__startswith=digits)
