"""Per-language addresses: the web app manifest and the social-card images."""
from django.urls import path

from . import views

app_name = "seo_i18n"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("cards/site.png", views.card_site, name="card_site"),
    path("cards/countries/<slug:slug>.png", views.card_country, name="card_country"),
    path("cards/watchlist/<slug:slug>.png", views.card_watchlist, name="card_watchlist"),
    path("cards/findings/<slug:slug>.png", views.card_findings, name="card_findings"),
]
