"""Issue 25 (languages of user text): an incident's place and a retraction's reason in the five languages.

A place is given in the update's original language and translated with the update; the public (pages, API,
export, search) reads it through monitoring's public selector: the reader's language once the update is shown in
it, else the original marked with its language; never any place, in any language, when coarsened to "country
only". A retraction's reason is written by the editor in one language, with optional translations; the notice
shows the reader's language when given, else the original marked with its language."""
import csv
import importlib
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from civicspace.exports import services as export_services
from civicspace.monitoring.forms import TransitionForm, TranslationForm
from civicspace.monitoring.models import Incident, Status, Update
from civicspace.search.services import update_documents
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _ in settings.LANGUAGES]
PLACES = {"en": "Bishkek", "ru": "Бишкек", "ar": "بيشكيك"}
COARSE = {lang: f"SYNTH-exact-place-{lang}-77" for lang in LANGUAGES}


def _published_with_places(people):
    """Original English; reviewed Russian, Arabic and Spanish translations of the update; the place translated into
    Russian and Arabic only (Spanish readers must see the English original, marked)."""
    update = make_update(people, Status.PUBLISHED)
    Update.objects.filter(pk=update.pk).update(
        translation_status={"ru": "reviewed", "ar": "reviewed", "es": "reviewed"},
        title_ru="Тестовое обновление", summary_ru="Кратко.", title_ar="تحديث تجريبي", summary_ar="ملخص.",
        title_es="Actualización de prueba", summary_es="Resumen.")
    incident = update.incidents.get()
    incident.place_precision = "city"
    for lang, place in PLACES.items():
        setattr(incident, f"place_{lang}", place)
    incident.save()
    return Update.objects.get(pk=update.pk), incident


def _read_incidents(tmp_path):
    stdout = io.StringIO()
    call_command("export", "--releases", str(tmp_path), stdout=stdout)
    release = tmp_path / export_services.release_versions(tmp_path)[0]
    with open(release / "incidents.csv", encoding="utf-8", newline="") as fh:
        return {int(row["id"]): row for row in csv.DictReader(fh)}, release


def test_the_public_page_shows_the_place_in_each_language_or_the_original_marked(people):
    update, _incident = _published_with_places(people)
    client = Client()
    expected = {"en": ("en", "Bishkek"), "ru": ("ru", "Бишкек"), "ar": ("ar", "بيشكيك"),
                "es": ("en", "Bishkek"),  # the update is translated, its place is not: the original, marked
                "fr": ("en", "Bishkek")}  # no French translation at all: the original
    for lang, (shown, place) in expected.items():
        page = client.get(f"/{lang}/updates/{update.pk}/").content.decode()
        assert f'<span lang="{shown}" dir="auto">{place}</span>' in page, lang
        for other in set(PLACES.values()) - {place}:
            assert other not in page, (lang, other)


def test_the_api_gives_the_localised_place(people):
    update, _incident = _published_with_places(people)
    client = Client()
    for lang, place in {"en": "Bishkek", "ru": "Бишкек", "ar": "بيشكيك", "es": "Bishkek", "fr": "Bishkek"}.items():
        data = client.get(f"/api/v1/updates/{update.pk}?lang={lang}").json()
        assert [i["place"] for i in data["incidents"]] == [place], lang


def test_the_export_lists_the_place_in_each_shown_language(people, tmp_path):
    _update, incident = _published_with_places(people)
    rows, release = _read_incidents(tmp_path)
    row = rows[incident.pk]
    assert row["place"] == "Bishkek" and row["place_precision"] == "city"
    assert (row["place_en"], row["place_ru"], row["place_ar"]) == ("Bishkek", "Бишкек", "بيشكيك")
    assert row["place_fr"] == "" and row["place_es"] == ""  # French not shown; Spanish shown but not translated
    codebook = (release / "codebook.md").read_text(encoding="utf-8") if (release / "codebook.md").exists() else ""
    assert not codebook or "place_ru" in codebook


def test_search_documents_carry_the_localised_place(people):
    update, _incident = _published_with_places(people)
    texts = {d.language: d.text for d in update_documents(update) if d.kind == "incident"}
    assert "Бишкек" in texts["ru"] and "بيشكيك" in texts["ar"] and "Bishkek" in texts["fr"]


