"""The division tree (GB/T 2260), region groups of the plan and population by year."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """An administrative division: province (省), prefecture-level city (地级市) or county/district (县/区)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        DISTRICT = 3, _("district")

    code = models.CharField(_("division code"), max_length=6, unique=True,
                            help_text=_("six-digit GB/T 2260 code, e.g. 440106"))
    name = models.CharField(_("name"), max_length=50)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:region", args=[self.code])

    @property
    def code_prefix(self) -> str:
        """The significant digits of the code: 44 for a province, 4401 for a city, 440106 for a district."""
        return self.code[: 2 * self.level]


class RegionGroup(models.Model):
    """A group of cities that the plan compares, e.g. 珠三角 (Pearl River Delta) and 粤东/粤西/粤北."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    members = models.ManyToManyField(Region, verbose_name=_("member cities"), related_name="groups")
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["order"]
        verbose_name = _("region group")
        verbose_name_plural = _("region groups")

    def __str__(self):
        return self.name


class Population(models.Model):
    """Year-end resident population (年末常住人口) of a region, in units of 10,000 people."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE,
                               related_name="population")
    year = models.PositiveSmallIntegerField(_("year"))
    population_10k = models.DecimalField(_("population (10,000)"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["region__code", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="population_region_year")]
        verbose_name = _("population")
        verbose_name_plural = _("population")

    def __str__(self):
        return f"{self.region} {self.year}: {self.population_10k}"
