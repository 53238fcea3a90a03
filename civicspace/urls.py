from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from civicspace.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include("civicspace.api.urls")),
    path("", include("civicspace.seo.urls")),  # robots.txt, sitemap.xml, favicon.ico
]
# Every public page lives under a language prefix: /en/ /ru/ /fr/ /es/ /ar/. "/" redirects to the
# visitor's preferred language (LocaleMiddleware).
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("civicspace.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("civicspace.monitoring.urls")),
    path("", include("civicspace.legislation.urls")),
    path("", include("civicspace.cases.urls")),  # issue 20: cases
    path("", include("civicspace.watchlist.urls")),
    path("", include("civicspace.ratings.urls")),
    path("", include("civicspace.findings.urls")),
    path("data/", include("civicspace.exports.urls")),
    path("search/", include("civicspace.search.urls")),
    path("", include("civicspace.intake.urls")),
    path("", include("civicspace.corrections.urls")),  # issue 21: corrections and right of reply
    path("", include("civicspace.alerts.urls")),  # issue 19: alerts
    path("", include("civicspace.publishing.urls")),
    path("", include("civicspace.mirror.urls")),  # issue 23: the Mirrors page
    path("", include("civicspace.seo.urls_i18n")),  # manifest, social-card images
    prefix_default_language=True,
)

handler403 = "civicspace.core.views.permission_denied"
handler404 = "civicspace.core.views.page_not_found"
handler500 = "civicspace.core.views.server_error"
