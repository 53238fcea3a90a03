from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "civicspace.audit"
    label = "audit"
