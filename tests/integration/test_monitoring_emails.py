"""Issue 25: workflow e-mails, received by a real SMTP server on loopback: the country's editors on submit, the
partner on request-changes, verify, publish and retract, each in the recipient's language, queued on the task
worker (civicspace/jobs) after the commit."""
import pytest
from django.test import Client

from civicspace.accounts.models import Role
from civicspace.countries.models import Country
from civicspace.monitoring import services
from civicspace.monitoring.models import Status
from tests.monitoring_fixtures import make_update, make_user
from tests.smtp_server import smtp_inbox  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def post(user, update, name, text=""):
    client = Client()
    client.force_login(user)
    return client.post(f"/en/workspace/updates/{update.pk}/actions/{name}/", {"text": text, "version": update.version})


def test_the_workflow_mails_go_to_the_right_people_in_their_language(people, smtp_inbox,
                                                                     django_capture_on_commit_callbacks):
    partner, editor = people["partner"], people["editor"]
    partner.profile.language = "ru"
    partner.profile.save()
    editor.profile.countries.set(Country.objects.filter(code="KGZ"))
    other_editor = make_user("kaz-editor@test.invalid", Role.EDITOR, organisation=people["kgz_org"],
                             countries=["KAZ"], totp=True)
    update = make_update(people)
    steps = [("submit", partner, ""), ("start_review", editor, ""),
             ("request_changes", editor, "Add the court ruling."), ("submit", partner, ""),
             ("start_review", editor, ""), ("verify", editor, ""), ("publish", editor, ""),
             ("retract", editor, "The source withdrew its account.")]
    for name, actor, text in steps:
        update.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            assert post(actor, update, name, text).status_code == 302
    update.refresh_from_db()
    assert update.status == Status.RETRACTED
    # The editor of Kyrgyzstan got the two submissions, in English; the editor of Kazakhstan nothing.
    to_editor = smtp_inbox.to("editor@test.invalid")
    assert [m["subject"] for m in to_editor] == ["Submitted for review: Test update (synthetic)"] * 2
    assert "/en/workspace/updates/" in to_editor[0]["body"]
    assert smtp_inbox.to(other_editor.email) == []
    # The partner got four, in Russian, with the editor's words.
    to_partner = smtp_inbox.to("partner@test.invalid")
    assert [m["subject"].split(":")[0] for m in to_partner] == ["Запрошены изменения", "Проверено", "Опубликовано",
                                                                "Отозвано"]
    assert "Add the court ruling." in to_partner[0]["body"]
    assert "The source withdrew its account." in to_partner[3]["body"]
    assert "/ru/workspace/updates/" in to_partner[0]["body"]
    # start_review tells nobody.
    assert len(smtp_inbox.messages) == 6


def test_nothing_is_sent_for_a_refused_action_or_before_the_commit(people, smtp_inbox,
                                                                   django_capture_on_commit_callbacks):
    update = make_update(people, Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_transition(update=update, actor=people["editor"], name="verify", expected_version=1)
    assert smtp_inbox.messages == []  # not before the commit ...
    for callback in callbacks:
        callback()
    assert [m["to"] for m in smtp_inbox.messages] == [["partner@test.invalid"]]  # ... and once after it
    with django_capture_on_commit_callbacks(execute=True):
        post(people["editor"], update, "verify")  # stale version: refused
    assert len(smtp_inbox.messages) == 1
    from civicspace.jobs.models import OutgoingEmail
    assert OutgoingEmail.objects.filter(key__startswith=f"monitoring.update_transition:{update.pk}:").count() == 1


def test_a_mail_server_that_is_down_does_not_break_the_action(people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    update = make_update(people, Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(people["editor"], update, "verify").status_code == 302
    update.refresh_from_db()
    assert update.status == Status.VERIFIED
