from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.data_index, name="data_index"),
    path("<str:version>/", views.release_detail, name="release_detail"),
    path("<str:version>/<str:filename>", views.release_file, name="release_file"),
]
