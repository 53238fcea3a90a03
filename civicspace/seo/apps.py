from django.apps import AppConfig


class SeoConfig(AppConfig):
    """Findable and shareable: robots.txt, sitemaps, canonical links, social cards, structured data, icons."""

    name = "civicspace.seo"
    verbose_name = "Findability and sharing"
