"""Patents: one record per application (申请), carrying its publication and grant, parties, classes,
citations and legal events, each linked to entities and regions."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ipoffice.core.models import ImportManifestBase


class PatentType(models.TextChoices):
    INVENTION = "invention", _("invention")  # 发明
    UTILITY = "utility", _("utility model")  # 实用新型
    DESIGN = "design", _("design")  # 外观设计
    PLANT = "plant", _("plant patent")
    REISSUE = "reissue", _("reissue")
    OTHER = "other", _("other")


class LegalStatus(models.TextChoices):
    PENDING = "pending", _("pending")  # 审中
    GRANTED = "granted", _("in force")  # 有效
    LAPSED = "lapsed", _("lapsed")  # 失效 (未缴年费, 期限届满)
    WITHDRAWN = "withdrawn", _("withdrawn or rejected")  # 撤回/驳回
    INVALIDATED = "invalidated", _("invalidated")  # 无效
    UNKNOWN = "", _("unknown")


class Patent(models.Model):
    office = models.CharField(_("office"), max_length=2)  # CN, US, EP, …; indexed first in patent_office_app
    application_number = models.CharField(_("application number"), max_length=40)
    application_date = models.DateField(_("filing date"), null=True, blank=True, db_index=True)
    publication_number = models.CharField(_("publication number"), max_length=40, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    grant_number = models.CharField(_("grant number"), max_length=40, blank=True)
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    kind = models.CharField(_("kind code"), max_length=4, blank=True)
    patent_type = models.CharField(_("type"), max_length=12, choices=PatentType.choices)
    priority_date = models.DateField(_("earliest priority date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=1000)
    titles = models.JSONField(_("titles by language"), default=dict, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    abstracts = models.JSONField(_("abstracts by language"), default=dict, blank=True)
    first_claim = models.TextField(_("first claim"), blank=True)
    claims_count = models.PositiveIntegerField(_("claims"), null=True, blank=True)
    ipc_main = models.CharField(_("main IPC"), max_length=20, blank=True, db_index=True)
    cpc_main = models.CharField(_("main CPC"), max_length=20, blank=True)
    priorities = models.JSONField(_("priority claims"), default=list, blank=True)
    pct = models.JSONField(_("PCT data"), default=dict, blank=True)
    family_id = models.CharField(_("family id"), max_length=30, blank=True)
    legal_status = models.CharField(_("legal status"), max_length=12, choices=LegalStatus.choices, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("region of the first applicant"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="patents")
    source_file = models.CharField(_("source file"), max_length=500, blank=True)
    source_format = models.CharField(_("source format"), max_length=40, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)  # of the last source record written
    source_hashes = models.JSONField(default=list, editable=False)  # of every source record merged in
    is_generated = models.BooleanField(_("generated demo record"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["content_hash", "source_hashes"])

    class Meta:
        ordering = ["-application_date", "office", "application_number"]
        constraints = [models.UniqueConstraint(fields=["office", "application_number"], name="patent_office_app")]
        # Plain B-trees where only equality is asked: a ``db_index`` text column also gets a ``_like`` copy on
        # PostgreSQL (for LIKE 'prefix%'), one more B-tree for every import to keep up (ipc_main keeps its own).
        indexes = [models.Index(fields=[name], name=f"patent_{name}")
                   for name in ("publication_number", "grant_number", "patent_type", "family_id", "legal_status")]
        permissions = [("export_patents", _("Can export search results without a row cap"))]
        verbose_name = _("patent")
        verbose_name_plural = _("patents")

    def __str__(self):
        return f"{self.display_number} {self.title[:60]}"

    def get_absolute_url(self):
        return reverse("patents:detail", args=[self.office, self.application_number])

    @property
    def display_number(self) -> str:
        number = self.grant_number or self.publication_number or self.application_number
        return number if number[:2].isalpha() else f"{self.office}{number}"


class Party(models.Model):
    """An applicant, assignee, inventor, agent or agency of a patent, as given and as resolved."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("applicant")  # 申请人 / 专利权人
        INVENTOR = "inventor", _("inventor")  # 发明人
        AGENCY = "agency", _("agency")  # 代理机构
        AGENT = "agent", _("agent")  # 代理人

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    sequence = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=300)
    address = models.CharField(_("address as given"), max_length=500, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    entity = models.ForeignKey("entities.Entity", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="patent_parties", db_index=False)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="patent_parties", db_index=False)
    region_confidence = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["patent", "role", "sequence"]
        # Only the linked parties are indexed by entity and region: inventors and agents, most of the rows, have
        # neither, and every index entry is a random write when a large import inserts them.
        # The applicants of each patent with what the applicant facet counts, so that it reads them from the
        # index alone (about one row in five).
        indexes = [models.Index(fields=["patent", "role", "entity", "name"], name="party_applicant",
                                condition=Q(role="applicant")),
                   models.Index(fields=["entity", "role"], name="party_entity_role", condition=Q(entity__isnull=False)),
                   models.Index(fields=["region"], name="party_region", condition=Q(region__isnull=False))]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class Classification(models.Model):
    class Scheme(models.TextChoices):
        IPC = "ipc", "IPC"
        CPC = "cpc", "CPC"
        LOCARNO = "locarno", _("Locarno (designs)")

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="classifications", db_index=False)
    scheme = models.CharField(max_length=8, choices=Scheme.choices)
    symbol = models.CharField(max_length=20, db_index=True)  # normalised, e.g. H04L9/32
    subclass = models.CharField(max_length=4)  # e.g. H04L, for facets
    is_main = models.BooleanField(default=False)
    sequence = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["patent", "scheme", "sequence"]
        # ipc:G06F* reads the patent ids of a subclass from the index alone (SQLite at 1 M: count 39 → 22 ms);
        # the pattern operators (PostgreSQL) serve prefixes shorter than a subclass too (ipc:H0*)
        # and the patent's own index carries scheme and subclass, so that the ipc facet reads them from it
        indexes = [models.Index(fields=["subclass", "scheme", "patent"], name="classification_subclass",
                                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"]),
                   models.Index(fields=["patent", "scheme", "subclass"], name="classification_patent")]
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")

    def __str__(self):
        return f"{self.scheme}:{self.symbol}"


class Citation(models.Model):
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="citations")
    sequence = models.PositiveSmallIntegerField(default=0)
    cited_office = models.CharField(max_length=2, blank=True)
    cited_number = models.CharField(max_length=40, blank=True)
    cited_kind = models.CharField(max_length=4, blank=True)
    cited_date = models.DateField(null=True, blank=True)
    non_patent = models.TextField(blank=True)  # the text of a non-patent citation
    category = models.CharField(max_length=20, blank=True)  # X, Y, A, … or "cited by examiner"
    cited_by = models.CharField(max_length=20, blank=True)  # examiner / applicant / search report

    class Meta:
        ordering = ["patent", "sequence"]
        indexes = [models.Index(fields=["cited_number"], name="citation_cited_number")]  # (no _like copy)
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self):
        return self.cited_number or self.non_patent[:60]


