from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "civicspace.alerts"
    verbose_name = "Alerts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The domains announce public changes inside their transactions (civicspace.core.events); the outbox row
        # is written by this listener in the same transaction.
        from civicspace.core.events import public_event_signal

        from .services import event_from_signal

        public_event_signal.connect(event_from_signal, dispatch_uid="alerts.event_record")
