from django.urls import path

from . import views, workspace

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/feed/", views.CaseEventsFeed(), name="case_feed"),
    path("cases/feed/country/<slug:country>/", views.CaseEventsFeed(), name="case_feed_country"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/feed/", views.CaseEventsFeed(), name="case_feed_case"),
    path("workspace/cases/", workspace.case_workspace, name="workspace"),
    path("workspace/cases/new/", workspace.case_new, name="case_new"),
    path("workspace/cases/<int:pk>/", workspace.case_manage, name="case_manage"),
]
