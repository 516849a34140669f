"""A navigation project (专利导航项目) shaped by GB/T 39551-2020: type, scope, technology decomposition, versioned
queries, counting rules, frozen dataset snapshots, the recall/precision worksheet and the analyst's findings."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ProjectType(models.TextChoices):  # GB/T 39551 parts 2–6
    REGIONAL = "regional", _("regional planning")  # 区域规划类
    INDUSTRY = "industry", _("industry planning")  # 产业规划类
    ENTERPRISE = "enterprise", _("enterprise operation")  # 企业经营类
    RESEARCH = "research", _("R&D activity")  # 研发活动类
    TALENT = "talent", _("talent management")  # 人才管理类


class CountUnit(models.TextChoices):
    APPLICATION = "application", _("applications")  # 件 (申请)
    FAMILY = "family", _("patent families")  # 族


class ApplicantCounting(models.TextChoices):
    WHOLE = "whole", _("whole counting: each applicant counts 1")  # 全计数
    FIRST = "first", _("first applicant only")  # 第一申请人
    FRACTIONAL = "fractional", _("fractional: 1/n to each of n applicants")  # 分数计数


class DateBasis(models.TextChoices):
    FILING = "filing", _("filing date")  # 申请日
    PRIORITY = "priority", _("earliest priority date")  # 优先权日
    PUBLICATION = "publication", _("publication date")  # 公开日


class Project(models.Model):
    slug = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    project_type = models.CharField(_("type"), max_length=12, choices=ProjectType.choices)
    client = models.CharField(_("client"), max_length=200, blank=True)  # 委托方
    goal = models.TextField(_("goal and decision to support"), blank=True)  # 需求分析
    scope = models.TextField(_("technology and data scope"), blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="navigation_projects")
    industry = models.CharField(_("industry (GB/T 4754)"), max_length=10, blank=True)
    entity = models.ForeignKey("entities.Entity", verbose_name=_("enterprise"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="navigation_projects")
    # counting rules (统计规则), stated in every output
    count_unit = models.CharField(_("count"), max_length=12, choices=CountUnit.choices,
                                  default=CountUnit.APPLICATION)
    applicant_counting = models.CharField(_("applicant counting"), max_length=12, choices=ApplicantCounting.choices,
                                          default=ApplicantCounting.WHOLE)
    date_basis = models.CharField(_("date basis"), max_length=12, choices=DateBasis.choices,
                                  default=DateBasis.FILING)
    cutoff_date = models.DateField(_("data cut-off"), null=True, blank=True)
    lag_months = models.PositiveSmallIntegerField(_("publication lag (months)"), default=18)
    reference_query = models.TextField(_("reference query for the recall sample"), blank=True,
                                       help_text=_("broader than the search strategy, e.g. the IPC area alone"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="navigation_projects")
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        permissions = [("manage_projects", _("Can run navigation projects"))]
        verbose_name = _("navigation project")
        verbose_name_plural = _("navigation projects")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("navigation:project", args=[self.slug])

    @property
    def current_query(self):
        return self.queries.order_by("-version").first()

    @property
    def latest_snapshot(self):
        return self.snapshots.order_by("-taken_at", "-pk").first()


class DecompositionNode(models.Model):
    """A branch of the technology decomposition (技术分解表): defined by a query, refined by hand tags."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("code"), max_length=20)  # 1, 1.2, 1.2.3
    name = models.CharField(_("name"), max_length=200)
    query = models.TextField(_("query"), blank=True, help_text=_("in the patent query language"))
    sequence = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "sequence", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="navigation_node_code")]
        verbose_name = _("technology branch")
        verbose_name_plural = _("technology decomposition")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def depth(self) -> int:
        return self.code.count(".")


class NodeTag(models.Model):
    """An analyst's hand tagging (人工标引): puts a patent in a branch or takes it out, whatever the query says."""

    node = models.ForeignKey(DecompositionNode, on_delete=models.CASCADE, related_name="tags")
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="navigation_tags")
    included = models.BooleanField(default=True)
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    tagged_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "patent"], name="navigation_node_patent")]

    def __str__(self):
        return f"{self.node} {'+' if self.included else '−'}{self.patent_id}"


class Effect(models.Model):
    """A technical effect (功效), the columns of the technology-effect matrix (技术功效矩阵)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="effects")
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("query"), help_text=_("in the patent query language"))
    sequence = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "sequence", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="navigation_effect_name")]

    def __str__(self):
        return self.name


class SearchQuery(models.Model):
    """One version of the project's search strategy (检索策略); the latest defines the next snapshot."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="queries")
    version = models.PositiveIntegerField()
    text = models.TextField(_("query"))
    note = models.TextField(_("what changed and why"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="navigation_query_version")]

    def __str__(self):
        return f"v{self.version}"


class Snapshot(models.Model):
    """The frozen dataset (数据集) of one query version: every record the analyses read, stored whole (gzip JSON)
    so that the same snapshot always gives the same report whatever later happens to the registry."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="snapshots")
    query = models.ForeignKey(SearchQuery, on_delete=models.PROTECT, related_name="snapshots")
    taken_at = models.DateTimeField(auto_now_add=True)
    cutoff_date = models.DateField(_("data cut-off"))
    rules = models.JSONField(_("counting rules"), default=dict)
    patent_count = models.PositiveIntegerField(_("patents"))
    data = models.BinaryField(editable=False)  # gzip JSON of navigation.dataset.Dataset
    fingerprint = models.CharField(max_length=64, editable=False)  # sha256 of data

    class Meta:
        ordering = ["project", "-taken_at", "-pk"]
        get_latest_by = "taken_at"
        verbose_name = _("dataset snapshot")
        verbose_name_plural = _("dataset snapshots")

    def __str__(self):
        return f"{self.project} @ {self.taken_at:%Y-%m-%d %H:%M} ({self.patent_count})"


class Judgement(models.Model):
    """A line of the recall/precision worksheet (查全率/查准率): an analyst's verdict on one sampled patent.

    ``precision`` samples come from the snapshot; ``recall`` samples from a broader reference set (the project's
    ``reference_query``), where a relevant patent missing from the snapshot is a miss."""

    class Sample(models.TextChoices):
        PRECISION = "precision", _("precision sample")
        RECALL = "recall", _("recall sample")

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="judgements")
    sample = models.CharField(max_length=10, choices=Sample.choices)
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="+")
    in_dataset = models.BooleanField()
    relevant = models.BooleanField(null=True, blank=True)  # None until judged
    note = models.CharField(max_length=300, blank=True)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    judged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["snapshot", "sample", "pk"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "sample", "patent"],
                                               name="navigation_judgement_once")]

    def __str__(self):
        return f"{self.sample} {self.patent_id} {self.relevant}"


class Finding(models.Model):
    """The analyst's text for one section of the report (结论与建议 …), kept with its history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="findings")
    section = models.CharField(_("section"), max_length=40)  # an analysis key, or summary / recommendations / risks
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "section"], name="navigation_finding_section")]

    def __str__(self):
        return f"{self.project} {self.section}"
