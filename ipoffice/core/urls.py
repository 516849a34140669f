from django.urls import path

from . import views

app_name = "history"
urlpatterns = [
    path("", views.recent_changes, name="recent"),
    path("<str:model>/<str:pk>/", views.object_history, name="object"),
]
