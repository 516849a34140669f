"""URL map: portal pages, back office, API with its schema and docs, auth pages, language switch."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ipoffice.core.api import TokenView
from ipoffice.core.api_urls import router

admin.site.site_header = "ipoffice 知识产权管理平台"
admin.site.site_title = "ipoffice"
admin.site.index_title = "后台管理 Back office"

urlpatterns = [
    path("", include("ipoffice.portal.urls")),
    path("indicators/", include("ipoffice.indicators.urls")),
    path("patents/", include("ipoffice.patents.urls")),
    path("trademarks/", include("ipoffice.trademarks.urls")),
    path("navigation/", include("ipoffice.navigation.urls")),
    path("accounts/", include("ipoffice.accounts.urls")),
    path("history/", include("ipoffice.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/token/", TokenView.as_view(), name="api-token"),
    path("api/", include(router.urls)),
]
