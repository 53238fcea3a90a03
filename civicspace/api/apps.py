from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "civicspace.api"
    label = "civicspace_api"
    verbose_name = "Public API"
    default_auto_field = "django.db.models.BigAutoField"
