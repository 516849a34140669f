"""API of navigation monitoring: a user's watch lists (CRUD, "check now") and their alerts (list, mark read).
Everything is scoped to the signed-in owner: another user's list or alert is a 404."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ipoffice.entities.models import Entity

from ..models import Alert, WatchList
from ..monitoring import check_and_notify, watch_list_problems


class WatchListSerializer(serializers.ModelSerializer):
    entities = serializers.PrimaryKeyRelatedField(many=True, queryset=Entity.objects.all(), required=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=Alert.Kind.choices), required=False,
                                   help_text=_("alert kinds to watch; empty: every kind"))

    class Meta:
        model = WatchList
        fields = ["id", "name", "kind", "query", "ipc_prefixes", "entities", "events", "expiry_months", "email",
                  "feed_token", "checked_until", "created_at"]
        read_only_fields = ["feed_token", "checked_until", "created_at"]

    def validate(self, attrs):
        def value(field, default):  # a partial update is checked with the stored values it leaves alone
            if field in attrs:
                return attrs[field]
            if self.instance is None:
                return default
            current = getattr(self.instance, field)
            return list(current.all()) if field == "entities" else current

        problems = watch_list_problems(value("kind", ""), value("query", ""), value("ipc_prefixes", ""),
                                       len(value("entities", [])))
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class AlertSerializer(serializers.ModelSerializer):
    patent_number = serializers.CharField(source="patent.display_number", read_only=True)
    patent_url = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = ["id", "watch_list", "patent", "patent_number", "patent_url", "kind", "date", "message", "read",
                  "emailed_at", "created_at"]
        read_only_fields = [f for f in fields if f != "read"]

    def get_patent_url(self, alert) -> str:
        return self.context["request"].build_absolute_uri(alert.patent.get_absolute_url())


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                help_text=_("alerts to mark read; none: every alert the filters select"))


class AlertFilterSet(filters.FilterSet):
    watch_list = filters.ModelChoiceFilter(queryset=lambda request: _own_lists(request))

    class Meta:
        model = Alert
        fields = ["watch_list", "kind", "read"]


def _own_lists(request):
    user = request.user if request else None
    return WatchList.objects.filter(owner=user) if user and user.is_authenticated else WatchList.objects.none()


class OwnerPermissions(permissions.DjangoModelPermissions):
    """Signed-in users with the model permissions of their role; which rows they see is the queryset's business."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class AlertPermissions(OwnerPermissions):
    """Alerts are raised by checks, never posted: a POST (mark read) changes them."""

    perms_map = {**OwnerPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class WatchListViewSet(viewsets.ModelViewSet):
    """The signed-in user's watch lists (saved query, competitors, IPC area or own portfolio)."""

    serializer_class = WatchListSerializer
    permission_classes = [permissions.IsAuthenticated, OwnerPermissions]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return _own_lists(self.request).prefetch_related("entities")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @extend_schema(request=None, responses=AlertSerializer(many=True))
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """Check the list now, up to today: the new alerts."""
        alerts = check_and_notify(self.get_object(), until=timezone.localdate())
        return Response(AlertSerializer(alerts, many=True, context={"request": request}).data)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                   viewsets.GenericViewSet):
    """Alerts of the signed-in user's watch lists; filter by watch list, kind and read; PATCH ``read``."""

    serializer_class = AlertSerializer
    permission_classes = [permissions.IsAuthenticated, AlertPermissions]
    filterset_class = AlertFilterSet
    ordering_fields = ["date", "created_at"]

    queryset = Alert.objects.none()  # for the schema; requests get their own alerts

    def get_queryset(self):
        return Alert.objects.filter(watch_list__owner=self.request.user).select_related("patent")

    @extend_schema(request=MarkReadSerializer, responses={200: {"type": "object"}})
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        """Mark read the given alerts, or every alert the query-string filters select."""
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alerts = self.filter_queryset(self.get_queryset()).filter(read=False)
        if data.validated_data.get("ids"):
            alerts = alerts.filter(pk__in=data.validated_data["ids"])
        return Response({"marked": alerts.update(read=True)})


def register(router):
    """Add this module's viewsets to the router."""
    router.register("navigation/watch-lists", WatchListViewSet, basename="navigation-watchlist")
    router.register("navigation/alerts", AlertViewSet, basename="navigation-alert")
