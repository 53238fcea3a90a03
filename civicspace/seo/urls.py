"""Language-neutral addresses at the site's root: robots.txt, the sitemap index and sections, the icon."""
from django.urls import path

from . import sitemap_views, views

app_name = "seo"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap_views.index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemap_views.section, name="sitemap_section"),
]
