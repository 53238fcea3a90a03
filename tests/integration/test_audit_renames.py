"""Audit events written under the old monitoring names are renamed by audit/0003 (the function the migration
runs, applied to real rows), and renamed back by its reverse."""
import importlib

import pytest
from django.apps import apps

from civicspace.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
migration = importlib.import_module("civicspace.audit.migrations.0003_monitoring_action_names")


def test_old_monitoring_event_names_are_renamed_and_back():
    AuditEvent.objects.create(action="monitoring.update_publish", data={"from": "verified", "to": "published"})
    AuditEvent.objects.create(action="monitoring.incident_create", data={"update": 1})
    AuditEvent.objects.create(action="monitoring.incident_edit", data={"update": 1})
    AuditEvent.objects.create(action="monitoring.trend_call", data={})
    migration.rename(apps, None)
    renamed = list(AuditEvent.objects.filter(action__startswith="monitoring.").order_by("pk")
                   .values_list("action", "data"))[-4:]
    assert renamed == [
        ("monitoring.update_transition", {"from": "verified", "to": "published", "transition": "publish"}),
        ("monitoring.incident_save", {"update": 1, "created": True}),
        ("monitoring.incident_save", {"update": 1, "created": False}),
        ("monitoring.trend_call_record", {}),
    ]
    migration.rename_back(apps, None)
    actions = list(AuditEvent.objects.filter(action__startswith="monitoring.").order_by("pk")
                   .values_list("action", flat=True))[-4:]
    assert actions == ["monitoring.update_publish", "monitoring.incident_create", "monitoring.incident_edit",
                       "monitoring.trend_call"]
