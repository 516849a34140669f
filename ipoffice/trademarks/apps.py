from django.apps import AppConfig


class TrademarksConfig(AppConfig):
    """The trademark register (商标信息数据库), its classification and clearance search."""

    name = "ipoffice.trademarks"
    label = "trademarks"
    verbose_name = "商标 Trademarks"

    def ready(self):
        from ipoffice.core import history
        from ipoffice.portal import sections

        from . import indicators  # noqa: F401  (registers the registry's indicator values)
        from .sections import entity_trademarks, region_trademarks

        sections.register(entity_trademarks, "entity")
        sections.register(region_trademarks, "region")
        history.register("trademark", "trademarks.Trademark")
