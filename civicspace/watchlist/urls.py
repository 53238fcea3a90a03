from django.urls import path

from . import views

app_name = "watchlist"

urlpatterns = [
    path("workspace/watchlist/", views.edition_list, name="edition_list"),
    path("workspace/watchlist/<slug:slug>/", views.compose, name="compose"),
    path("workspace/watchlist/<slug:slug>/countries/", views.entry_add, name="entry_add"),
    path("workspace/watchlist/<slug:slug>/countries/<int:entry_pk>/<str:action>/", views.entry_update,
         name="entry_update"),
    path("workspace/watchlist/<slug:slug>/press-release/", views.press_release_save, name="press_release_save"),
    path("workspace/watchlist/<slug:slug>/publish/", views.publish, name="publish"),
]
