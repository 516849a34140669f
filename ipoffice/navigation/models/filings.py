"""Signals of possibly abnormal filings (非正常专利申请) for an officer to review: evidence, never a verdict."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Signal(models.Model):
    class Kind(models.TextChoices):
        NEAR_DUPLICATE = "near_duplicate", _("near-duplicate texts")  # 内容高度雷同
        APPLICANT_BURST = "applicant_burst", _("filing burst of an applicant")  # 申请量异常激增
        AGENCY_BURST = "agency_burst", _("filing burst of an agency")
        SHARED_ADDRESS = "shared_address", _("many filings from one address")  # 同一地址大量申请

    class Status(models.TextChoices):
        OPEN = "open", _("to review")
        DISMISSED = "dismissed", _("reviewed: nothing abnormal")
        REFERRED = "referred", _("reviewed: referred for action")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200)  # what the signal is about, stable across runs (dedupe)
    subject = models.CharField(_("subject"), max_length=300)  # applicant, agency, address or the first document
    period = models.CharField(_("period"), max_length=20, blank=True)  # e.g. 2024-03
    score = models.FloatField(_("strength"))
    evidence = models.JSONField(_("evidence"), default=dict)
    patents = models.ManyToManyField("patents.Patent", related_name="+")
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    detected_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "-score"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="navigation_signal_key")]
        permissions = [("review_signals", _("Can review filing signals"))]
        verbose_name = _("filing signal")
        verbose_name_plural = _("filing signals")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"
