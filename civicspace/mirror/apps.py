from django.apps import AppConfig


class MirrorConfig(AppConfig):
    name = "civicspace.mirror"
    verbose_name = "Mirror kit"
    default_auto_field = "django.db.models.BigAutoField"
