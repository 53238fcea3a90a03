from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("workspace/intake/", views.intake_new, name="new"),
]
