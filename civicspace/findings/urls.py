from django.urls import path

from . import views

app_name = "findings"

urlpatterns = [
    path("findings/", views.findings_latest, name="latest"),
    path("findings/compare/", views.findings_compare, name="compare"),
    path("findings/<slug:slug>/", views.findings_edition, name="edition"),
    path("findings/<slug:slug>/report.pdf", views.findings_report, name="report"),
]
