from django.urls import path

from . import views

app_name = "legislation"

urlpatterns = [
    path("workspace/laws/", views.bill_workspace_list, name="workspace_list"),
    path("workspace/laws/new/", views.bill_form, name="bill_new"),
    path("workspace/laws/<int:pk>/", views.bill_manage, name="bill_manage"),
    path("workspace/laws/<int:pk>/edit/", views.bill_form, name="bill_edit"),
    path("workspace/laws/<int:pk>/stages/new/", views.stage_event_add, name="stage_add"),
    path("workspace/laws/<int:pk>/sources/", views.bill_source_add, name="source_add"),
    path("workspace/laws/stages/<int:event_pk>/<str:decision>/", views.stage_event_decide, name="stage_decide"),
]
