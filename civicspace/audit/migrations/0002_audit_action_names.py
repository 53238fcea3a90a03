"""One scheme for audit action names, <app>.<service>: the ratings events written before it had three
(rating_proposal.opened, rating_edition.published, assessment.submitted, scores.computed, ratings.import).
Old events are renamed here; OLD_TO_NEW is the mapping, also for reading older backups or logs."""
from django.db import migrations

OLD_TO_NEW = {
    "rating_proposal.voted": "ratings.proposal_vote",
    "rating_proposal.decided": "ratings.proposal_decide",
    "rating_proposal.withdrawn": "ratings.proposal_withdraw",
    "rating_edition.drafted": "ratings.draft_create",
    "rating_edition.published": "ratings.draft_publish",
    "rating_edition.erratum": "ratings.erratum_record",
    "ratings.import": "ratings.ratings_import",
    "scores.computed": "ratings.scores_compute_all",
}
# rating_proposal.opened was written by two services: the editor's (data.manual) and the score rule's.
OPENED = "rating_proposal.opened"
ASSESSMENT = {"assessment.saved": False, "assessment.submitted": True}


def rename(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for old, new in OLD_TO_NEW.items():
        AuditEvent.objects.filter(action=old).update(action=new)
    for event in AuditEvent.objects.filter(action=OPENED):
        event.action = "ratings.proposal_open" if event.data.get("manual") else "ratings.proposals_open_due"
        event.save(update_fields=["action"])
    for old, submitted in ASSESSMENT.items():
        for event in AuditEvent.objects.filter(action=old):
            event.action, event.data = "ratings.assessment_save", {**event.data, "submitted": submitted}
            event.save(update_fields=["action", "data"])


def rename_back(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for old, new in OLD_TO_NEW.items():
        AuditEvent.objects.filter(action=new).update(action=old)
    AuditEvent.objects.filter(action__in=["ratings.proposal_open", "ratings.proposals_open_due"]).update(
        action=OPENED)
    for event in AuditEvent.objects.filter(action="ratings.assessment_save"):
        event.action = "assessment.submitted" if event.data.pop("submitted", False) else "assessment.saved"
        event.save(update_fields=["action", "data"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(rename, rename_back)]
