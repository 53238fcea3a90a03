"""The editorial journey over HTTP, with revision history and audit events for every step."""
import re

import pytest
from django.conf import settings
from django.test import Client

from civicspace.audit.models import AuditEvent
from civicspace.monitoring.models import Status, Update
from tests.monitoring_fixtures import (CONFIDENTIAL_NOTE, CONFIDENTIAL_TITLE, SENSITIVE_NAME,
                                       make_update, term)

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _ in settings.LANGUAGES]


def login(people, role):
    client = Client()
    client.force_login(people[role])
    return client


def act(client, update, name, text=""):
    update.refresh_from_db()
    return client.post(f"/en/workspace/updates/{update.pk}/actions/{name}/", {"text": text, "version": update.version})


def test_submit_review_publish_journey(people):
    partner, editor = login(people, "partner"), login(people, "editor")
    expression, raid, journalist, police = (term("freedom", "expression"), term("violation", "raid_search"),
                                            term("victim", "journalist"), term("perpetrator", "police"))
    # The partner writes in Russian.
    response = partner.post("/ru/workspace/updates/new/", {
        "country": people["partner"].profile.countries.get().pk, "date": "2024-03-05", "original_language": "ru",
        "title": "Обыски в редакциях (тест)", "summary": "Краткое содержание.", "body": "Текст.",
        "freedoms": [expression.pk],
    })
    update = Update.objects.get(title_ru="Обыски в редакциях (тест)")
    assert response.status_code == 302 and update.status == Status.DRAFT
    partner.post(f"/ru/workspace/updates/{update.pk}/sources/new/",
                 {"title": "Открытый источник", "url": "https://example.org/a", "language": "ru"})
    partner.post(f"/ru/workspace/updates/{update.pk}/sources/new/",
                 {"title": CONFIDENTIAL_TITLE, "confidential": "on", "note": CONFIDENTIAL_NOTE})
    sources = list(update.sources.order_by("pk"))
    response = partner.post(f"/ru/workspace/updates/{update.pk}/incidents/new/", {
        "date": "2024-01", "place": "", "place_precision": "country", "description": "Обыск в редакции.",
        "freedoms": [expression.pk], "types": [raid.pk], "perpetrators": [police.pk],
        "sources": [s.pk for s in sources],
        "victims-TOTAL_FORMS": "2", "victims-INITIAL_FORMS": "0", "victims-MIN_NUM_FORMS": "0",
        "victims-MAX_NUM_FORMS": "20", "victims-0-type": journalist.pk, "victims-0-count": "11",
        "victims-0-names": SENSITIVE_NAME, "victims-0-names_sensitive": "on",
    })
    assert response.status_code == 302
    incident = update.incidents.get()
    assert (incident.date_precision, incident.victims.get().count) == ("month", 11)

    assert act(partner, update, "submit").status_code == 302
    act(editor, update, "start_review")
    act(editor, update, "request_changes", "Please add the date of the second raid.")
    update.refresh_from_db()
    assert update.status == Status.CHANGES_REQUESTED
    # The partner sees the editor's comment and the status.
    page = partner.get(f"/ru/workspace/updates/{update.pk}/").content.decode()
    assert "Please add the date of the second raid." in page
    act(partner, update, "submit")
    act(editor, update, "start_review")
    # The editor adds the English translation, then verifies and publishes.
    update.refresh_from_db()
    editor.post(f"/en/workspace/updates/{update.pk}/translations/en/", {
        "title": "Newsroom raids (test)", "summary": "Summary.", "body": "Text.", "status": "reviewed",
        "version": update.version})
    act(editor, update, "verify")
    act(editor, update, "publish")
    update.refresh_from_db()
    assert update.status == Status.PUBLISHED and update.published_at

    public = Client().get(f"/en/updates/{update.pk}/").content.decode()
    assert "Newsroom raids (test)" in public and "Открытый источник" in public
    assert CONFIDENTIAL_TITLE not in public and SENSITIVE_NAME not in public and CONFIDENTIAL_NOTE not in public
    assert "Обыски в редакциях (тест)" in Client().get(f"/ru/updates/{update.pk}/").content.decode()
    # Not yet translated into French: shown in the original with a note.
    assert "Обыски в редакциях (тест)" in Client().get(f"/fr/updates/{update.pk}/").content.decode()

    # Every transition left an audit event with who, from and to ...
    events = list(AuditEvent.objects.filter(target_id=str(update.pk), action__startswith="monitoring.update_")
                  .order_by("created_at", "id").values_list("action", "actor__email", "data"))
    transitions = [(a, who, d.get("from"), d.get("to")) for a, who, d in events if "from" in d]
    assert transitions == [
        ("monitoring.update_submit", "partner@test.invalid", "draft", "submitted"),
        ("monitoring.update_start_review", "editor@test.invalid", "submitted", "in_review"),
        ("monitoring.update_request_changes", "editor@test.invalid", "in_review", "changes_requested"),
        ("monitoring.update_submit", "partner@test.invalid", "changes_requested", "submitted"),
        ("monitoring.update_start_review", "editor@test.invalid", "submitted", "in_review"),
        ("monitoring.update_verify", "editor@test.invalid", "in_review", "verified"),
        ("monitoring.update_publish", "editor@test.invalid", "verified", "published"),
    ]
    # ... and a revision, with the state it moved to and the reason.
    history = list(update.history.order_by("history_date").values_list("status", "history_change_reason"))
    assert [h for h in history if h[1]] == [
        ("submitted", "submit"), ("in_review", "start_review"), ("changes_requested", "request_changes"),
        ("submitted", "submit"), ("in_review", "start_review"), ("verified", "verify"), ("published", "publish"),
    ]
    assert update.history.filter(title_en="Newsroom raids (test)").exists()  # the translation is a revision too

    # Retraction needs a public reason, which the public then sees.
    response = act(editor, update, "retract", "")
    update.refresh_from_db()
    assert update.status == Status.PUBLISHED
    act(editor, update, "retract", "The second source was found to be unreliable.")
    public = Client().get(f"/en/updates/{update.pk}/").content.decode()
    assert "This update was retracted." in public and "The second source was found to be unreliable." in public
    assert "Обыск в редакции." not in public
    assert f"/en/updates/{update.pk}/" not in Client().get("/en/updates/").content.decode()


