"""Issue 25 (item 4): text written by people (titles, incident accounts) is marked with its own language when it
is not the page's, so screen readers pronounce it and Arabic punctuation lands on the right side in a
left-to-right page (and the reverse)."""
import re

import pytest

from civicspace.monitoring.models import Update

pytestmark = pytest.mark.django_db


def arabic_original():
    update = Update.objects.published().filter(original_language="ar", translation_status={}).first()
    assert update is not None, "the demo data holds Arabic-original updates without translations"
    return update


def test_an_untranslated_update_shows_its_text_marked_with_its_language(client):
    update = arabic_original()
    page = client.get(f"/en/updates/{update.pk}/").content.decode()
    assert re.search(r'<h1 lang="ar" dir="auto">', page)
    incident = update.incidents.first()
    assert f'<p lang="ar" dir="auto">{incident.description_ar}</p>' in page


def test_lists_mark_a_title_in_another_language(client):
    update = arabic_original()
    page = client.get(f"/en/countries/{update.country.slug}/").content.decode()
    assert f'<span lang="ar" dir="auto">{update.title_ar}</span>' in page
    # In the update's own language the title needs no mark of its own.
    page = client.get(f"/ar/countries/{update.country.slug}/").content.decode()
    assert update.title_ar in page and f'<span lang="ar" dir="auto">{update.title_ar}</span>' not in page
