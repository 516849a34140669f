from rest_framework import serializers

from ..models import Citation, Classification, LegalEvent, Party, Patent
from ..search.backends import PAGE_SIZE_MAX, SORTS


class PartySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Party
        fields = ["role", "sequence", "name", "address", "country", "entity", "region", "region_confidence"]


class ClassificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Classification
        fields = ["scheme", "symbol", "is_main"]


class CitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Citation
        fields = ["cited_office", "cited_number", "cited_kind", "cited_date", "non_patent", "category", "cited_by"]


class LegalEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalEvent
        fields = ["date", "code", "description", "details"]


class PatentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    applicants = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Patent
        fields = ["id", "url", "office", "application_number", "application_date", "publication_number",
                  "publication_date", "grant_number", "grant_date", "kind", "patent_type", "title", "ipc_main",
                  "legal_status", "family_id", "region", "applicants", "is_generated"]

    def get_applicants(self, patent) -> list[str]:
        return [p.name for p in patent.parties.all() if p.role == Party.Role.APPLICANT]

    def get_url(self, patent) -> str:
        return patent.get_absolute_url()


class PatentDetailSerializer(PatentSerializer):
    parties = PartySerializer(many=True, read_only=True)
    classifications = ClassificationSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    legal_events = LegalEventSerializer(many=True, read_only=True)

    class Meta(PatentSerializer.Meta):
        fields = PatentSerializer.Meta.fields + [
            "titles", "abstract", "abstracts", "first_claim", "claims_count", "cpc_main", "priority_date",
            "priorities", "pct", "parties", "classifications", "citations", "legal_events", "source_format"]


class SearchRequestSerializer(serializers.Serializer):
    """The parameters of ``/api/patents/search/``: those of ``ipoffice patents search``."""

    q = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", trim_whitespace=True,
                              help_text="a query in the query language, e.g. 锂电池 AND city:4403 ('' or * for every "
                                        "patent)")
    sort = serializers.ChoiceField(choices=SORTS, default="relevance")
    page = serializers.IntegerField(default=1, min_value=1, max_value=1_000_000)
    page_size = serializers.IntegerField(default=20, min_value=1, max_value=PAGE_SIZE_MAX)
    family = serializers.BooleanField(default=False, help_text="one hit per patent family")
    facets = serializers.BooleanField(default=True, help_text="count the hits by year, type, IPC subclass, city, "
                                                              "applicant and legal status")


class SearchHitSerializer(serializers.Serializer):
    office = serializers.CharField()
    number = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    applicants = serializers.ListField(child=serializers.CharField())
    application_date = serializers.DateField(allow_null=True)
    ipc_main = serializers.CharField()
    legal_status = serializers.CharField()
    url = serializers.CharField()
    score = serializers.FloatField()


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    count = serializers.IntegerField()
    query = serializers.CharField(help_text="the query text that narrows the search to this value")


class SearchResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    hits = SearchHitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))
    facets_estimated = serializers.BooleanField(help_text="counted on an even sample of more than 10,000 hits")
