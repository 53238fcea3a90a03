from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "civicspace.ratings"
    label = "ratings"
