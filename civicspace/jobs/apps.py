from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "civicspace.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
