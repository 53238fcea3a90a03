from django.urls import path

from . import views

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("verify-email/", views.email_verification_needed, name="account_email_verification_needed"),
]
