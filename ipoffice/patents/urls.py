from django.urls import path

from . import views

app_name = "patents"
urlpatterns = [
    path("ipc/", views.ipc_browse, name="ipc"),
    path("ipc/<path:symbol>/", views.ipc_browse, name="ipc-symbol"),
    path("<str:office>/<str:number>/", views.patent_detail, name="detail"),
]
