from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicspace.core"
    label = "core"
