from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "civicspace.legislation"
    label = "legislation"

    def ready(self):
        from . import signals  # noqa: F401  (a bill's stored stage follows its stage events)
