from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public web site: home, search, region and entity pages."""

    name = "ipoffice.portal"
    label = "portal"
    verbose_name = "门户 Portal"
