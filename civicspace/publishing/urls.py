from django.urls import path

from . import updates, views

app_name = "publishing"

urlpatterns = [
    path("", views.home, name="home"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<slug:slug>/", views.country_detail, name="country_detail"),
    path("ratings/", views.ratings_index, name="ratings_index"),
    path("ratings/<slug:rating>/", views.rating_detail, name="rating_detail"),
    path("updates/", updates.update_list, name="update_list"),
    path("updates/<int:pk>/", updates.update_detail, name="update_detail"),
]
