from django.apps import AppConfig


class PatentsConfig(AppConfig):
    """The patent registry (专利大数据): documents, parties, classifications, citations, legal events."""

    name = "ipoffice.patents"
    label = "patents"
    verbose_name = "专利 Patents"

    def ready(self):
        from ipoffice.core import history
        from ipoffice.portal import sections

        from .search import indexing
        from .sections import entity_patents, region_patents

        sections.register(entity_patents, "entity")
        sections.register(region_patents, "region")
        history.register("patent", "patents.Patent")
        indexing.connect()
