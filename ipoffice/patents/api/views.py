from rest_framework import viewsets

from ..filtersets import PatentFilterSet
from ..models import Patent
from .serializers import PatentDetailSerializer, PatentSerializer


class PatentViewSet(viewsets.ReadOnlyModelViewSet):
    """Patents and applications of every office, with their parties, classes, citations and legal events."""

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
