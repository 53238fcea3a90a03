"""A URLconf for the error-page tests: the real site plus one view that fails."""
from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from civicspace.urls import handler403, handler404, handler500, urlpatterns as site_urlpatterns  # noqa: F401


def failing_view(request):
    raise RuntimeError("secret internal detail 7f3a")


urlpatterns = site_urlpatterns + i18n_patterns(path("boom/", failing_view), prefix_default_language=True)
