from rest_framework import viewsets

from ..filtersets import RegionFilterSet
from ..models import Region, RegionGroup
from .serializers import RegionDetailSerializer, RegionGroupSerializer, RegionSerializer


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """GB/T 2260 divisions (province, city, district), looked up by their six-digit code."""

    queryset = Region.objects.select_related("parent").prefetch_related("groups")
    lookup_field = "code"
    lookup_value_regex = r"\d{6}"
    filterset_class = RegionFilterSet
    ordering_fields = ["code", "name", "level"]
    ordering = ["code"]

    def get_serializer_class(self):
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("children", "population")
        return queryset


class RegionGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan's region groups: 珠三角, 粤东, 粤西, 粤北."""

    queryset = RegionGroup.objects.prefetch_related("members")
    serializer_class = RegionGroupSerializer
    lookup_field = "code"
    filterset_fields = []
    ordering_fields = ["order", "code"]
