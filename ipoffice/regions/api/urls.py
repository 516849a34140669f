from .views import RegionGroupViewSet, RegionViewSet


def register(router):
    router.register("regions", RegionViewSet, basename="region")
    router.register("region-groups", RegionGroupViewSet, basename="regiongroup")