def test_a_coarsened_incident_shows_no_place_translation_anywhere(people, tmp_path):
    update, incident = _published_with_places(people)
    # As a bulk write (bypassing Incident.save()) could leave it: coarsened, with a place in every language.
    Incident.objects.filter(pk=incident.pk).update(place_precision="country",
                                                   **{f"place_{lang}": COARSE[lang] for lang in LANGUAGES})
    client = Client()
    outputs = []
    for lang in LANGUAGES:
        outputs.append(client.get(f"/{lang}/updates/{update.pk}/").content.decode())
        api = client.get(f"/api/v1/updates/{update.pk}?lang={lang}").json()
        assert [i["place"] for i in api["incidents"]] == [""]
        outputs.append(str(api))
    outputs += [d.text for d in update_documents(Update.objects.get(pk=update.pk))]
    rows, _release = _read_incidents(tmp_path)
    outputs.append(str(rows[incident.pk]))
    assert all(rows[incident.pk][f"place_{lang}"] == "" for lang in LANGUAGES) and rows[incident.pk]["place"] == ""
    text = "\n".join(outputs)
    assert "Test update (synthetic)" in text  # the outputs were read
    assert not [lang for lang, marker in COARSE.items() if marker in text]


def test_saving_a_country_only_incident_keeps_no_place_in_any_language(people):
    _update, incident = _published_with_places(people)
    incident.place_precision = "country"
    incident.save()
    stored = Incident.objects.filter(pk=incident.pk).values(*[f"place_{lang}" for lang in LANGUAGES]).get()
    assert not any(stored.values())
    assert not incident.history.filter(place_ru="Бишкек", place_precision="country").exists()


def test_the_translation_form_takes_places_and_names_the_field(people):
    update = make_update(people, Status.DRAFT)
    incident = update.incidents.get()
    Incident.objects.filter(pk=incident.pk).update(place_precision="city", place_en="Osh")
    incident.refresh_from_db()
    data = {"title": "Т", "summary": "С", "status": "draft", f"incident_{incident.pk}_description": "",
            f"incident_{incident.pk}_outcome": "", f"incident_{incident.pk}_place": "О" * 201}
    form = TranslationForm(data, incidents=[incident], original_language="en")
    assert not form.is_valid()
    field = form[f"incident_{incident.pk}_place"]
    assert field.label == "Incident 1: place" and field.errors
    assert "Osh" in str(field.help_text)  # the original is shown to the translator
    # A coarsened incident has no place to translate.
    Incident.objects.filter(pk=incident.pk).update(place_precision="country", place_en="")
    incident.refresh_from_db()
    assert f"incident_{incident.pk}_place" not in TranslationForm(incidents=[incident]).fields


def test_the_partner_translates_the_place_through_the_workspace(people):
    update = make_update(people, Status.DRAFT)
    incident = update.incidents.get()
    Incident.objects.filter(pk=incident.pk).update(place_precision="city", place_en="Osh")
    partner = Client()
    partner.force_login(people["partner"])
    update.refresh_from_db()
    response = partner.post(f"/en/workspace/updates/{update.pk}/translations/ru/", {
        "title": "Тест", "summary": "Кратко.", "body": "", "status": "reviewed", "version": update.version,
        f"incident_{incident.pk}_description": "Описание.", f"incident_{incident.pk}_outcome": "",
        f"incident_{incident.pk}_place": " Ош "})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.place_en, incident.place_ru) == ("Osh", "Ош")
    # Editing the incident in the original language keeps the translation and shows the original place.
    page = partner.get(f"/ru/workspace/updates/{update.pk}/incidents/{incident.pk}/").content.decode()
    assert 'value="Osh"' in page


# --- the retraction reason --------------------------------------------------------------------------------------

def _retract(people, update, **data):
    editor = Client()
    editor.force_login(people["editor"])
    update.refresh_from_db()
    return editor.post(f"/en/workspace/updates/{update.pk}/actions/retract/", {"version": update.version, **data})


