"""API of filing tracking (public, like its page) and of filing signals (officers only)."""

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ipoffice.core.errors import DataError

from .. import filings, signals
from ..models import Signal


class CanReview(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("navigation.review_signals")


class FilingsParams(serializers.Serializer):
    by = serializers.ChoiceField(choices=filings.GROUPINGS, default="city")
    start = serializers.CharField(required=False)  # YYYY-MM ("from" in the query string)
    to = serializers.CharField(required=False)
    region = serializers.CharField(required=False, default="")
    office = serializers.RegexField(r"^[A-Z]{2}$", default="CN")
    limit = serializers.IntegerField(min_value=1, max_value=500, default=20)


class FilingsViewSet(viewsets.ViewSet):
    """Filings per month by city, district, applicant or agency with the year-on-year change:
    ``?by=city&from=2023-01&to=2024-12&region=4403``; every figure carries its patent-search query."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[
        OpenApiParameter("by", OpenApiTypes.STR, enum=list(filings.GROUPINGS), description="grouping (default city)"),
        OpenApiParameter("from", OpenApiTypes.STR, description="first month, YYYY-MM (default: 12 months back)"),
        OpenApiParameter("to", OpenApiTypes.STR, description="last month, YYYY-MM (default: last month)"),
        OpenApiParameter("region", OpenApiTypes.STR, description="division code of a city or district"),
        OpenApiParameter("office", OpenApiTypes.STR, description="office code (default CN)"),
        OpenApiParameter("limit", OpenApiTypes.INT, description="groups shown, 1–500 (default 20)"),
    ], responses=OpenApiTypes.OBJECT)
    def list(self, request):
        data = request.query_params.dict()
        if "from" in data:
            data["start"] = data.pop("from")
        params = FilingsParams(data=data)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        end = filings.parse_month(p["to"], "to") if p.get("to") else filings.add_months(date.today().replace(day=1), -1)
        start = filings.parse_month(p["start"], "from") if p.get("start") else filings.add_months(end, -11)
        table = filings.monthly_filings(p["by"], start=start, end=end, region=p["region"], office=p["office"],
                                        limit=p["limit"])
        return Response(table.as_dict())


class SignalSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reviewed_by = serializers.StringRelatedField()
    patents = serializers.SerializerMethodField()

    class Meta:
        model = Signal
        fields = ["id", "kind", "key", "subject", "period", "score", "region", "status", "review_note",
                  "reviewed_by", "reviewed_at", "detected_at", "patents"]

    def get_patents(self, signal) -> list[int]:
        return [p.pk for p in signal.patents.all()]


class SignalDetailSerializer(SignalSerializer):
    class Meta(SignalSerializer.Meta):
        fields = [*SignalSerializer.Meta.fields, "evidence"]


class ReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s.value for s in signals.REVIEW_STATUSES])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SignalViewSet(viewsets.ReadOnlyModelViewSet):
    """Signals of possibly abnormal filings, for review (``?kind=&status=&region=4403``); officers only."""

    permission_classes = [CanReview]
    filterset_fields = ["kind", "status"]
    ordering_fields = ["score", "detected_at", "period"]

    def get_queryset(self):
        rows = Signal.objects.select_related("region", "reviewed_by").prefetch_related("patents")
        region = self.request.query_params.get("region", "")
        if region and not region.isdigit():
            raise ValidationError({"region": "a division code (digits) such as 4403"})
        return rows.filter(region__code__startswith=region) if region else rows

    def get_serializer_class(self):
        return SignalDetailSerializer if self.action == "retrieve" else SignalSerializer

    @action(detail=True, methods=["post"], serializer_class=ReviewSerializer)
    def review(self, request, pk=None):
        """Record a review: ``status`` (dismissed, referred or open) and a ``note`` (needed to refer)."""
        signal = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            signals.review_signal(signal, user=request.user, **data.validated_data)
        except DataError as error:
            raise ValidationError({"detail": str(error)}) from error
        return Response(SignalDetailSerializer(signal).data)


def register(router):
    """Add this module's viewsets to the router."""
    router.register("navigation/filings", FilingsViewSet, basename="navigation-filings")
    router.register("navigation/signals", SignalViewSet, basename="navigation-signals")
