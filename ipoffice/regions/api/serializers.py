from rest_framework import serializers

from ..models import Population, Region, RegionGroup


class PopulationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Population
        fields = ["year", "population_10k", "source"]


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    level_name = serializers.CharField(source="get_level_display", read_only=True)
    groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="region-detail", lookup_field="code")

    class Meta:
        model = Region
        fields = ["url", "code", "name", "short_name", "name_en", "level", "level_name", "parent", "groups",
                  "longitude", "latitude"]


class RegionDetailSerializer(RegionSerializer):
    children = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    population = PopulationSerializer(many=True, read_only=True)

    class Meta(RegionSerializer.Meta):
        fields = RegionSerializer.Meta.fields + ["children", "population"]


class RegionGroupSerializer(serializers.ModelSerializer):
    members = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = RegionGroup
        fields = ["code", "name", "name_en", "members"]
