from django.apps import AppConfig


class PatentsConfig(AppConfig):
    """The patent registry (专利大数据): documents, parties, classifications, citations, legal events."""

    name = "ipoffice.patents"
    label = "patents"
    verbose_name = "专利 Patents"
