from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "civicspace.corrections"
    verbose_name = "Corrections and right of reply"

    def ready(self):
        from . import signals  # noqa: F401  (a government's open challenge joins the country's next proposal)
