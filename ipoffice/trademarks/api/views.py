import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..models import GoodsItem, MarkStatus, SimilarGroup, Trademark
from .serializers import (
    ClearanceRequestSerializer,
    ClearanceSerializer,
    GoodsItemSerializer,
    SimilarGroupSerializer,
    TrademarkDetailSerializer,
    TrademarkSerializer,
)


class TrademarkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("mark text or pinyin"), max_length=100)
    owner = django_filters.CharFilter(method="filter_owner", label=_("owner name contains"), max_length=200)
    number = django_filters.CharFilter(method="filter_number", label=_("application, registration or IR number"),
                                       max_length=30)
    nice_class = django_filters.NumberFilter(method="filter_class", label=_("Nice class"), min_value=1,
                                             max_value=45, decimal_places=0)
    group = django_filters.CharFilter(method="filter_group", label=_("similar group (4 digits)"), max_length=4)
    status = django_filters.ChoiceFilter(choices=[c for c in MarkStatus.choices if c[0]])
    region = django_filters.CharFilter(method="filter_region", label=_("region code (includes sub-regions)"),
                                       max_length=6)
    filed_after = django_filters.DateFilter(field_name="filing_date", lookup_expr="gte")
    filed_before = django_filters.DateFilter(field_name="filing_date", lookup_expr="lte")
    published_after = django_filters.DateFilter(field_name="preliminary_publication_date", lookup_expr="gte")

    class Meta:
        model = Trademark
        fields = ["office", "mark_type", "mark_kind", "is_geographical_indication", "madrid_role", "is_generated"]

    def filter_q(self, queryset, name, value):
        return services.search_marks(text=value, queryset=queryset)

    def filter_owner(self, queryset, name, value):
        return services.search_marks(owner=value, queryset=queryset)

    def filter_number(self, queryset, name, value):
        return services.search_marks(number=value, queryset=queryset)

    def filter_class(self, queryset, name, value):
        return services.search_marks(classes=[int(value)], queryset=queryset)

    def filter_group(self, queryset, name, value):
        return services.search_marks(group=value, queryset=queryset)

    def filter_region(self, queryset, name, value):
        digits = value.strip().rstrip("0") or value.strip()
        if len(digits) % 2:
            digits += "0"
        return queryset.filter(region__code__startswith=digits)


class TrademarkViewSet(viewsets.ReadOnlyModelViewSet):
    """Marks of the register (商标信息数据库), with filters; ``clear/`` is the clearance search."""

    queryset = Trademark.objects.select_related("region").prefetch_related("goods")
    filterset_class = TrademarkFilterSet
    ordering_fields = ["filing_date", "registration_date", "application_number"]
    ordering = ["-filing_date", "id"]
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        return TrademarkDetailSerializer if self.action == "retrieve" else TrademarkSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("parties", "events")
        return queryset

    @extend_schema(parameters=[ClearanceRequestSerializer], responses=ClearanceSerializer)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def clear(self, request):
        """Clearance search: earlier marks that may conflict with a mark for the given classes and goods, best
        first, with the examination rules that apply. For reference only (仅供参考)."""
        params = ClearanceRequestSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        result = services.clear(data["q"], classes=data["classes"], goods=data["goods"], limit=data["limit"],
                                live_only=data["live"])
        return Response(result.as_json())


class SimilarGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """The 类似群 of the loaded editions of the 类似商品和服务区分表."""

    queryset = SimilarGroup.objects.all()
    serializer_class = SimilarGroupSerializer
    filterset_fields = ["edition", "class_number", "code"]
    ordering = ["edition", "code"]


class GoodsItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("name contains"),
                                  max_length=100)

    class Meta:
        model = GoodsItem
        fields = ["edition", "class_number", "group_code", "code", "spans_groups"]


class GoodsItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Goods and services items of the 区分表 (search with ``q``)."""

    queryset = GoodsItem.objects.all()
    serializer_class = GoodsItemSerializer
    filterset_class = GoodsItemFilterSet
    ordering = ["edition", "code"]
