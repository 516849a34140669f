"""Entities (主体): who holds, applies for, infringes, pledges or serves IP, and how names lead to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .credit_code import credit_code_problem


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(_("Invalid unified social credit code %(code)s: %(problem)s"),
                              params={"code": value, "problem": problem}, code="credit_code")


class Entity(models.Model):
    """A market subject or person, under its normalised name, with its aliases and region."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        UNIVERSITY = "university", _("university")
        INSTITUTE = "institute", _("research institute")
        INDIVIDUAL = "individual", _("individual")
        AGENCY = "agency", _("IP service agency")
        PUBLIC_BODY = "public_body", _("public body")

    class Size(models.TextChoices):  # 企业规模 (统计上大中小微型企业划分办法)
        LARGE = "large", _("large")
        MEDIUM = "medium", _("medium")
        SMALL = "small", _("small")
        MICRO = "micro", _("micro")
        UNKNOWN = "", _("unknown")

    class Industry(models.TextChoices):  # GB/T 4754-2017 门类
        A = "A", _("A agriculture, forestry, animal husbandry and fishery")
        B = "B", _("B mining")
        C = "C", _("C manufacturing")
        D = "D", _("D electricity, heat, gas and water")
        E = "E", _("E construction")
        F = "F", _("F wholesale and retail")
        G = "G", _("G transport, storage and post")
        H = "H", _("H accommodation and catering")
        I = "I", _("I information transmission, software and IT services")  # noqa: E741
        J = "J", _("J finance")
        K = "K", _("K real estate")
        L = "L", _("L leasing and business services")
        M = "M", _("M scientific research and technical services")
        N = "N", _("N water, environment and public facilities")
        O = "O", _("O residential and other services")  # noqa: E741
        P = "P", _("P education")
        Q = "Q", _("Q health and social work")
        R = "R", _("R culture, sports and entertainment")
        S = "S", _("S public administration and social organisations")
        T = "T", _("T international organisations")
        UNKNOWN = "", _("unknown")

    name = models.CharField(_("name"), max_length=200, db_index=True)
    name_key = models.CharField(_("matching key"), max_length=200, db_index=True, editable=False)
    core_key = models.CharField(_("core name"), max_length=200, db_index=True, editable=False)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    name_pinyin = models.CharField(max_length=400, blank=True, editable=False)
    name_initials = models.CharField(max_length=100, blank=True, editable=False)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True, null=True,
                                   blank=True, validators=[validate_credit_code])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
    size_class = models.CharField(_("size class"), max_length=10, choices=Size.choices, blank=True)
    industry = models.CharField(_("industry (GB/T 4754)"), max_length=1, choices=Industry.choices, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="entities")
    address = models.CharField(_("address"), max_length=300, blank=True)
    parent = models.ForeignKey("self", verbose_name=_("parent (for a branch)"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="branches")
    is_high_tech = models.BooleanField(_("high-tech enterprise"), default=False)  # 高新技术企业
    is_national_ip_demo = models.BooleanField(_("national IP demonstration enterprise"), default=False)
    is_national_ip_advantage = models.BooleanField(_("national IP advantage enterprise"), default=False)
    is_provincial_ip_demo = models.BooleanField(_("provincial IP demonstration enterprise"), default=False)
    is_provincial_ip_advantage = models.BooleanField(_("provincial IP advantage enterprise"), default=False)
    is_gbt29490_certified = models.BooleanField(_("GB/T 29490 certified"), default=False)  # 知识产权管理规范
    is_generated = models.BooleanField(_("generated demo record"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    FLAG_FIELDS = ("is_high_tech", "is_national_ip_demo", "is_national_ip_advantage", "is_provincial_ip_demo",
                   "is_provincial_ip_advantage", "is_gbt29490_certified")

    class Meta:
        ordering = ["name"]
        permissions = [("merge_entity", _("Can merge two entities"))]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("portal:entity", args=[self.pk])

    def fill_derived_fields(self) -> None:
        """Normalise the name and credit code and compute the matching keys (also before bulk creation)."""
        from ipoffice.core.text import pinyin_and_initials

        from .names import clean_name, core_name, name_key

        self.name = clean_name(self.name)[:200]
        self.name_key, self.core_key = name_key(self.name)[:200], core_name(self.name)[:200]
        name_pinyin, initials = pinyin_and_initials(self.name)
        self.name_pinyin, self.name_initials = name_pinyin[:400], initials[:100]
        self.credit_code = self.credit_code.strip().upper() if self.credit_code else None

class EntityAlias(models.Model):
    """Another name under which the entity appears: alias, former name, English name, abbreviation."""

    class Kind(models.TextChoices):
        ALIAS = "alias", _("alias")
        FORMER = "former", _("former name")
        ENGLISH = "english", _("English name")
        ABBREVIATION = "abbreviation", _("abbreviation")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ALIAS)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["entity", "name_key"], name="alias_entity_key")]
        verbose_name = _("entity alias")
        verbose_name_plural = _("entity aliases")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .names import clean_name, name_key

        self.name = clean_name(self.name)
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)


class MatchDecision(models.Model):
    """Why an incoming name (an applicant, an owner, a party) was linked to an entity, or made a new one."""

    class Method(models.TextChoices):
        CREDIT_CODE = "credit_code", _("same credit code")
        NAME = "name", _("same normalised name")
        ALIAS = "alias", _("known alias")
        CORE_NAME = "core_name", _("same core name in the same region")
        BRANCH = "branch", _("branch of a known entity")
        CREATED = "created", _("no match: new entity")

    input_name = models.CharField(_("name as given"), max_length=300)
    input_address = models.CharField(_("address as given"), max_length=300, blank=True)
    input_credit_code = models.CharField(max_length=30, blank=True)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="match_decisions")
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    score = models.FloatField(_("score"))
    reason = models.CharField(_("reason"), max_length=500)
    source = models.CharField(_("source record"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")

    def __str__(self):
        return f"{self.input_name} → {self.entity_id} ({self.method})"


class EntityMerge(models.Model):
    """A record that one entity was merged into another; the old id keeps leading to the survivor."""

    merged_id = models.BigIntegerField(_("merged entity id"), db_index=True)
    merged_name = models.CharField(_("merged entity name"), max_length=200)
    merged_credit_code = models.CharField(max_length=18, blank=True)
    target = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="merges")
    moved = models.JSONField(_("links moved"), default=dict)
    reason = models.CharField(_("reason"), max_length=500)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("entity merge")
        verbose_name_plural = _("entity merges")

    def __str__(self):
        return f"{self.merged_name} → {self.target}"
