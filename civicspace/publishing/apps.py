from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "civicspace.publishing"
    label = "publishing"
