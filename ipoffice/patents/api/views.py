from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..filtersets import PatentFilterSet
from ..models import Patent
from ..search.services import QueryError, result_as_dict, search_patents
from .serializers import PatentDetailSerializer, PatentSerializer, SearchRequestSerializer, SearchResultSerializer


class PatentViewSet(viewsets.ReadOnlyModelViewSet):
    """Patents and applications of every office, with their parties, classes, citations and legal events;
    ``search/`` is the search in the query language."""

    queryset = Patent.objects.select_related("region").prefetch_related("parties")
    filterset_class = PatentFilterSet
    ordering_fields = ["application_date", "publication_date", "grant_date", "id"]
    ordering = ["-application_date", "id"]

    def get_serializer_class(self):
        return PatentDetailSerializer if self.action == "retrieve" else PatentSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("classifications", "citations", "legal_events")
        return queryset

    @extend_schema(parameters=[SearchRequestSerializer], responses=SearchResultSerializer)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def search(self, request):
        """Search in the query language (as the search page and ``ipoffice patents search``): the total, one page
        of hits best first (or by filing date) and the facet counts over all hits."""
        params = SearchRequestSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        try:
            result = search_patents(data["q"], sort=data["sort"], page=data["page"], page_size=data["page_size"],
                                    one_per_family=data["family"], facets=data["facets"])
        except QueryError as error:
            raise serializers.ValidationError({"q": [str(error)]}) from error
        return Response(result_as_dict(result))
