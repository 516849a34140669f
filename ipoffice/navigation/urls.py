from .views import filings, monitoring, projects

app_name = "navigation"
urlpatterns = [*projects.urlpatterns, *monitoring.urlpatterns, *filings.urlpatterns]
