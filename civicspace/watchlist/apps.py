from django.apps import AppConfig


class WatchlistConfig(AppConfig):
    name = "civicspace.watchlist"
    label = "watchlist"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from civicspace.ratings.models import PublishedRating, RatingEdition

        from .models import WatchlistEdition, WatchlistEntry
        from .selectors import backtest_cache_clear

        # The cached backtest depends on these rows only.
        for model in (PublishedRating, RatingEdition, WatchlistEdition, WatchlistEntry):
            post_save.connect(backtest_cache_clear, sender=model, dispatch_uid=f"backtest-{model.__name__}")
            post_delete.connect(backtest_cache_clear, sender=model, dispatch_uid=f"backtest-del-{model.__name__}")
