"""API of navigation projects: projects with their query versions, decomposition nodes and effects; snapshots
(taking one); every analysis of a snapshot with the patents behind each figure; the worksheet's judgements.

Reading follows the pages (public projects for all, every project for analysts and officers); changing a project
needs its owner or ``navigation.change_project``, taking a snapshot its owner or ``navigation.manage_projects``."""

from django.core.validators import slug_re
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from ipoffice.patents.api.serializers import PatentSerializer
from ipoffice.patents.models import Patent
from ipoffice.patents.search.services import QueryError
from ipoffice.regions.models import Region

from ..editing import (
    add_query_version,
    can_edit,
    can_snapshot,
    check_query,
    drill_ids,
    run_analysis,
    visible_projects,
)
from ..forms import query_error
from ..models import DecompositionNode, Effect, Judgement, Project, ProjectType, SearchQuery, Snapshot
from ..snapshots import take_snapshot
from ..worksheet import SAMPLE_MAX, SAMPLE_SIZE, draw_sample, figures, judge
from . import project_analyses as analyses


def _query(value: str, *, allow_empty=False) -> str:
    try:
        return check_query(value, allow_empty=allow_empty)
    except QueryError as error:
        raise serializers.ValidationError(query_error(error)) from None


class ProjectSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), allow_null=True,
                                          required=False)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    current_query = serializers.SerializerMethodField()
    latest_snapshot = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["slug", "name", "project_type", "client", "goal", "scope", "region", "industry", "count_unit",
                  "applicant_counting", "date_basis", "cutoff_date", "lag_months", "reference_query", "is_public",
                  "owner", "current_query", "latest_snapshot", "created_at", "updated_at"]

    def validate_reference_query(self, value):
        return _query(value, allow_empty=True)

    def get_current_query(self, project) -> str | None:
        query = project.current_query
        return query.text if query else None

    def get_latest_snapshot(self, project) -> int | None:
        snapshot = project.latest_snapshot
        return snapshot.pk if snapshot else None


class QuerySerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = SearchQuery
        fields = ["version", "text", "note", "created_by", "created_at"]
        read_only_fields = ["version", "created_by", "created_at"]

    def validate_text(self, value):
        return _query(value)


class NodeSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent_code = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = DecompositionNode
        fields = ["id", "project", "code", "name", "query", "parent", "parent_code", "sequence"]

    def validate_query(self, value):
        return _query(value, allow_empty=True)

    def validate(self, data):
        project = self.context["project"]
        code = data.get("code", getattr(self.instance, "code", None))
        others = project.nodes.exclude(pk=getattr(self.instance, "pk", None))
        if code is not None and others.filter(code=code).exists():
            raise serializers.ValidationError({"code": _("Another branch already has the code %(code)s.")
                                               % {"code": code}})
        if "parent_code" in data:
            parent_code = data.pop("parent_code")
            data["parent"] = others.filter(code=parent_code).first() if parent_code else None
            if parent_code and data["parent"] is None:
                raise serializers.ValidationError({"parent_code": _("No other branch has the code %(code)s.")
                                                   % {"code": parent_code}})
            node = data["parent"]
            while node is not None and self.instance is not None:
                if node.pk == self.instance.pk:
                    raise serializers.ValidationError({"parent_code": _("A branch cannot sit below itself.")})
                node = node.parent
        return data


class EffectSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Effect
        fields = ["id", "project", "name", "query", "sequence"]

    def validate_query(self, value):
        return _query(value)

    def validate_name(self, value):
        taken = self.context["project"].effects.filter(name=value).exclude(pk=getattr(self.instance, "pk", None))
        if taken.exists():
            raise serializers.ValidationError(_("The project already has the effect %(name)s.") % {"name": value})
        return value


class SnapshotSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    query_version = serializers.IntegerField(source="query.version", read_only=True)

    class Meta:
        model = Snapshot
        fields = ["id", "project", "query_version", "taken_at", "cutoff_date", "rules", "patent_count",
                  "fingerprint"]


