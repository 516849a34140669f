from django.urls import path, re_path

from . import views

app_name = "patents"
urlpatterns = [
    path("", views.search, name="search"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("ipc/", views.ipc_browse, name="ipc"),
    path("ipc/<path:symbol>/", views.ipc_browse, name="ipc-symbol"),
    path("<str:office>/<str:number>/", views.patent_detail, name="detail"),
]
