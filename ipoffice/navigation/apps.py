from django.apps import AppConfig


class NavigationConfig(AppConfig):
    """Patent navigation projects, watch lists and alerts, filing tracking and quality signals."""

    name = "ipoffice.navigation"
    label = "navigation"
    verbose_name = "专利导航 Patent navigation"

    def ready(self):
        from ipoffice.core import history

        history.register("navigationproject", "navigation.Project")
        history.register("filingsignal", "navigation.Signal")
