import django_filters
from django.utils.translation import gettext_lazy as _

from ipoffice.regions.services import normalise_code

from .models import Entity
from .services import search_entities


class EntityFilterSet(django_filters.FilterSet):
    """Entities by kind, size, industry, region (with everything below it), flags and free text."""

    q = django_filters.CharFilter(method="filter_q", label=_("name, alias, pinyin or credit code"))
    region = django_filters.CharFilter(method="filter_region", label=_("region code (includes sub-regions)"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("parent entity id"),
                                         decimal_places=0, min_value=1, max_value=2**63 - 1)  # a row id

    class Meta:
        model = Entity
        fields = ["q", "kind", "size_class", "industry", "region", "parent", "is_generated", *Entity.FLAG_FIELDS]

    def filter_q(self, queryset, name, value):
        return search_entities(value, queryset)

    def filter_region(self, queryset, name, value):
        try:
            code = normalise_code(value)
        except ValueError:
            return queryset.none()
        prefix = code.rstrip("0")
        prefix += "0" * (len(prefix) % 2)
        return queryset.filter(region__code__startswith=prefix)
