from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "civicspace.exports"
    label = "exports"
    verbose_name = "Data releases"