def test_publishing_requires_evidence(people):
    editor = login(people, "editor")
    update = make_update(people, Status.IN_REVIEW, with_evidence=False)
    response = act(editor, update, "verify")
    update.refresh_from_db()
    assert update.status == Status.IN_REVIEW
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "The update cites no source." in messages


def test_an_incident_without_a_source_blocks_publication(people):
    editor = login(people, "editor")
    update = make_update(people, Status.VERIFIED)
    update.incidents.get().sources.clear()
    response = act(editor, update, "publish")
    update.refresh_from_db()
    assert update.status == Status.VERIFIED
    assert any("cites no source" in str(m) for m in response.wsgi_request._messages)


def test_request_changes_needs_a_comment(people):
    editor = login(people, "editor")
    update = make_update(people, Status.IN_REVIEW)
    response = act(editor, update, "request_changes", "  ")
    update.refresh_from_db()
    assert update.status == Status.IN_REVIEW
    assert "Say what needs to change: the comment is required." in [str(m) for m in response.wsgi_request._messages]


# Confidential sources and sensitive names on public pages: tests/integration/test_leak_canary.py crawls them all.


def test_unpublished_updates_are_not_public(client, people):
    for state in [s for s in Status if s not in (Status.PUBLISHED, Status.RETRACTED)]:
        update = make_update(people, state)
        assert client.get(f"/en/updates/{update.pk}/").status_code == 404
        assert f"/en/updates/{update.pk}/" not in client.get("/en/updates/").content.decode()


