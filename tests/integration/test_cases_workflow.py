"""Cases workflow: partners propose for their countries, editors verify and publish, names are published only
with an audited reason, stale submits are refused; through the services and through the workspace screens."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from civicspace.audit.models import AuditEvent
from civicspace.cases import selectors, services
from civicspace.cases.models import Case, CaseEvent
from civicspace.countries.models import Country
from civicspace.monitoring.models import Term

pytestmark = pytest.mark.django_db
NAME = "CANARY-case-person-name-3e7a"


def propose(people, actor="partner"):
    case = services.case_create(actor=people[actor], country=Country.objects.get(code="KGZ"), subject_type="person",
                                victim_type=Term.objects.get(vocabulary="victim", code="journalist"),
                                organisation="Synthetic Outlet (test)", subject_name=NAME)
    source = services.case_source_add(case=case, actor=people[actor], title="Synthetic report (test)",
                                      url="https://example.org/report")
    event = services.case_event_add(case=case, actor=people[actor], kind="arrest", date=dt.date(2025, 5, 1),
                                    source=source)
    return case, source, event


def test_partner_proposes_editor_verifies_and_publishes(people):
    case, source, event = propose(people)
    assert not event.verified and case.state == "proposed"
    assert case.pk not in [c.pk for c in selectors.public_cases()]
    with pytest.raises(PermissionDenied):
        services.case_publish(case=case, actor=people["partner"])
    with pytest.raises(ValidationError):  # nothing verified yet
        services.case_publish(case=case, actor=people["editor"])
    services.case_event_verify(event=event, actor=people["editor"])
    services.case_publish(case=case, actor=people["editor"])
    shown = next(c for c in selectors.public_cases() if c.pk == case.pk)
    assert shown.rule.status == "detained" and shown.shown_name == ""
    actions = set(AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk))
                  .values_list("action", flat=True))
    assert {"cases.case_create", "cases.case_event_propose", "cases.case_event_verify",
            "cases.case_publish"} <= actions
    assert case.history.count() >= 2


def test_partner_cannot_propose_for_another_country(people):
    before = Case.objects.count()
    with pytest.raises(PermissionDenied):
        services.case_create(actor=people["partner"], country=Country.objects.get(code="KAZ"),
                             subject_type="person")
    assert Case.objects.count() == before


def test_a_name_is_published_only_with_a_reason_and_the_reason_is_audited(people):
    case, _source, event = propose(people, "editor")
    services.case_publish(case=case, actor=people["editor"])
    with pytest.raises(PermissionDenied):
        services.case_name_publish(case=case, actor=people["partner"], reason="consent", note="x")
    with pytest.raises(ValidationError) as error:
        services.case_name_publish(case=case, actor=people["editor"], reason="consent", note=" ")
    assert "note" in error.value.message_dict
    case.refresh_from_db()
    assert not case.name_published
    services.case_name_publish(case=case, actor=people["editor"], reason="consent",
                               note="Consent given by the person's lawyer (synthetic)")
    shown = selectors.case_public_get(case.pk)
    assert shown.shown_name == NAME
    audit = AuditEvent.objects.get(action="cases.case_name_publish", target_id=str(case.pk))
    assert audit.data["reason"] == "consent" and audit.actor == people["editor"]
    # a changed name needs its own reason
    services.case_edit(case=case, actor=people["editor"], expected_version=Case.objects.get(pk=case.pk).version,
                       victim_type=case.victim_type, organisation=case.organisation, subject_name="Another name")
    assert selectors.case_public_get(case.pk).shown_name == ""


def test_a_stale_edit_is_refused_and_nothing_changes(people):
    case, _source, _event = propose(people)
    stale = case.version
    services.case_edit(case=case, actor=people["partner"], expected_version=stale, organisation="First (test)",
                       victim_type=None, subject_name=NAME)
    with pytest.raises(ValidationError) as error:
        services.case_edit(case=case, actor=people["partner"], expected_version=stale, organisation="Second (test)",
                           victim_type=None, subject_name=NAME)
    assert "Someone else saved this case" in error.value.message_dict["__all__"][0]
    assert Case.objects.get(pk=case.pk).organisation == "First (test)"


def test_invalid_events_are_refused_naming_the_field(people):
    case, source, _event = propose(people)
    cases = [
        ({"kind": "liquidation_ordered"}, "kind"),
        ({"kind": "verdict"}, "sentence"),
        ({"kind": "appeal"}, "outcome"),
        ({"kind": "arrest", "date": dt.date.today() + dt.timedelta(days=3)}, "date"),
        ({"kind": "arrest", "source": None}, "source"),
    ]
    before = CaseEvent.objects.count()
    for changes, field in cases:
        kwargs = {"kind": "arrest", "date": dt.date(2025, 1, 1), "source": source, **changes}
        with pytest.raises(ValidationError) as error:
            services.case_event_add(case=case, actor=people["partner"], **kwargs)
        assert field in error.value.message_dict
    assert CaseEvent.objects.count() == before


def test_workspace_screens(people):
    partner, editor, other = Client(), Client(), Client()
    partner.force_login(people["partner"])
    editor.force_login(people["editor"])
    other.force_login(people["partner_same_org_other_country"])
    kgz = Country.objects.get(code="KGZ")
    response = partner.post("/en/workspace/cases/new/", {
        "case-country": kgz.pk, "case-subject_type": "person", "case-organisation": "Synthetic Outlet (test)",
        "case-subject_name": NAME})
    case = Case.objects.get(subject_name=NAME)
    assert response.status_code == 302
    assert other.get(f"/en/workspace/cases/{case.pk}/").status_code == 404
    assert partner.post(f"/en/workspace/cases/{case.pk}/", {"action": "publish"}).status_code == 404
    partner.post(f"/en/workspace/cases/{case.pk}/", {"action": "source", "source-title": "Report (test)",
                                                     "source-url": "https://example.org/r"})
    source = case.sources.get()
    bad = partner.post(f"/en/workspace/cases/{case.pk}/", {"action": "event", "event-kind": "arrest",
                                                           "event-date": "2025-13", "event-source": source.pk})
    assert bad.status_code == 400 and not case.events.exists()
    partner.post(f"/en/workspace/cases/{case.pk}/", {"action": "event", "event-kind": "arrest",
                                                     "event-date": "2025-03", "event-source": source.pk})
    event = case.events.get()
    assert (event.date, event.date_precision, event.verified) == (dt.date(2025, 3, 1), "month", False)
    editor.post(f"/en/workspace/cases/{case.pk}/", {"action": "verify_event", "event": event.pk})
    editor.post(f"/en/workspace/cases/{case.pk}/", {"action": "publish", "version": Case.objects.get(pk=case.pk).version})
    assert Case.objects.get(pk=case.pk).state == "published"
    page = Client().get(f"/en/cases/{case.pk}/").content.decode()
    assert NAME not in page and "Synthetic Outlet (test)" in page
    stale = editor.post(f"/en/workspace/cases/{case.pk}/", {"action": "name", "name-reason": "consent",
                                                            "name-note": "x", "name-version": 1})
    assert stale.status_code == 400 and not Case.objects.get(pk=case.pk).name_published
    assert "Someone else saved this case" in stale.content.decode()  # shown on the form, not swallowed
