"""One API router; each module registers its viewsets in its ``api/urls.py`` ``register(router)``."""

from importlib import import_module

from django.apps import apps
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
for config in apps.get_app_configs():
    if config.name.startswith("ipoffice."):
        try:
            module = import_module(f"{config.name}.api.urls")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.api" and error.name != f"{config.name}.api.urls":
                raise
            continue
        module.register(router)
