"""Platform-wide permissions that belong to no single model, and the import manifest every registry keeps."""

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


class ImportManifestBase(models.Model):
    """What one import of one file did: records read, created, updated, unchanged, rejected (with reasons).
    Each registry keeps its own table of them (``patents.ImportManifest``, ``trademarks.ImportManifest``)."""

    path = models.CharField(max_length=1000)
    sha256 = models.CharField(max_length=64, db_index=True)
    format = models.CharField(max_length=40)
    status = models.CharField(max_length=12)  # done / failed
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)

    class Meta:
        abstract = True
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.path} {self.status}"
