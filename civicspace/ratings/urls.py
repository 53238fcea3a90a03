from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    path("workspace/ratings/", views.proposal_list, name="proposal_list"),
    path("workspace/ratings/open-due/", views.proposals_open_due, name="proposals_open_due"),
    path("workspace/ratings/proposals/new/", views.proposal_new, name="proposal_new"),
    path("workspace/ratings/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("workspace/ratings/proposals/<int:pk>/vote/", views.proposal_vote, name="proposal_vote"),
    path("workspace/ratings/proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("workspace/ratings/proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("workspace/ratings/editions/new/", views.draft_new, name="draft_new"),
    path("workspace/ratings/editions/<int:pk>/publish/", views.draft_publish, name="draft_publish"),
    path("workspace/ratings/errata/new/", views.erratum_new, name="erratum_new"),
    path("workspace/assessments/", views.assessment_list, name="assessment_list"),
    path("workspace/assessments/new/", views.assessment_new, name="assessment_new"),
    path("workspace/assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
]
