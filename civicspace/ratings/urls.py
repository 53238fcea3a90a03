from django.urls import path  # noqa: F401  (staff screens for rating decisions are added here)

app_name = "ratings"

urlpatterns = []
