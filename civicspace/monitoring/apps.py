from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "civicspace.monitoring"
    label = "monitoring"
