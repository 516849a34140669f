"""The analyses of a snapshot as the API gives them (schema and JSON shape), used by ``api.projects``."""

from dataclasses import asdict

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from ..analyses import Analysis
from ..editing import all_analyses
from ..models import Snapshot

SNAPSHOT_PARAMETER = [OpenApiParameter("snapshot", OpenApiTypes.INT,
                                       description="snapshot id (default: the project's latest)")]


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(help_text="text, int, float, percent or link")


class AnalysisSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    method = serializers.CharField()
    snapshot = serializers.IntegerField()


class AnalysisSerializer(AnalysisSummarySerializer):
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())
    notes = serializers.ListField(child=serializers.CharField())
    chart = serializers.DictField(allow_null=True, help_text="Vega-Lite specification")
    drill = serializers.DictField(child=serializers.IntegerField(),
                                  help_text="drill key → number of patents; list them at drill/<key>/")


def summaries(snapshot: Snapshot) -> list[dict]:
    return [{"key": a.key, "title": a.title, "method": a.method, "snapshot": snapshot.pk}
            for a in all_analyses(snapshot)]


def as_dict(analysis: Analysis, snapshot: Snapshot) -> dict:
    return {"key": analysis.key, "title": analysis.title, "method": analysis.method, "snapshot": snapshot.pk,
            "columns": [asdict(c) for c in analysis.columns], "rows": analysis.rows, "notes": analysis.notes,
            "chart": analysis.chart, "drill": {key: len(ids) for key, ids in analysis.drill.items()}}
