from django.apps import AppConfig

# Apps whose rows appear on public pages: any change to them starts a new publication generation.
PUBLIC_APPS = ("countries", "ratings", "monitoring", "legislation", "watchlist", "findings")


class PageCacheConfig(AppConfig):
    name = "civicspace.pagecache"
    label = "pagecache"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from civicspace.search.services import index_changed

        from .services import publication_changed

        # The pattern of the Watchlist backtest cache (watchlist/apps.py), for every public model: the
        # revision-history copies are saved with their model, so they are left out.
        for label in PUBLIC_APPS:
            for model in apps.get_app_config(label).get_models():
                if model.__name__.startswith("Historical"):
                    continue
                uid = f"pagecache-{model._meta.label}"
                post_save.connect(publication_changed, sender=model, dispatch_uid=f"{uid}-save")
                post_delete.connect(publication_changed, sender=model, dispatch_uid=f"{uid}-delete")
                for field in model._meta.local_many_to_many:
                    m2m_changed.connect(publication_changed, sender=field.remote_field.through,
                                        dispatch_uid=f"{uid}-{field.name}-m2m")
        # The search index is rebuilt after the publishing transaction commits: its pages change then.
        index_changed.connect(publication_changed, dispatch_uid="pagecache-search-index")
