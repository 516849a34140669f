from .views import EntityViewSet


def register(router):
    router.register("entities", EntityViewSet, basename="entity")
