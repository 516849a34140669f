from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    """Plans, indicators, targets, observations, evaluation, composite indices, the annual report."""

    name = "ipoffice.indicators"
    label = "indicators"
    verbose_name = "规划指标 Plan indicators"
