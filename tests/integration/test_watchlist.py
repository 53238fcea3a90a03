"""Watchlist: the real history, candidates for March 2024, composing and publishing (frozen), public pages,
press releases in each language, feed, backtest."""
import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from civicspace.audit.models import AuditEvent
from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry
from civicspace.watchlist.selectors import backtest_rows, candidates

pytestmark = pytest.mark.django_db


def text(response):
    import html
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_every_real_edition_is_loaded_with_unconfirmed_entries_marked():
    editions = {e.slug: e for e in WatchlistEdition.objects.all()}
    assert len(editions) == 12 and all(e.is_published for e in editions.values())
    march_2024 = editions["2024-03-05"]
    assert set(march_2024.entries.values_list("country__code", flat=True)) == {"KGZ", "PSE", "PAK", "SEN", "VEN"}
    assert march_2024.hrc_session.number == 55
    assert march_2024.entries.get(country__code="KGZ").rating_at_publication == "repressed"
    belarus = WatchlistEntry.objects.get(edition__slug="2021-02", country__code="BLR")
    assert belarus.confirmed is False


def test_the_index_changes_signal_follows_the_index_values_and_is_read_once_per_data_state(
        django_assert_num_queries):
    from civicspace.ratings.models import IndexValue
    from civicspace.watchlist import selectors

    as_of = dt.date(2025, 6, 1)
    first = selectors.index_changes(as_of=as_of)
    assert first and all(change.parts for change in first.values())
    with django_assert_num_queries(1):  # the same data: only the stamp of the reference data is read
        assert selectors.index_changes(as_of=as_of) == first
    # A corrected index value (as an index re-import writes it, in place) is seen at once.
    country_id, change = next((pk, c) for pk, c in first.items() if any(code == "rsf" for code, _ in c.parts))
    newest = IndexValue.objects.filter(country_id=country_id, index="rsf", available_from__lte=as_of).order_by(
        "-available_from", "-year").first()
    IndexValue.objects.filter(pk=newest.pk).update(value=newest.value - 20)
    again = selectors.index_changes(as_of=as_of)
    assert dict(again[country_id].parts)["rsf"] != dict(change.parts)["rsf"]
    # The candidates carry it as a signal with its reason.
    ranked = dict((c.pk, candidate) for c, candidate in candidates(as_of=as_of))
    signal = {s.name: s for s in ranked[country_id].signals}["index_changes"]
    assert signal.explanation.startswith("external indices predict")


def test_kyrgyzstan_leads_the_candidates_for_march_2024_and_says_why():
    ranked = candidates(as_of=dt.date(2024, 3, 5), limit=5)
    codes = [country.code for country, _ in ranked]
    assert "KGZ" in codes
    kgz = dict((country.code, c) for country, c in ranked)["KGZ"]
    reasons = " ".join(kgz.reasons)
    assert "weighted violations in the last 90 days" in reasons
    assert "mass detention of journalists" in reasons and "liquidation" in reasons
    assert "foreign representatives" in reasons and "second reading" in reasons


def test_the_march_2024_edition_and_its_press_release_are_public_in_english_and_russian(client):
    index = text(client.get("/en/watchlist/"))
    assert "Watchlist of 5 March 2024" in index
    assert "Kyrgyzstan" in index and "Venezuela" in index
    release = text(client.get("/en/watchlist/2024-03-05/press-release/"))
    assert "Kyrgyzstan added to human rights Watchlist" in release and "Kloop Media" in release
    russian = text(client.get("/ru/watchlist/2024-03-05/press-release/"))
    assert "Кыргызстан добавлен в список наблюдения" in russian
    assert "Kyrgyzstan added to human rights Watchlist" not in russian
    assert "Киргизия" in text(client.get("/ru/watchlist/2024-03-05/"))
    # French has no release: the page says so and points to the languages that have one.
    french = client.get("/fr/watchlist/2024-03-05/press-release/").content.decode()
    assert 'href="/en/watchlist/2024-03-05/press-release/"' in french


def test_country_page_shows_its_watchlist_history(client):
    page = text(client.get("/en/countries/kgz/"))
    assert "On the Watchlist" in page and "Watchlist of 5 March 2024" in page
    assert "unconfirmed" in text(client.get("/en/countries/blr/"))


