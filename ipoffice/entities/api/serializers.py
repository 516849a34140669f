from rest_framework import serializers

from ipoffice.regions.models import Region

from ..models import Entity, EntityAlias, EntityMerge, MatchDecision
from ..names import clean_name, core_name, name_key

NAME_LENGTH = Entity._meta.get_field("name").max_length


def validate_name_fits(value: str) -> str:
    """The forms a name is stored under (display form, matching keys) must fit their columns.

    Normalising can lengthen a name (NFKC: ﷺ is 18 letters; '&' becomes ' and '), which the database
    would refuse with an error instead of a reason.
    """
    longest = max(len(clean_name(value)), len(name_key(value)), len(core_name(value)))
    if longest > NAME_LENGTH:
        raise serializers.ValidationError(
            f"the name is {longest} characters long once normalised; at most {NAME_LENGTH} are allowed")
    return value


class EntityAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntityAlias
        fields = ["name", "kind", "source"]


class CreditCodeField(serializers.CharField):
    """Upper case, as the model stores it, so the uniqueness check sees the stored form."""

    def to_internal_value(self, data):
        return super().to_internal_value(data).upper()


class RegionCodeField(serializers.SlugRelatedField):
    """A region by its six-digit code; anything else is unknown without asking the database.

    (PostgreSQL refuses a NUL byte in a query parameter with an error, not an empty answer.)
    """

    def to_internal_value(self, data):
        code = str(data)
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            self.fail("does_not_exist", slug_name=self.slug_field, value=code)
        return super().to_internal_value(data)


class EntitySerializer(serializers.ModelSerializer):
    region = RegionCodeField(slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True)
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

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        return (CreditCodeField if field_name == "credit_code" else field_class), kwargs

    def validate_name(self, value):
        return validate_name_fits(value)


class MatchRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_LENGTH, validators=[validate_name_fits])  # may become one
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
