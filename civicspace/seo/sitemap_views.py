"""The sitemap index and its sections, every address absolute on SITE_URL (not on the request's Host)."""
from django.contrib.sitemaps import views as django_sitemaps
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .sitemaps import absolute, all_sections


@require_safe
def index(request):
    entries = []
    for name, sitemap in all_sections().items():
        location = absolute(reverse("seo:sitemap_section", args=[name]))
        pages = sitemap.paginator.num_pages
        lastmod = sitemap.get_latest_lastmod()
        for page in range(1, pages + 1):
            entries.append({"location": location if page == 1 else f"{location}?p={page}", "last_mod": lastmod})
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries},
                            content_type="application/xml")


@require_safe
def section(request, section):
    sections = all_sections()
    if section not in sections:
        raise Http404("No such sitemap")
    return django_sitemaps.sitemap(request, {section: sections[section]}, section=section)
