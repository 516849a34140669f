from .views import GoodsItemViewSet, SimilarGroupViewSet, TrademarkViewSet


def register(router):
    router.register("trademarks", TrademarkViewSet, basename="trademark")
    router.register("trademark-groups", SimilarGroupViewSet, basename="trademark-group")
    router.register("trademark-items", GoodsItemViewSet, basename="trademark-item")
