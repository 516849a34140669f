"""Which entities an enterprise user acts for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Representative(models.Model):
    """A registered enterprise user acting for an entity (one user may act for several)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations")
    entity = models.ForeignKey("entities.Entity", on_delete=models.CASCADE, related_name="representatives")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "entity"], name="representative_user_entity")]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self):
        return f"{self.user} → {self.entity}"
