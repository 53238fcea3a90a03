from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "civicspace.intake"
    verbose_name = "Intake assistant"