def test_markdown_is_sanitised(client, people):
    update = make_update(people, Status.PUBLISHED)
    update.body_en = ('Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)">\n\n'
                      "**bold** [ok](https://example.org/ok)")
    update.save()
    html = client.get(f"/en/updates/{update.pk}/").content.decode()
    body = html[html.index('<div class="prose"'):html.index("</article>")]
    # Raw HTML is removed before storing and rendering (core/text.clean_markdown): neither markup nor text; a
    # javascript: link is not made a link.
    assert "<script" not in body and "<img" not in body and 'href="javascript' not in body
    assert "&lt;script" not in body and "onerror" not in body and "Hello alert(1)" in body
    assert "<strong>bold</strong>" in body and 'href="https://example.org/ok"' in body


def test_updates_list_filters(client, people):
    update = make_update(people, Status.PUBLISHED)
    url = f"/en/updates/{update.pk}/"
    assert url in client.get("/en/updates/?country=kgz&violation=raid_search&victim=journalist").content.decode()
    assert url in client.get("/en/updates/?region=europe-central-asia&freedom=expression").content.decode()
    assert url not in client.get("/en/updates/?violation=internet_shutdown").content.decode()
    assert url not in client.get("/en/updates/?country=kaz").content.decode()
    assert url in client.get("/en/updates/?date_from=2024-03-01&date_to=2024-03-31").content.decode()
    assert url not in client.get("/en/updates/?date_from=2024-04-01").content.decode()


@pytest.mark.parametrize("query, message", [
    ("country=zzz", "Country: Select a valid choice."),
    ("date_from=2024-13-01", "From: Enter a valid date."),
    ("date_from=2024-05-01&date_to=2024-04-01", "To: The end date is before the start date."),
    ("violation=nonsense", "Violation type: Select a valid choice."),
])
def test_updates_list_rejects_bad_filters_with_the_field_named(client, query, message):
    response = client.get(f"/en/updates/?{query}")
    assert response.status_code == 200
    assert message in re.sub(r"<[^>]+>", "", response.content.decode())


def test_country_page_shows_latest_updates_and_incident_counts(client, people):
    update = make_update(people, Status.PUBLISHED)
    update.incidents.update(date=update.date)
    from django.utils import timezone
    update.date = timezone.localdate()
    update.save()
    update.incidents.update(date=timezone.localdate())
    html = client.get("/en/countries/kgz/").content.decode()
    assert f"/en/updates/{update.pk}/" in html
    assert re.search(r"Raid or search</a> <strong>1</strong>", html)


def test_demo_content_is_on_the_kyrgyzstan_page_in_english_and_russian(client):
    from django.core.management import call_command
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    english = client.get("/en/countries/kgz/").content.decode()
    russian = client.get("/ru/countries/kgz/").content.decode()
    update = Update.objects.get(import_key="kgz-2024-03-05")
    assert f"/en/updates/{update.pk}/" in english and f"/ru/updates/{update.pk}/" in russian
    assert update.title_en in english and update.title_ru in russian
    detail = client.get(f"/en/updates/{update.pk}/").content.decode()
    for fact in ["24.KG", "Temirov Live", "Kloop Media", "International Partnership for Human Rights"]:
        assert fact in detail
    assert "Journalist (11)" in detail
    # Loading it again changes nothing.
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    assert Update.objects.filter(import_key="kgz-2024-03-05").count() == 1


def test_incident_descriptions_are_translated_with_the_update(people):
    editor = login(people, "editor")
    update = make_update(people, Status.PUBLISHED)
    incident = update.incidents.get()
    response = editor.post(f"/en/workspace/updates/{update.pk}/translations/fr/", {
        "title": "Mise à jour (test)", "summary": "Résumé.", "body": "", "status": "reviewed",
        "version": update.version, f"incident_{incident.pk}_description": "Perquisition (test).",
        f"incident_{incident.pk}_outcome": ""})
    assert response.status_code == 302
    page = Client().get(f"/fr/updates/{update.pk}/").content.decode()
    assert "Mise à jour (test)" in page and "Perquisition (test)." in page
    assert "Synthetic incident." in Client().get(f"/es/updates/{update.pk}/").content.decode()
