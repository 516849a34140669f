from django.urls import path

from . import views

app_name = "trademarks"
urlpatterns = [
    path("", views.mark_search, name="search"),
]
