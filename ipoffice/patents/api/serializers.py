from rest_framework import serializers

from ..models import Citation, Classification, LegalEvent, Party, Patent


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
