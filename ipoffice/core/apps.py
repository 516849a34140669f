from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared infrastructure: set-up and demo commands, history pages, API plumbing, text helpers."""

    name = "ipoffice.core"
    label = "core"
    verbose_name = "平台 Platform"

    def ready(self):
        from . import sqlite

        sqlite.install()
