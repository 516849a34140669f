from django.urls import path

from . import views

app_name = "navigation"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
]
