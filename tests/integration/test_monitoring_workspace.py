"""Issue 25: a workspace that guides (original text always shown to staff, the editor's request on top, the
checklist, previews, confirmation before publish and retract, history with diffs, the review queue)."""
import re

import pytest
from django.test import Client

from civicspace.countries.models import Country
from civicspace.monitoring import services
from civicspace.monitoring.models import Status, Update
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def russian_update(people):
    update = make_update(people, Status.SUBMITTED)
    Update.objects.filter(pk=update.pk).update(original_language="ru", title_en="", summary_en="", body_en="",
                                               title_ru="Обыски в редакциях", summary_ru="Краткое изложение.",
                                               body_ru="Текст **обновления**.")
    update.refresh_from_db()
    return update


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_staff_always_see_the_original_text_with_its_language_named(people, lang):
    update = russian_update(people)
    page = client_for(people["editor"]).get(f"/{lang}/workspace/updates/{update.pk}/").content.decode()
    assert 'lang="ru" dir="ltr">Обыски в редакциях</h1>' in page
    assert "Краткое изложение." in page and "<strong>обновления</strong>" in page
    assert f"Update {update.pk}<" not in page
    queue = client_for(people["editor"]).get(f"/{lang}/workspace/review/").content.decode()
    assert "Обыски в редакциях" in queue


def test_the_latest_request_for_changes_is_at_the_top(people):
    update = make_update(people, Status.IN_REVIEW)
    services.update_transition(update=update, actor=people["editor"], name="request_changes",
                               text="Name the court.", expected_version=1)
    page = client_for(people["partner"]).get(f"/en/workspace/updates/{update.pk}/").content.decode()
    assert page.index("The editor asks for these changes") < page.index("Actions")
    assert page.index("Name the court.") < page.index('id="text-title"')


def test_the_checklist_before_submitting(people):
    update = make_update(people)
    incident = update.incidents.get()
    incident.sources.clear()
    page = text(client_for(people["partner"]).get(f"/en/workspace/updates/{update.pk}/"))
    assert "Before submitting: checklist" in page
    assert "To do: Incident 1 cites no source." in page
    assert "Check: Incident 1: the victims' names will be published" in page.replace("&#x27;", "'")
    assert "Not yet translated (or not reviewed): Русский" in page or "Not yet translated" in page


def test_markdown_preview_shows_what_will_be_published_and_saves_nothing(people):
    update = make_update(people)
    partner = client_for(people["partner"])
    response = partner.post(f"/en/workspace/updates/{update.pk}/edit/", {
        "country": update.country_id, "date": "2024-03-01", "title": "T", "summary": "S",
        "body": "A **bold** claim\n\n<script>alert(1)</script>", "freedoms": [update.freedoms.get().pk],
        "version": 1, "preview": "1"})
    page = response.content.decode()
    assert "<strong>bold</strong>" in page and "<script>alert(1)</script>" not in page.split("preview-title")[1][:600]
    update.refresh_from_db()
    assert update.body_en == "Synthetic **body**." and update.version == 1


def test_publish_and_retract_ask_for_confirmation_with_a_preview(people):
    update = make_update(people, Status.VERIFIED)
    editor = client_for(people["editor"])
    workspace = editor.get(f"/en/workspace/updates/{update.pk}/").content.decode()
    assert f"/en/workspace/updates/{update.pk}/actions/publish/confirm/" in workspace
    assert 'value="publish"' not in workspace  # no one-click publish
    confirm = editor.get(f"/en/workspace/updates/{update.pk}/actions/publish/confirm/")
    page = text(confirm)
    assert "Publish this update?" in page and "Synthetic incident." in page and "Public test source" in page
    assert "CANARY" not in page.split("Preview of the public page")[1].split("confidential source")[0]
    update.refresh_from_db()
    assert update.status == Status.VERIFIED  # looking publishes nothing
    assert editor.get(f"/en/workspace/updates/{update.pk}/actions/retract/confirm/").status_code == 403


def test_history_shows_field_diffs_and_translated_state_names(people):
    update = make_update(people, Status.IN_REVIEW)
    services.update_transition(update=update, actor=people["editor"], name="verify", expected_version=1)
    page = text(client_for(people["editor"]).get(f"/ru/workspace/updates/{update.pk}/history/"))
    assert "Проверено" in page and "verified" not in page and "start_review" not in page


def test_the_review_queue_shows_submission_date_and_only_the_editors_countries(people):
    update = make_update(people)
    services.update_transition(update=update, actor=people["partner"], name="submit", expected_version=1)
    editor = people["editor"]
    editor.profile.countries.set(Country.objects.filter(code__in=["KGZ", "KAZ"]))
    page = client_for(editor).get("/en/workspace/review/").content.decode()
    assert "submitted " in page and " ago)" in page
    options = re.findall(r'<option value="([A-Z]{3})"', page)
    assert sorted(options) == ["KAZ", "KGZ"]


def test_a_refused_edit_names_the_state(people):
    update = make_update(people, Status.RETRACTED)
    response = client_for(people["editor"]).get(f"/en/workspace/updates/{update.pk}/edit/")
    assert response.status_code == 403
    assert "Retracted" in text(response) and "Your account may not do this" not in text(response)


def test_form_errors_are_summarised_at_the_top_with_links_to_the_fields(people):
    response = client_for(people["partner"]).post("/en/workspace/updates/new/", {"title": ""})
    page = response.content.decode()
    assert 'class="form-errors error-summary"' in page
    assert '<a href="#id_title">Title: This field is required.</a>' in page
    assert 'id="id_freedoms"' in page


def test_a_translation_saved_with_status_missing_warns(people):
    update = make_update(people)
    response = client_for(people["partner"]).post(f"/en/workspace/updates/{update.pk}/translations/ru/", {
        "title": "Заголовок", "summary": "Кратко", "body": "", "status": "missing", "version": 1,
        **{f"incident_{i.pk}_description": "" for i in update.incidents.all()},
        **{f"incident_{i.pk}_outcome": "" for i in update.incidents.all()}}, follow=True)
    page = text(response)
    assert "its status is still “Missing”: readers do not see it" in page and "Translation saved." not in page
