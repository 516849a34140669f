from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("balance/", views.balance, name="balance"),
    path("index/<slug:code>/", views.composite_index, name="index"),
    path("report/<slug:plan>/<int:year>/", views.annual_report, name="report"),
    path("report/<slug:plan>/<int:year>/pdf/", views.annual_report_pdf, name="report-pdf"),
    path("report/<slug:plan>/<int:year>/xlsx/", views.annual_report_xlsx, name="report-xlsx"),
    path("<slug:code>/", views.indicator_detail, name="indicator"),
]