class JudgementSerializer(serializers.ModelSerializer):
    patent = PatentSerializer(read_only=True)
    judged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Judgement
        fields = ["id", "snapshot", "sample", "patent", "in_dataset", "relevant", "note", "judged_by", "judged_at"]
        read_only_fields = ["snapshot", "sample", "in_dataset", "judged_at"]


class DrawSerializer(serializers.Serializer):
    sample = serializers.ChoiceField(choices=Judgement.Sample.choices)
    size = serializers.IntegerField(min_value=1, max_value=SAMPLE_MAX, default=SAMPLE_SIZE)


class ReadOrSignedIn(permissions.IsAuthenticatedOrReadOnly):
    """Anyone reads what the queryset shows; who may change a project is checked against that project."""


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise exceptions.PermissionDenied(message)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Navigation projects (专利导航项目). Filter by ``type`` and ``region`` (division code, with its sub-regions)."""

    serializer_class = ProjectSerializer
    permission_classes = [ReadOrSignedIn]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_fields = []
    ordering_fields = ["updated_at", "name", "slug"]
    ordering = ["-updated_at"]

    def get_queryset(self):
        projects = visible_projects(self.request.user).select_related("region", "owner")
        kind = self.request.query_params.get("type")
        if kind:
            if kind not in ProjectType.values:
                raise exceptions.ValidationError({"type": _("Unknown type %(type)s; one of %(types)s.")
                                                  % {"type": kind, "types": ", ".join(ProjectType.values)}})
            projects = projects.filter(project_type=kind)
        region = self.request.query_params.get("region", "").strip()
        if region:
            prefix = region.rstrip("0")
            projects = projects.filter(region__code__startswith=prefix + "0" * (len(prefix) % 2))
        return projects

    @extend_schema(parameters=[
        OpenApiParameter("type", OpenApiTypes.STR, enum=ProjectType.values, description="project type"),
        OpenApiParameter("region", OpenApiTypes.STR, description="division code (includes sub-regions)")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        _require(self.request.user.has_perm("navigation.add_project"), _("Only analysts may create projects."))
        serializer.save(owner=self.request.user)

    def perform_update(self, serializer):
        _require(can_edit(self.request.user, serializer.instance), _("Only the owner or an analyst may change it."))
        serializer.save()

    @extend_schema(request=QuerySerializer, responses=QuerySerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=QuerySerializer)
    def queries(self, request, slug=None):
        """The versions of the search strategy, newest first; POST adds the next version."""
        project = self.get_object()
        if request.method == "POST":
            _require(can_edit(request.user, project), _("Only the owner or an analyst may change it."))
            data = QuerySerializer(data=request.data)
            data.is_valid(raise_exception=True)
            version = add_query_version(project, data.validated_data["text"], data.validated_data.get("note", ""),
                                        request.user)
            return Response(QuerySerializer(version).data, status=status.HTTP_201_CREATED)
        return Response(QuerySerializer(project.queries.select_related("created_by"), many=True).data)

    @extend_schema(request=None, responses=SnapshotSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=SnapshotSerializer)
    def snapshots(self, request, slug=None):
        """The dataset snapshots, newest first; POST takes a new one from the current query version."""
        project = self.get_object()
        if request.method == "POST":
            _require(can_snapshot(request.user, project), _("Only the owner or a project manager may take it."))
            try:
                snapshot = take_snapshot(project)
            except QueryError as error:
                raise exceptions.ValidationError({"query": error.as_dict()}) from None
            except ValueError as error:
                raise exceptions.ValidationError({"detail": str(error)}) from None
            return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)
        return Response(SnapshotSerializer(project.snapshots.select_related("project", "query").defer("data"),
                                           many=True).data)

    def snapshot_of(self, project: Project) -> Snapshot:
        """``?snapshot=<id>`` of this project, else its latest (404 when there is none)."""
        wanted = self.request.query_params.get("snapshot")
        snapshots = project.snapshots.select_related("project")
        if wanted:
            if not wanted.isdigit():
                raise exceptions.ValidationError({"snapshot": _("A snapshot id is a number.")})
            return get_object_or_404(snapshots, pk=int(wanted))
        snapshot = project.latest_snapshot
        if snapshot is None:
            raise exceptions.NotFound(_("The project has no snapshot yet."))
        return snapshot

    def analysis_of(self, snapshot: Snapshot, key: str):
        try:
            return run_analysis(snapshot, key)
        except KeyError:
            raise exceptions.NotFound(_("No analysis %(key)s.") % {"key": key}) from None

    @extend_schema(parameters=analyses.SNAPSHOT_PARAMETER, responses=analyses.AnalysisSummarySerializer(many=True))
    @action(detail=True, methods=["get"], url_path="analyses", serializer_class=analyses.AnalysisSerializer)
    def analyses_list(self, request, slug=None):
        """The analyses of a snapshot (the latest unless ``?snapshot=``): key, title and method."""
        snapshot = self.snapshot_of(self.get_object())
        return Response(analyses.summaries(snapshot))

    @extend_schema(parameters=analyses.SNAPSHOT_PARAMETER, responses=analyses.AnalysisSerializer)
    @action(detail=True, methods=["get"], url_path=r"analyses/(?P<key>[a-z0-9_]+)",
            serializer_class=analyses.AnalysisSerializer)
    def analysis(self, request, slug=None, key=None):
        """One analysis: its columns, rows, notes, chart (Vega-Lite) and the drill keys of its figures."""
        snapshot = self.snapshot_of(self.get_object())
        return Response(analyses.as_dict(self.analysis_of(snapshot, key), snapshot))

    @extend_schema(parameters=analyses.SNAPSHOT_PARAMETER, responses=PatentSerializer(many=True))
    @action(detail=True, methods=["get"], url_path=r"analyses/(?P<key>[a-z0-9_]+)/drill/(?P<drill_key>.+)",
            serializer_class=PatentSerializer)
    def drill(self, request, slug=None, key=None, drill_key=None):
        """The patents behind one figure of an analysis, paged."""
        snapshot = self.snapshot_of(self.get_object())
        self.analysis_of(snapshot, key)
        try:
            ids = drill_ids(snapshot, key, drill_key)
        except KeyError:
            raise exceptions.NotFound(_("The analysis has no figure %(key)s.") % {"key": drill_key}) from None
        patents = (Patent.objects.filter(pk__in=ids).select_related("region").prefetch_related("parties")
                   .order_by("-application_date", "pk"))
        page = self.paginate_queryset(patents)
        return self.get_paginated_response(PatentSerializer(page, many=True).data)


def project_param(request) -> str:
    """The ``?project=`` slug, or "" when absent; a 400 for anything a slug cannot be (PostgreSQL refuses some)."""
    slug = request.query_params.get("project", "")
    if slug and not slug_re.fullmatch(slug):
        raise exceptions.ValidationError({"project": _("A project key holds letters, digits, - and _ only.")})
    return slug


class ProjectPartViewSet(viewsets.ModelViewSet):
    """Shared by nodes and effects: filtered by ``?project=<slug>``, changed by those who may change the project."""

    permission_classes = [ReadOrSignedIn]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    related = ""

    def get_queryset(self):
        model = self.get_serializer_class().Meta.model
        parts = model.objects.filter(project__in=visible_projects(self.request.user)).select_related("project")
        slug = project_param(self.request)
        return parts.filter(project__slug=slug) if slug else parts

    @extend_schema(parameters=[OpenApiParameter("project", OpenApiTypes.STR, description="project slug")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "kwargs", None) and self.kwargs.get("pk"):
            context["project"] = self.get_object().project
        elif self.request is not None and self.request.method == "POST":
            slug = self.request.data.get("project") if hasattr(self.request.data, "get") else None
            if not isinstance(slug, str) or not slug:
                raise exceptions.ValidationError({"project": _("Give the slug of the project.")})
            context["project"] = get_object_or_404(visible_projects(self.request.user), slug=slug)
        return context

    def perform_create(self, serializer):
        project = serializer.context["project"]
        _require(can_edit(self.request.user, project), _("Only the owner or an analyst may change it."))
        serializer.save(project=project)

    def perform_update(self, serializer):
        _require(can_edit(self.request.user, serializer.instance.project),
                 _("Only the owner or an analyst may change it."))
        serializer.save()

    def perform_destroy(self, instance):
        _require(can_edit(self.request.user, instance.project), _("Only the owner or an analyst may change it."))
        instance.delete()


@extend_schema(request=NodeSerializer)
class NodeViewSet(ProjectPartViewSet):
    """Branches of the technology decomposition (技术分解表); POST with ``project`` (slug) and ``parent_code``."""

    serializer_class = NodeSerializer


class EffectViewSet(ProjectPartViewSet):
    """Technical effects (功效) of a project, the columns of its technology-effect matrix; POST with ``project``."""

    serializer_class = EffectSerializer


class SnapshotViewSet(viewsets.ReadOnlyModelViewSet):
    """Dataset snapshots with their worksheet: figures, drawing samples, the judgements."""

    serializer_class = SnapshotSerializer
    permission_classes = [ReadOrSignedIn]

    def get_queryset(self):
        snapshots = Snapshot.objects.filter(project__in=visible_projects(self.request.user))
        slug = project_param(self.request)
        snapshots = snapshots.filter(project__slug=slug) if slug else snapshots
        return snapshots.select_related("project", "query").defer("data").order_by("-taken_at", "-pk")

    @extend_schema(parameters=[OpenApiParameter("project", OpenApiTypes.STR, description="project slug")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DrawSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get", "post"], serializer_class=DrawSerializer)
    def worksheet(self, request, pk=None):
        """The worksheet's figures (precision, recall with Wilson 95 % intervals); POST draws a sample."""
        snapshot = self.get_object()
        if request.method == "POST":
            _require(may_judge(request.user, snapshot), _("Only the owner or an analyst may draw samples."))
            data = DrawSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                added = draw_sample(snapshot, data.validated_data["sample"], data.validated_data["size"])
            except QueryError as error:
                raise exceptions.ValidationError({"reference_query": error.as_dict()}) from None
            except ValueError as error:
                raise exceptions.ValidationError({"detail": str(error)}) from None
            return Response({"added": added, "figures": figures(snapshot)}, status=status.HTTP_201_CREATED)
        return Response({"figures": figures(snapshot)})


