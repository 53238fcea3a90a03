"""The monitoring services were renamed to one service per change (issue 14/25): a workflow step is
monitoring.update_transition (the step in data.transition), an incident's creation or edit is
monitoring.incident_save (data.created says which), a trend call is monitoring.trend_call_record. Events written
under the old names are renamed here; the mappings below also serve for reading older backups or logs."""
from django.db import migrations

TRANSITIONS = ("submit", "start_review", "request_changes", "verify", "publish", "retract")
INCIDENT = {"monitoring.incident_create": True, "monitoring.incident_edit": False}
RENAMED = {"monitoring.trend_call": "monitoring.trend_call_record"}


def rename(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for name in TRANSITIONS:
        for event in AuditEvent.objects.filter(action=f"monitoring.update_{name}"):
            event.action, event.data = "monitoring.update_transition", {**(event.data or {}), "transition": name}
            event.save(update_fields=["action", "data"])
    for old, created in INCIDENT.items():
        for event in AuditEvent.objects.filter(action=old):
            event.action, event.data = "monitoring.incident_save", {**(event.data or {}), "created": created}
            event.save(update_fields=["action", "data"])
    for old, new in RENAMED.items():
        AuditEvent.objects.filter(action=old).update(action=new)


def rename_back(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for event in AuditEvent.objects.filter(action="monitoring.update_transition"):
        name = (event.data or {}).get("transition")
        if name in TRANSITIONS:
            event.action = f"monitoring.update_{name}"
            event.save(update_fields=["action"])
    for event in AuditEvent.objects.filter(action="monitoring.incident_save"):
        if "created" in (event.data or {}):
            event.action = "monitoring.incident_create" if event.data["created"] else "monitoring.incident_edit"
            event.save(update_fields=["action"])
    for old, new in RENAMED.items():
        AuditEvent.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_action_names")]
    operations = [migrations.RunPython(rename, rename_back)]
