from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is 404, not 500
from rest_framework.response import Response

from ..filtersets import EntityFilterSet
from ..models import Entity, MatchDecision
from ..services import match_entity, merge_entities
from .serializers import (
    EntityMergeSerializer,
    EntitySerializer,
    MatchDecisionSerializer,
    MatchRequestSerializer,
    MergeRequestSerializer,
)


class CanMerge(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("entities.merge_entity")


class CanAdd(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("entities.add_entity")


class EntityViewSet(viewsets.ModelViewSet):
    """Entities: enterprises, universities, institutes, individuals, agencies and public bodies."""

    queryset = Entity.objects.select_related("region").prefetch_related("aliases")
    serializer_class = EntitySerializer
    filterset_class = EntityFilterSet
    ordering_fields = ["name", "created_at", "updated_at", "kind"]
    ordering = ["name"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @extend_schema(request=MatchRequestSerializer, responses=MatchDecisionSerializer)
    @action(detail=False, methods=["post"], permission_classes=[CanAdd])
    def match(self, request):
        """Link a name (+ address, credit code) to an entity, creating one if nothing matches."""
        data = MatchRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = match_entity(**data.validated_data, source="api")
        if result is None:
            return Response({"detail": "no matching entity"}, status=status.HTTP_404_NOT_FOUND)
        decision = MatchDecision.objects.filter(entity=result.entity).first()
        return Response(MatchDecisionSerializer(decision).data,
                        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(request=MergeRequestSerializer, responses=EntityMergeSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanMerge])
    def merge(self, request, pk=None):
        """Merge this entity into ``target``; every link follows and the merge is recorded."""
        source = get_object_or_404(Entity, pk=pk)
        data = MergeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = merge_entities(source, data.validated_data["target"], user=request.user,
                                reason=data.validated_data["reason"])
        return Response(EntityMergeSerializer(record).data)
