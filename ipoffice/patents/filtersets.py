import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from ipoffice.regions.services import normalise_code

from .models import LegalStatus, Patent, PatentType
from .search.services import QueryError, patents_matching


class PatentFilterSet(django_filters.FilterSet):
    """Patents by a query in the query language (``q``), office, type, status, IPC prefix, region (with everything
    below it), applicant, dates."""

    q = django_filters.CharFilter(method="filter_query", label=_("query (the search's query language)"))

    type = django_filters.ChoiceFilter(field_name="patent_type", choices=PatentType.choices, label=_("type"))
    status = django_filters.ChoiceFilter(field_name="legal_status", choices=LegalStatus.choices,
                                         label=_("legal status"))
    ipc = django_filters.CharFilter(method="filter_ipc", label=_("IPC prefix, e.g. H04L or H04L9/"))
    region = django_filters.CharFilter(method="filter_region", label=_("region code (includes sub-regions)"))
    applicant = django_filters.NumberFilter(method="filter_applicant", label=_("applicant entity id"))
    filed_after = django_filters.DateFilter(field_name="application_date", lookup_expr="gte")
    filed_before = django_filters.DateFilter(field_name="application_date", lookup_expr="lte")

    class Meta:
        model = Patent
        fields = ["q", "office", "type", "status", "ipc", "region", "applicant", "family_id", "filed_after",
                  "filed_before", "is_generated"]

    def filter_query(self, queryset, name, value):
        try:
            return patents_matching(value, queryset)
        except QueryError as error:  # (the query's reason, as the API's 400)
            raise ValidationError({"q": [str(error)]}) from error

    def filter_ipc(self, queryset, name, value):
        prefix = value.replace(" ", "").upper()
        return queryset.filter(classifications__symbol__startswith=prefix).distinct()

    def filter_region(self, queryset, name, value):
        try:
            code = normalise_code(value)
        except ValueError:
            return queryset.none()
        prefix = code.rstrip("0")
        prefix += "0" * (len(prefix) % 2)
        return queryset.filter(region__code__startswith=prefix)

    def filter_applicant(self, queryset, name, value):
        return queryset.filter(parties__role="applicant", parties__entity_id=value).distinct()
