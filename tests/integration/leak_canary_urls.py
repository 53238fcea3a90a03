"""The real site plus one failing view, for the canary crawl's 500 pages."""
from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from civicspace.urls import handler403, handler404, handler500, urlpatterns as site_urlpatterns  # noqa: F401


def failing_view(request):
    """A bug on a page about a draft update with a confidential source: the 500 page and the log must not carry
    the source's contents."""
    from civicspace.monitoring.models import Status, Update

    update = Update.objects.filter(status=Status.DRAFT).first()
    source = update.sources.get(confidential=True)
    raise RuntimeError(f"simulated failure while rendering update {update.pk}, source {source.pk}")


urlpatterns = site_urlpatterns + i18n_patterns(path("crash/", failing_view), prefix_default_language=True)
