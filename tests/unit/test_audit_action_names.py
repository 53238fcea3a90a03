"""Audit action names follow one scheme, <app>.<service>: the app that writes the event, then the service's
name in snake case. Every call of audit_event_record in the code is read (its action may be a literal, a
choice of literals, or an f-string whose fixed part names the app), so a new event outside the scheme fails
here; the data migration renames the events written under the old schemes."""
import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "civicspace"
NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9]+(_[a-z0-9]+)*$")


def _actions(node):
    """The action strings a call can write; an f-string yields its text with each placeholder as 'x'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _actions(node.body) + _actions(node.orelse)
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)]
    return [None]  # not readable without running the code: refused below


def _calls():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        app = path.relative_to(ROOT).parts[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "audit_event_record":
                continue
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            for text in _actions(action) if action is not None else [None]:
                yield f"{path.relative_to(ROOT.parent)}:{node.lineno}", app, text


def test_every_audit_action_in_the_code_is_app_dot_service():
    calls = list(_calls())
    assert len(calls) > 40  # the scan reads the real code
    wrong = [(where, text) for where, app, text in calls
             if text is None or not NAME.match(text) or text.split(".")[0] != app]
    assert wrong == []


def test_the_scan_refuses_the_old_schemes():
    for old in ("rating_proposal.opened", "scores.computed", "assessment.submitted"):
        assert NAME.match(old) and old.split(".")[0] != "ratings"  # written in ratings/, so refused
    assert not NAME.match("ratings.Import") and not NAME.match("ratings")


@pytest.mark.django_db
def test_the_migration_renames_old_events():
    from django.apps import apps

    from civicspace.audit.models import AuditEvent

    migration = importlib.import_module("civicspace.audit.migrations.0002_audit_action_names")
    old = ["rating_proposal.voted", "rating_proposal.decided", "rating_proposal.withdrawn", "rating_edition.drafted",
           "rating_edition.published", "rating_edition.erratum", "ratings.import", "scores.computed",
           "monitoring.update_create"]
    before = set(AuditEvent.objects.values_list("pk", flat=True))  # what the loaded reference data wrote
    for action in old:
        AuditEvent.objects.create(action=action)
    manual = AuditEvent.objects.create(action="rating_proposal.opened", data={"manual": True})
    rule = AuditEvent.objects.create(action="rating_proposal.opened", data={"score": "41.0"})
    saved = AuditEvent.objects.create(action="assessment.saved", data={"answers": 3})
    submitted = AuditEvent.objects.create(action="assessment.submitted", data={"answers": 9})
    migration.rename(apps, None)
    after = set(AuditEvent.objects.exclude(pk__in=before).values_list("action", flat=True))
    assert after == {"ratings.proposal_vote", "ratings.proposal_decide", "ratings.proposal_withdraw",
                     "ratings.draft_create", "ratings.draft_publish", "ratings.erratum_record",
                     "ratings.ratings_import", "ratings.scores_compute_all", "monitoring.update_create",
                     "ratings.proposal_open", "ratings.proposals_open_due", "ratings.assessment_save"}
    assert AuditEvent.objects.get(pk=manual.pk).action == "ratings.proposal_open"
    assert AuditEvent.objects.get(pk=rule.pk).action == "ratings.proposals_open_due"
    assert AuditEvent.objects.get(pk=saved.pk).data == {"answers": 3, "submitted": False}
    assert AuditEvent.objects.get(pk=submitted.pk).data == {"answers": 9, "submitted": True}
    assert all(NAME.match(a) for a in after)
