"""Which entities an enterprise user acts for, and whether an officer has confirmed it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Representative(models.Model):
    """A registered enterprise user acting for an entity (one user may act for several).

    A user who registers asks to act for an entity; an officer confirms or rejects the request.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations")
    entity = models.ForeignKey("entities.Entity", on_delete=models.CASCADE, related_name="representatives")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "entity"], name="representative_user_entity")]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self):
        return f"{self.user} → {self.entity}"
