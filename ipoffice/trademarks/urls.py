from django.urls import path

from . import views

app_name = "trademarks"
urlpatterns = [
    path("", views.mark_search, name="search"),
    path("clear/", views.clearance, name="clear"),
    path("statistics/", views.statistics, name="statistics"),
    path("watches/", views.watches, name="watches"),
    path("goods/", views.goods_search, name="goods"),
    path("classification/", views.classes, name="classes"),
    path("classification/<str:edition>/", views.classes, name="classes-edition"),
    path("classification/<str:edition>/class/<int:number>/", views.nice_class, name="class"),
    path("classification/<str:edition>/group/<str:code>/", views.similar_group, name="group"),
    path("classification/<str:edition>/item/<str:code>/", views.goods_item, name="item"),
    path("<str:office>/<str:number>/", views.mark_detail, name="detail"),
]
