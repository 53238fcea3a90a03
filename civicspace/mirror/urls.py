from django.urls import path

from . import views

app_name = "mirror"

urlpatterns = [
    path("mirrors/", views.mirrors, name="mirrors"),
]
