from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "civicspace.legislation"
    label = "legislation"
