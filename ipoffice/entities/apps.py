from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    """Market subjects and persons that hold, apply for, pledge or serve IP."""

    name = "ipoffice.entities"
    label = "entities"
    verbose_name = "主体 Entities"
