from django.apps import AppConfig


class WatchlistConfig(AppConfig):
    name = "civicspace.watchlist"
    label = "watchlist"
