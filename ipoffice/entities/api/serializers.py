from rest_framework import serializers

from ipoffice.regions.models import Region

from ..models import Entity, EntityAlias, EntityMerge, MatchDecision


class EntityAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntityAlias
        fields = ["name", "kind", "source"]


class EntitySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False,
                                          allow_null=True)
    region_name = serializers.CharField(source="region.name", read_only=True, default=None)
    parent = serializers.PrimaryKeyRelatedField(queryset=Entity.objects.all(), required=False, allow_null=True)
    aliases = EntityAliasSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="entity-detail")

    class Meta:
        model = Entity
        fields = ["url", "id", "name", "name_en", "credit_code", "kind", "size_class", "industry", "region",
                  "region_name", "address", "parent", "aliases", *Entity.FLAG_FIELDS, "is_generated",
                  "created_at", "updated_at"]
        read_only_fields = ["is_generated", "created_at", "updated_at"]


class MatchRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    create = serializers.BooleanField(required=False, default=True)


class MatchDecisionSerializer(serializers.ModelSerializer):
    created = serializers.SerializerMethodField()

    class Meta:
        model = MatchDecision
        fields = ["entity", "method", "score", "reason", "created", "input_name", "input_address"]

    def get_created(self, decision) -> bool:
        return decision.method in (MatchDecision.Method.CREATED, MatchDecision.Method.BRANCH)


class MergeRequestSerializer(serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(queryset=Entity.objects.all())
    reason = serializers.CharField(max_length=500)


class EntityMergeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntityMerge
        fields = ["merged_id", "merged_name", "target", "moved", "reason", "merged_at"]
