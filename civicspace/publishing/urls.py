from django.urls import path

from . import feeds, laws, methodology, statements, updates, views, watchlist

app_name = "publishing"

urlpatterns = [
    path("", views.home, name="home"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<slug:slug>/", views.country_detail, name="country_detail"),
    path("ratings/", views.ratings_index, name="ratings_index"),
    path("ratings/changes/feed/", feeds.RatingChangesFeed(), name="rating_changes_feed"),
    path("ratings/changes/feed/rss/", feeds.RatingChangesRss(), name="rating_changes_feed_rss"),
    path("ratings/changes/feed/country/<slug:country>/", feeds.RatingChangesFeed(),
         name="rating_changes_feed_country"),
    path("ratings/changes/<slug:slug>/", methodology.edition_changes, name="edition_changes"),
    path("ratings/<slug:rating>/", views.rating_detail, name="rating_detail"),
    path("methodology/", methodology.methodology_page, name="methodology"),
    path("accessibility/", statements.accessibility_statement, name="accessibility"),
    path("updates/", updates.update_list, name="update_list"),
    path("updates/feed/", feeds.UpdatesFeed(), name="updates_feed"),
    path("updates/feed/rss/", feeds.UpdatesRss(), name="updates_feed_rss"),
    path("updates/feed/country/<slug:country>/", feeds.UpdatesFeed(), name="updates_feed_country"),
    path("updates/feed/country/<slug:country>/rss/", feeds.UpdatesRss(), name="updates_feed_country_rss"),
    path("updates/feed/type/<slug:violation>/", feeds.UpdatesFeed(), name="updates_feed_type"),
    path("updates/feed/type/<slug:violation>/rss/", feeds.UpdatesRss(), name="updates_feed_type_rss"),
    path("updates/<int:pk>/", updates.update_detail, name="update_detail"),
    path("watchlist/", watchlist.watchlist_index, name="watchlist_index"),
    path("watchlist/feed/", watchlist.WatchlistFeed(), name="watchlist_feed"),
    path("watchlist/feed/rss/", feeds.WatchlistRss(), name="watchlist_feed_rss"),
    path("watchlist/<slug:slug>/", watchlist.watchlist_edition, name="watchlist_edition"),
    path("watchlist/<slug:slug>/press-release/", watchlist.press_release, name="press_release"),
    path("laws/", laws.law_list, name="law_list"),
    path("laws/feed/", laws.StageChangesFeed(), name="law_feed"),
    path("laws/feed/rss/", laws.StageChangesRss(), name="law_feed_rss"),
    path("laws/<int:pk>/", laws.bill_detail, name="bill_detail"),
    path("laws/<int:pk>/feed/", laws.StageChangesFeed(), name="bill_feed"),
]
