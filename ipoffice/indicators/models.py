"""Plans with their indicators and targets (规划指标), and observed values per region and year."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Category(models.TextChoices):
    CREATION = "creation", _("creation")  # 创造
    UTILISATION = "utilisation", _("utilisation")  # 运用
    PROTECTION = "protection", _("protection")  # 保护
    SERVICES = "services", _("services")  # 服务
    MANAGEMENT = "management", _("management")  # 管理


class Measure(models.TextChoices):
    STOCK = "stock", _("year-end stock")
    DENSITY = "density", _("per 10,000 people")
    FLOW = "flow", _("amount in the year")
    ANNUAL_MEAN = "annual_mean", _("yearly mean over the plan")
    COUNT = "count", _("count of designated things")
    SHARE = "share", _("share (%)")
    SCORE = "score", _("survey score")


class Plan(models.Model):
    """A development plan with a baseline year and a target year, e.g. the 13th five-year plan."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    base_year = models.PositiveSmallIntegerField(_("baseline year"))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["-target_year", "code"]
        permissions = [("publish_report", _("Can generate and publish the annual IP status report"))]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.name_zh


class Indicator(models.Model):
    """What is measured: unit, category, measure and, for derived indicators, what it is computed from."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    direction = models.SmallIntegerField(_("direction"), default=1, help_text=_("+1 if higher is better, -1 if lower"))
    per_10k_of = models.ForeignKey("self", verbose_name=_("per 10,000 people of"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="densities")
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name_zh

    @property
    def is_derived(self) -> bool:
        return self.per_10k_of_id is not None


class Target(models.Model):
    """A plan's target for an indicator: a level to reach or exceed, an annual growth rate, a count to build."""

    class Kind(models.TextChoices):
        REACH = "reach", _("level to reach")  # 达到
        EXCEED = "exceed", _("level to exceed")  # 超过 / 以上
        GROWTH_RATE = "growth_rate", _("annual growth rate")  # 年均增长
        COUNT_TO_BUILD = "count_to_build", _("count to build")  # 建设 n 个

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, blank=True,
                               help_text=_("when the target reads the series differently, e.g. a yearly mean"))
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=4,
                                help_text=_("a level, a count, or a growth rate in percent"))
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=4, null=True, blank=True)
    seed_quote = models.CharField(_("plan text"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "indicator", "kind"], name="target_plan_indicator_kind")]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return f"{self.indicator} {self.get_kind_display()} {self.value}"


class Observation(models.Model):
    """A value of an indicator for a region and year (month 0 = the whole year), with source and revision.

    A new value for the same key does not overwrite: it becomes the next revision and the current one.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="observations")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), default=0)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "region__code", "year", "month", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region", "year", "month", "revision"],
                                    name="observation_key_revision"),
        ]
        indexes = [models.Index(fields=["indicator", "region", "year"], name="observation_lookup")]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self):
        return f"{self.indicator.code} {self.region.code} {self.year}: {self.value}"
