"""Monitoring and early warning (专利预警): watch lists and the alerts they raise."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class WatchList(models.Model):
    """What a user watches: a saved query, a set of competitors, an IPC area, or an entity's own portfolio."""

    class Kind(models.TextChoices):
        QUERY = "query", _("saved query")
        COMPETITORS = "competitors", _("competitors")
        IPC = "ipc", _("IPC area")
        PORTFOLIO = "portfolio", _("own portfolio")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_lists")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    query = models.TextField(_("query"), blank=True)  # QUERY
    ipc_prefixes = models.CharField(_("IPC prefixes"), max_length=300, blank=True)  # IPC: "H01M, B60L53"
    # COMPETITORS / PORTFOLIO; a named reverse relation, so that merging an entity moves its watch lists too
    entities = models.ManyToManyField("entities.Entity", blank=True, related_name="watch_lists")
    events = models.JSONField(_("events to watch"), default=list, blank=True)  # Alert.Kind values; [] = all
    expiry_months = models.PositiveSmallIntegerField(_("warn of core patents expiring within (months)"), default=6)
    email = models.BooleanField(_("send e-mail"), default=False)
    feed_token = models.CharField(max_length=64, unique=True, default=_feed_token, editable=False)
    project = models.ForeignKey("navigation.Project", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="watch_lists")
    checked_until = models.DateField(_("checked up to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner", "name"]
        verbose_name = _("watch list")
        verbose_name_plural = _("watch lists")

    def __str__(self):
        return self.name


class Alert(models.Model):
    class Kind(models.TextChoices):
        PUBLICATION = "publication", _("new publication")  # 新公开
        GRANT = "grant", _("grant")  # 授权
        LAPSE = "lapse", _("lapse")  # 失效
        INVALIDATION = "invalidation", _("invalidation")  # 无效
        TRANSFER = "transfer", _("transfer")  # 转让
        LICENCE = "licence", _("licence")  # 许可
        PLEDGE = "pledge", _("pledge")  # 质押
        EXPIRY = "expiry", _("core patent expiring")  # 核心专利即将到期

    watch_list = models.ForeignKey(WatchList, on_delete=models.CASCADE, related_name="alerts")
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))  # of the publication or event; of the expiry for EXPIRY
    message = models.CharField(_("message"), max_length=500)
    read = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["watch_list", "patent", "kind", "date"],
                                               name="navigation_alert_once")]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self):
        return self.message
