from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "civicspace.findings"
    label = "findings"