class LegalEvent(models.Model):
    """A legal event (法律事件) with its code, e.g. CN C06 publication, C10 examination, C14 grant,
    C17 lapse for unpaid fees, TR01 transfer, EE01 licence, PE01/PM01/PC01 pledge."""

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="legal_events")
    date = models.DateField(_("date"), db_index=True)
    code = models.CharField(_("code"), max_length=10)
    description = models.CharField(_("description"), max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["patent", "date", "code"]
        indexes = [models.Index(fields=["code"], name="legalevent_code")]  # (no _like copy)
        verbose_name = _("legal event")
        verbose_name_plural = _("legal events")

    def __str__(self):
        return f"{self.date} {self.code}"


class LegalEventCode(models.Model):
    """The meaning of an office's legal-event code (EPO INPADOC table)."""

    office = models.CharField(max_length=2)
    code = models.CharField(max_length=10)
    description = models.CharField(max_length=300)
    event_class = models.CharField(max_length=2, blank=True)
    event_class_description = models.CharField(max_length=100, blank=True)
    influence = models.CharField(max_length=2, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="legal_event_code")]

    def __str__(self):
        return f"{self.office} {self.code}"


class IPCEntry(models.Model):
    """An IPC symbol with its Chinese (and, where known, English) title."""

    symbol = models.CharField(max_length=20, unique=True)
    level = models.CharField(max_length=12)  # section, class, subclass, main_group, subgroup
    title_zh = models.TextField(blank=True)
    title_en = models.TextField(blank=True)
    parent = models.CharField(max_length=20, blank=True, db_index=True)
    edition = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["symbol"]
        verbose_name = _("IPC symbol")
        verbose_name_plural = _("IPC symbols")

    def __str__(self):
        return self.symbol


class ImportManifest(ImportManifestBase):
    """What one import of one patent file did."""
