from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.subscribe, name="subscribe"),
    path("alerts/sent/", views.sent, name="sent"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/manage/<str:token>/", views.manage, name="manage"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/webhooks/", views.webhook_request, name="webhook_request"),
    path("alerts/webhooks/sent/", views.webhook_sent, name="webhook_sent"),
    path("alerts/webhooks/confirm/<str:token>/", views.webhook_confirm, name="webhook_confirm"),
    path("alerts/webhooks/manage/<str:token>/", views.webhook_manage, name="webhook_manage"),
    path("alerts/webhooks/manage/<str:token>/rotate/", views.webhook_rotate, name="webhook_rotate"),
    path("alerts/webhooks/manage/<str:token>/delete/", views.webhook_delete, name="webhook_delete"),
]
