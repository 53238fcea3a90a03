from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "civicspace.search"
    label = "search"
