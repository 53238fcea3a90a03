from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/review/", views.review_queue, name="review_queue"),
    path("workspace/trend-calls/", views.trend_calls, name="trend_calls"),
    path("workspace/updates/new/", views.update_new, name="update_new"),
    path("workspace/updates/<int:pk>/", views.update_workspace, name="update_workspace"),
    path("workspace/updates/<int:pk>/edit/", views.update_edit, name="update_edit"),
    path("workspace/updates/<int:pk>/delete/", views.update_delete, name="update_delete"),
    path("workspace/updates/<int:pk>/history/", views.update_history, name="update_history"),
    path("workspace/updates/<int:pk>/translations/<str:lang>/", views.update_translate, name="update_translate"),
    path("workspace/updates/<int:pk>/incidents/new/", views.incident_form, name="incident_new"),
    path("workspace/updates/<int:pk>/incidents/<int:incident_pk>/", views.incident_form, name="incident_edit"),
    path("workspace/updates/<int:pk>/incidents/<int:incident_pk>/delete/", views.incident_delete,
         name="incident_delete"),
    path("workspace/updates/<int:pk>/sources/new/", views.source_form, name="source_new"),
    path("workspace/updates/<int:pk>/sources/<int:source_pk>/", views.source_form, name="source_edit"),
    path("workspace/updates/<int:pk>/sources/<int:source_pk>/delete/", views.source_delete, name="source_delete"),
    path("workspace/updates/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("workspace/updates/<int:pk>/actions/<str:name>/", views.update_transition, name="update_transition"),
    path("workspace/updates/<int:pk>/actions/<str:name>/confirm/", views.transition_confirm,
         name="transition_confirm"),
]
