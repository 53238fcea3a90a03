"""An HTML comment in a Markdown body is not published (issue 14): not as text on the page, not raw in the API
body, not in the export, not in search snippets; and it is not even stored."""
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from civicspace.monitoring.models import Status, Update
from civicspace.search.services import index_record
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db

HIDDEN = "CANARY-html-comment-0f3a"
RAW = "CANARY-raw-html-attr-91"
BODY = f"Public synthetic paragraph.\n\n<!-- {HIDDEN} -->\n\n<span title=\"{RAW}\">Also public</span>."


def test_saving_a_body_stores_it_without_comments_or_raw_html(people):
    update = make_update(people, Status.DRAFT)
    update.body_en = BODY
    update.save()
    stored = Update.objects.get(pk=update.pk).body_en
    assert HIDDEN not in stored and RAW not in stored and "<" not in stored
    assert "Public synthetic paragraph." in stored and "Also public." in stored


def test_no_public_output_shows_hidden_text_even_from_a_row_written_in_bulk(people, tmp_path):
    update = make_update(people, Status.PUBLISHED)
    Update.objects.filter(pk=update.pk).update(body_en=BODY)  # bypasses save(): rendering must clean too
    index_record(Update.objects.get(pk=update.pk))
    client = Client()
    outputs = {}
    for lang, _name in settings.LANGUAGES:
        outputs[f"page {lang}"] = client.get(f"/{lang}/updates/{update.pk}/").content.decode()
        outputs[f"api {lang}"] = client.get(f"/api/v1/updates/{update.pk}?lang={lang}").content.decode()
        outputs[f"search {lang}"] = client.get(f"/{lang}/search/?q=paragraph").content.decode()
    api_body = client.get(f"/api/v1/updates/{update.pk}?lang=en").json()["body"]
    assert "Public synthetic paragraph." in api_body
    call_command("export", "--out", str(tmp_path), stdout=io.StringIO())
    for path in tmp_path.rglob("updates.*"):
        outputs[path.name] = path.read_text(encoding="utf-8", errors="replace")
    assert any(name.startswith("updates.") for name in outputs)
    assert f"/en/updates/{update.pk}/" in outputs["search en"] and "<mark>paragraph</mark>" in outputs["search en"]
    leaked = [where for where, text in outputs.items() if HIDDEN in text or RAW in text]
    assert not leaked, leaked


def test_the_partner_sees_the_text_as_it_will_be_published(people):
    update = make_update(people, Status.DRAFT)
    Update.objects.filter(pk=update.pk).update(body_en=BODY)
    client = Client()
    client.force_login(people["partner"])
    page = client.get(f"/en/workspace/updates/{update.pk}/").content.decode()
    assert "<p>Public synthetic paragraph.</p>" in page
    assert HIDDEN not in page and RAW not in page


def test_the_migration_cleans_stored_bodies_and_their_history(people):
    import importlib

    from django.apps import apps

    update = make_update(people, Status.PUBLISHED)
    Update.objects.filter(pk=update.pk).update(body_en=BODY, body_fr=BODY)
    update.history.model.objects.filter(id=update.pk).update(body_en=BODY)
    importlib.import_module("civicspace.monitoring.migrations.0005_clean_markdown_bodies").clean(apps, None)
    stored = Update.objects.get(pk=update.pk)
    assert HIDDEN not in stored.body_en + stored.body_fr and "Also public." in stored.body_fr
    assert not update.history.model.objects.filter(body_en__contains=HIDDEN).exists()
