from django.apps import AppConfig


class RegionsConfig(AppConfig):
    """GB/T 2260 administrative divisions, the plan's region groups, population by year."""

    name = "ipoffice.regions"
    label = "regions"
    verbose_name = "行政区划 Regions"
