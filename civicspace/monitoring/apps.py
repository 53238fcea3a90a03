from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "civicspace.monitoring"
    label = "monitoring"

    def ready(self):
        from . import signals

        signals.connect()  # Incident.type_ids follows Incident.types
