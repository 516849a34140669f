"""Navigation pages, one module per concern, each with its ``urlpatterns`` (gathered by ``navigation.urls``)."""