def test_watchlist_feed_announces_editions(client):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(client.get("/en/watchlist/feed/").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert any(t.startswith("Watchlist of 5 March 2024: ") and "Kyrgyzstan" in t for t in titles)


def test_backtest_prints_the_table_for_the_real_editions(tmp_path):
    out = io.StringIO()
    call_command("watchlist", "backtest", "--csv", str(tmp_path / "bt.csv"), "--skip-signals", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Signals ranked" not in out.getvalue()  # the signals' own backtest: test_watchlist_signals_backtest.py
    assert lines[0].split()[:3] == ["edition", "published", "watchlisted"]
    rows = {line.split()[0] + " " + line.split()[1]: line.split() for line in lines[1:4]}
    # December 2023: the five countries of the September 2023 edition, three of them downgraded.
    assert rows["PPUA 2023"][3:6] == ["5", "3", "60%"]
    assert (tmp_path / "bt.csv").read_text().startswith("edition,published,watchlisted")


def test_compose_and_publish_an_edition_freezes_it(people):
    editor = Client()
    editor.force_login(people["editor"])
    from civicspace.watchlist.models import HRCSession

    session = HRCSession.objects.get(number=56)
    response = editor.post("/en/workspace/watchlist/", {"hrc_session": session.pk})
    edition = WatchlistEdition.objects.get(hrc_session=session)
    assert response.status_code == 302 and edition.target_date == session.start
    compose = text(editor.get(f"/en/workspace/watchlist/{edition.slug}/"))
    assert "Candidates" in compose and "Kyrgyzstan" in compose
    editor.post(f"/en/workspace/watchlist/{edition.slug}/countries/", {"country": "KGZ"})
    entry = edition.entries.get()
    # Publishing needs a rationale and a press release title.
    editor.post(f"/en/workspace/watchlist/{edition.slug}/publish/")
    edition.refresh_from_db()
    assert not edition.is_published
    editor.post(f"/en/workspace/watchlist/{edition.slug}/countries/{entry.pk}/rationale/",
                {f"entry{entry.pk}-lang": "en", f"entry{entry.pk}-text": "Raids, detentions and a liquidation.",
                 f"entry{entry.pk}-status": "reviewed"})
    editor.post(f"/en/workspace/watchlist/{edition.slug}/press-release/",
                {"lang": "en", "pr_title": "Test release (synthetic)", "pr_dateline": "Johannesburg",
                 "pr_lead": "Lead."})
    editor.post(f"/en/workspace/watchlist/{edition.slug}/publish/")
    edition.refresh_from_db()
    entry.refresh_from_db()
    assert edition.is_published and entry.rating_at_publication == "repressed"
    assert AuditEvent.objects.filter(action="watchlist.edition_publish", target_id=str(edition.pk)).exists()
    # Frozen: nothing can be added or changed any more.
    editor.post(f"/en/workspace/watchlist/{edition.slug}/countries/", {"country": "KAZ"})
    assert edition.entries.count() == 1
    release = text(Client().get(f"/en/watchlist/{edition.slug}/press-release/"))
    assert "Test release (synthetic)" in release and "Johannesburg" in release
    assert "Kyrgyzstan. Raids, detentions and a liquidation." in release


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("partner", 404), ("panel", 404), ("editor", 200),
                                          ("admin", 200)])
def test_only_editors_compose_editions(people, role, status):
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    assert client.get("/en/workspace/watchlist/").status_code == status
    client.post("/en/workspace/watchlist/", {"target_date": "2024-06-10"})
    assert WatchlistEdition.objects.filter(slug="2024-06-10").exists() == (status == 200)


def test_drafts_are_not_public(client, people):
    WatchlistEdition.objects.create(slug="2026-02-23", target_date=dt.date(2026, 2, 23))
    assert client.get("/en/watchlist/2026-02-23/").status_code == 404
    assert "2026-02-23" not in client.get("/en/watchlist/").content.decode()


@pytest.mark.parametrize("lang", ["en", "ru", "fr", "es", "ar"])
def test_watchlist_pages_in_every_language(client, lang):
    for path in ["watchlist/", "watchlist/2024-03-05/", "watchlist/2024-03-05/press-release/"]:
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == 200
        assert f'<html lang="{lang}"' in response.content.decode()


def test_partner_trend_calls_feed_the_candidates(people):
    partner = Client()
    partner.force_login(people["partner"])
    from civicspace.countries.models import Country

    kgz = Country.objects.get(code="KGZ")
    response = partner.post("/en/workspace/trend-calls/", {"country": kgz.pk, "period_end": "2024-02-29",
                                                          "call": "worse", "note": "Raids and detentions."})
    assert response.status_code == 302 and response.url == "/en/workspace/trend-calls/"
    ranked = dict((c.code, cand) for c, cand in candidates(as_of=dt.date(2024, 3, 5)))
    trend = next(s for s in ranked["KGZ"].signals if s.name == "partner_trend")
    assert trend.value == 1.0 and "1 worse" in trend.explanation
    # Outside the partner's countries: refused.
    kaz = Country.objects.get(code="KAZ")
    refused = partner.post("/en/workspace/trend-calls/", {"country": kaz.pk, "period_end": "2024-02-29",
                                                         "call": "worse"})
    assert "Country: Select a valid choice." in text(refused)
    assert AuditEvent.objects.filter(action="monitoring.trend_call_record").count() == 1


def test_the_backtest_is_cached_until_ratings_or_editions_change(client, django_assert_num_queries, people):
    client.get("/en/watchlist/")
    with django_assert_num_queries(2):  # editions with their entries; the backtest comes from the cache
        client.get("/en/watchlist/")
    before = {r.edition: r.watchlisted for r in backtest_rows()}
    # Publishing an edition within the year before December 2025 changes the table at once.
    from civicspace.countries.models import Country
    from civicspace.watchlist.services import (
        edition_create,
        edition_publish,
        entry_add,
        entry_rationale_save,
        press_release_save,
    )

    editor = people["editor"]
    edition = edition_create(actor=editor, target_date=dt.date(2025, 9, 8))
    entry = entry_add(edition=edition, actor=editor, country=Country.objects.get(code="FRA"))
    entry_rationale_save(entry=entry, actor=editor, lang="en", text="Test (synthetic).", status="reviewed")
    press_release_save(edition=edition, actor=editor, lang="en", pr_title="Test (synthetic)")
    edition_publish(edition=edition, actor=editor)
    after = {r.edition: r.watchlisted for r in backtest_rows()}
    assert after["PPUA 2025"] == before["PPUA 2025"] + 1  # France: downgraded in December 2025
