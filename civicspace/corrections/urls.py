from django.urls import path

from . import views, workspace

app_name = "corrections"

urlpatterns = [
    path("corrections/", views.record_list, name="record_list"),
    path("corrections/feed/", views.RecordFeed(), name="record_feed"),
    path("corrections/new/<slug:kind>/<slug:ref>/", views.request_new, name="request_new"),
    path("corrections/sent/", views.request_sent, name="sent"),
    path("corrections/confirm/<str:token>/", views.request_confirm, name="confirm"),
    path("workspace/corrections/", workspace.queue, name="queue"),
    path("workspace/corrections/<int:pk>/", workspace.request_detail, name="request_detail"),
    path("workspace/corrections/<int:pk>/<slug:action>/", workspace.request_decide, name="request_decide"),
]