def may_judge(user, snapshot: Snapshot) -> bool:
    return user.has_perm("navigation.change_judgement") or can_edit(user, snapshot.project)


class JudgementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                       viewsets.GenericViewSet):
    """Lines of the recall/precision worksheet; PATCH ``relevant`` (true, false or null) and ``note`` to judge."""

    serializer_class = JudgementSerializer
    permission_classes = [ReadOrSignedIn]

    def get_queryset(self):
        lines = Judgement.objects.filter(snapshot__project__in=visible_projects(self.request.user))
        for name in ("snapshot", "sample"):
            value = self.request.query_params.get(name)
            if value and name == "snapshot" and not value.isdigit():
                raise exceptions.ValidationError({"snapshot": _("A snapshot id is a number.")})
            if value:
                lines = lines.filter(**{name: value})
        return lines.select_related("patent__region", "judged_by", "snapshot__project").prefetch_related(
            "patent__parties").order_by("snapshot", "sample", "pk")

    @extend_schema(parameters=[OpenApiParameter("snapshot", OpenApiTypes.INT),
                               OpenApiParameter("sample", OpenApiTypes.STR, enum=Judgement.Sample.values)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_update(self, serializer):
        line = serializer.instance
        _require(may_judge(self.request.user, line.snapshot), _("Only the owner or an analyst may judge."))
        data = serializer.validated_data
        judge(line, data.get("relevant", line.relevant), self.request.user, data.get("note", line.note))


def register(router):
    """Add this module's viewsets to the router."""
    router.register("navigation/projects", ProjectViewSet, basename="navigation-project")
    router.register("navigation/nodes", NodeViewSet, basename="navigation-node")
    router.register("navigation/effects", EffectViewSet, basename="navigation-effect")
    router.register("navigation/snapshots", SnapshotViewSet, basename="navigation-snapshot")
    router.register("navigation/judgements", JudgementViewSet, basename="navigation-judgement")
