"""Watch lists, alerts and their feeds (专利预警)."""

urlpatterns = []