def test_the_retraction_reason_is_shown_in_each_language_or_marked_in_its_original(people):
    update = make_update(people, Status.PUBLISHED)
    _retract(people, update, text="La segunda fuente no era fiable.", reason_language="es",
             reason_ru="Второй источник оказался ненадёжным.", reason_ar="تبيّن أن المصدر الثاني غير موثوق.")
    update.refresh_from_db()
    assert update.status == Status.RETRACTED and update.retraction_language == "es"
    client = Client()
    pages = {lang: client.get(f"/{lang}/updates/{update.pk}/").content.decode() for lang in LANGUAGES}
    # In the page's own language it needs no mark; elsewhere the original is marked with its language.
    assert "Второй источник оказался ненадёжным." in pages["ru"] and 'lang="ru" dir="auto">Второй' not in pages["ru"]
    assert "تبيّن أن المصدر الثاني غير موثوق." in pages["ar"]
    assert "La segunda fuente no era fiable." in pages["es"]
    for lang in ("en", "fr"):
        assert '<span lang="es" dir="auto">La segunda fuente no era fiable.</span>' in pages[lang], lang
        assert "Второй источник" not in pages[lang]
    api = {lang: client.get(f"/api/v1/updates/{update.pk}?lang={lang}").json() for lang in LANGUAGES}
    assert (api["ru"]["retraction_reason"], api["ru"]["retraction_reason_language"]) == (
        "Второй источник оказался ненадёжным.", "ru")
    assert (api["fr"]["retraction_reason"], api["fr"]["retraction_reason_language"]) == (
        "La segunda fuente no era fiable.", "es")


def test_the_retraction_reason_translations_reach_the_alert_payload(people):
    from civicspace.alerts.payloads import build

    update = make_update(people, Status.PUBLISHED)
    _retract(people, update, text="The source was unreliable.", reason_language="en", reason_fr="Source peu fiable.")
    _pk, payload, _match = build("update.retracted", Update.objects.get(pk=update.pk))
    reasons = payload["update"]["retraction_reason"]
    assert reasons["fr"] == "Source peu fiable." and reasons["ru"] == reasons["en"] == "The source was unreliable."


def test_the_retraction_form_names_the_field_it_refuses(people):
    form = TransitionForm({"version": 1, "text": "Reason.", "reason_language": "en", "reason_en": "Again."})
    assert not form.is_valid() and form.errors["reason_en"]
    assert str(form.fields["reason_en"].label) == "Reason in English (optional)"
    form = TransitionForm({"version": 1, "text": "", "reason_language": "en", "reason_ru": "Причина."})
    assert not form.is_valid() and form.errors["text"]
    # Over HTTP the refusal is a message naming the field, and nothing changes.
    update = make_update(people, Status.PUBLISHED)
    response = _retract(people, update, text="Reason.", reason_language="en", reason_en="Again.")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(m.startswith("Reason in English (optional):") for m in messages), messages
    update.refresh_from_db()
    assert update.status == Status.PUBLISHED


def test_the_confirmation_page_offers_the_translations(people):
    update = make_update(people, Status.PUBLISHED)
    editor = Client()
    editor.force_login(people["editor"])
    page = editor.get(f"/fr/workspace/updates/{update.pk}/actions/retract/confirm/").content.decode()
    assert 'name="reason_language"' in page and '<option value="fr" selected>' in page
    assert all(f'name="reason_{lang}"' in page for lang in LANGUAGES)


# --- the data migration -----------------------------------------------------------------------------------------

def test_the_migration_moves_places_to_the_original_language_and_records_reason_languages(people):
    migration = importlib.import_module("civicspace.monitoring.migrations.0008_translated_place_and_retraction_reason")
    state = MigrationExecutor(connection).loader.project_state(
        [("monitoring", "0008_translated_place_and_retraction_reason")])
    old_incident, old_update = state.apps.get_model("monitoring", "Incident"), state.apps.get_model("monitoring", "Update")
    russian = make_update(people, Status.RETRACTED)
    old_update.objects.filter(pk=russian.pk).update(original_language="ru", retraction_reason="Источник ненадёжен.")
    city = russian.incidents.get()
    coarse = Incident.objects.create(update=russian, date="2024-01-02", date_precision="day")
    # As rows stood before: the place in the untranslated column only.
    old_incident.objects.filter(pk=city.pk).update(place="Бишкек", place_precision="city")
    old_incident.objects.filter(pk=coarse.pk).update(place="SYNTH-exact-street", place_precision="country",
                                                     place_en="SYNTH-exact-street")
    french = make_update(people, Status.RETRACTED)
    old_update.objects.filter(pk=french.pk).update(original_language="fr", retraction_reason="Source peu fiable.")
    migration.forwards(state.apps, None)
    city.refresh_from_db()
    assert city.place_ru == "Бишкек" and not city.place_en
    stored = old_incident.objects.filter(pk=coarse.pk).values("place", *[f"place_{l}" for l in LANGUAGES]).get()
    assert not any(stored.values())
    russian.refresh_from_db()
    french.refresh_from_db()
    assert (russian.retraction_language, russian.retraction_reason_ru) == ("ru", "Источник ненадёжен.")
    assert (french.retraction_language, french.retraction_reason_fr) == ("fr", "Source peu fiable.")
