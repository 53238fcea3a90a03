"""A published Watchlist edition is frozen: every kind of change is refused, through the services (also with
objects loaded before publication, as a page opened earlier holds them) and through the screens, and nothing
changes: not a rationale, not the press release, not the entries, not the publication itself."""
import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.test import Client

from civicspace.audit.models import AuditEvent
from civicspace.countries.models import Country
from civicspace.watchlist import services
from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry

pytestmark = pytest.mark.django_db
FROZEN = "This edition is published and can no longer be changed."


@pytest.fixture
def published(people):
    editor = people["editor"]
    edition = services.edition_create(actor=editor, target_date=dt.date(2031, 3, 2))
    entry = services.entry_add(edition=edition, actor=editor, country=Country.objects.get(code="KGZ"))
    services.entry_rationale_save(entry=entry, actor=editor, lang="en", text="Raids (test).", status="reviewed")
    services.press_release_save(edition=edition, actor=editor, lang="en", pr_title="Release (test)",
                                pr_lead="Lead (test).")
    stale_edition = WatchlistEdition.objects.get(pk=edition.pk)
    stale_entry = WatchlistEntry.objects.select_related("edition", "country").get(pk=entry.pk)
    services.edition_publish(edition=edition, actor=editor)
    return stale_edition, stale_entry


def state(edition):
    edition = WatchlistEdition.objects.get(pk=edition.pk)
    return (model_to_dict(edition), [model_to_dict(e) for e in edition.entries.order_by("pk")],
            AuditEvent.objects.count())


CHANGES = {
    "rationale": lambda editor, edition, entry: services.entry_rationale_save(
        entry=entry, actor=editor, lang="en", text="Changed after publication.", status="reviewed"),
    "rationale in another language": lambda editor, edition, entry: services.entry_rationale_save(
        entry=entry, actor=editor, lang="ru", text="Изменено.", status="reviewed"),
    "press release": lambda editor, edition, entry: services.press_release_save(
        edition=edition, actor=editor, lang="en", pr_title="Changed after publication"),
    "remove an entry": lambda editor, edition, entry: services.entry_remove(entry=entry, actor=editor),
    "publish again": lambda editor, edition, entry: services.edition_publish(edition=edition, actor=editor),
    "add a country": lambda editor, edition, entry: services.entry_add(
        edition=edition, actor=editor, country=Country.objects.get(code="KAZ")),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_services_refuse_every_change_even_with_objects_loaded_before_publication(people, published,
                                                                                      change):
    edition, entry = published
    assert not edition.is_published and not entry.edition.is_published  # as loaded before publication
    before = state(edition)
    with pytest.raises(ValidationError) as refused:
        CHANGES[change](people["editor"], edition, entry)
    assert FROZEN in refused.value.messages
    assert state(edition) == before


def test_the_screens_refuse_every_change_and_say_so(people, published):
    edition, entry = published
    editor = Client()
    editor.force_login(people["editor"])
    base = f"/en/workspace/watchlist/{edition.slug}"
    prefix = f"entry{entry.pk}"
    posts = [
        (f"{base}/countries/{entry.pk}/rationale/", {f"{prefix}-lang": "en", f"{prefix}-text": "Changed.",
                                                     f"{prefix}-status": "reviewed"}),
        (f"{base}/press-release/", {"lang": "en", "pr_title": "Changed"}),
        (f"{base}/countries/{entry.pk}/remove/", {}),
        (f"{base}/publish/", {}),
        (f"{base}/countries/", {"country": "KAZ"}),
    ]
    before = state(edition)
    for url, data in posts:
        response = editor.post(url, data)
        assert response.status_code == 302 and response.url.startswith(f"{base}/"), url
        assert any(FROZEN in str(m) for m in get_messages(response.wsgi_request)), url
        assert state(edition) == before, url
