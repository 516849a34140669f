from .views import PatentViewSet


def register(router):
    router.register("patents", PatentViewSet, basename="patent")
