from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import GoodsItem, SimilarGroup, Trademark, TrademarkEvent, TrademarkGoods, TrademarkParty
from ..services import MAX_QUERY


@extend_schema_serializer(component_name="TrademarkParty")  # "Party" is the patents' party
class PartySerializer(serializers.ModelSerializer):
    entity = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = TrademarkParty
        fields = ["role", "name", "name_en", "address", "country", "capacity", "entity"]


class GoodsSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrademarkGoods
        fields = ["class_number", "group_code", "item_code", "name"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrademarkEvent
        fields = ["date", "code", "description"]


class TrademarkSerializer(serializers.ModelSerializer):
    classes = serializers.SerializerMethodField()
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Trademark
        fields = ["id", "url", "office", "application_number", "registration_number", "mark_text", "text_zh",
                  "text_latin", "text_digits", "mark_type", "mark_kind", "is_geographical_indication",
                  "is_well_known", "status", "status_text", "filing_date", "preliminary_publication_date",
                  "registration_date", "term_start", "term_end", "madrid_role", "international_registration_number",
                  "international_registration_date", "owner_name", "region", "classes", "edition", "is_generated"]

    def get_classes(self, mark) -> list[int]:
        return sorted({g.class_number for g in mark.goods.all()})

    def get_url(self, mark) -> str:
        return mark.get_absolute_url()


class TrademarkDetailSerializer(TrademarkSerializer):
    parties = PartySerializer(many=True, read_only=True)
    goods = GoodsSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    clocks = serializers.SerializerMethodField()

    class Meta(TrademarkSerializer.Meta):
        fields = TrademarkSerializer.Meta.fields + ["priority_date", "preliminary_publication_issue",
                                                    "registration_issue", "designation_date",
                                                    "designated_countries", "source_format", "parties", "goods",
                                                    "events", "clocks"]

    def get_clocks(self, mark) -> dict:
        from ..clocks import mark_clocks

        clocks = mark_clocks(mark)

        def window(w):
            return {"start": w.start.isoformat(), "end": w.end.isoformat()} if w else None

        return {"opposition": window(clocks.opposition), "renewal": window(clocks.renewal),
                "grace": window(clocks.grace), "term_end": clocks.term_end.isoformat() if clocks.term_end else None,
                "non_use_from": clocks.non_use_from.isoformat() if clocks.non_use_from else None}


class SimilarGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = SimilarGroup
        fields = ["edition", "code", "class_number", "name", "notes"]


class GoodsItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoodsItem
        fields = ["edition", "code", "group_code", "class_number", "name", "spans_groups"]


class ClearanceRequestSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY, help_text="the mark to clear")
    classes = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                    help_text="Nice classes, e.g. 9,35")
    goods = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000,
                                  help_text="goods or services terms separated by ；")
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=200)
    live = serializers.BooleanField(required=False, default=False)


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    reason_zh = serializers.CharField(required=False)
    reason_en = serializers.CharField(required=False)


class HitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    office = serializers.CharField()
    mark = serializers.CharField()
    owner = serializers.CharField()
    classes = serializers.ListField(child=serializers.IntegerField())
    status = serializers.CharField()
    score = serializers.FloatField()
    sound = serializers.FloatField()
    shape = serializers.FloatField()
    meaning = serializers.FloatField()
    rules = RuleSerializer(many=True)
    goods_relation = serializers.CharField()
    rank_score = serializers.FloatField()
    url = serializers.CharField()


class ClearanceSerializer(serializers.Serializer):
    query = serializers.CharField()
    classes = serializers.ListField(child=serializers.IntegerField())
    edition = serializers.CharField(allow_null=True)
    notice = serializers.CharField()
    unmatched_goods = serializers.ListField(child=serializers.CharField())
    hits = HitSerializer(many=True)
