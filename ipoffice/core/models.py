"""Platform-wide permissions that belong to no single model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformPermission(models.Model):
    """Holder of permissions that span modules (no table)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_history", _("Can view the change history of records"))]

    def __str__(self):
        return "platform permissions"
