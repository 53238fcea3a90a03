"""One canary crawl: records whose confidential fields hold unique marker strings, then every public output of the
site, and not one marker may appear anywhere.

What is crawled: every URL pattern that the access matrix (test_access_matrix.ROWS) marks as public, with real
objects, in all five languages (so a new public page is crawled as soon as its row is added there); every API
endpoint in every language; every feed; search results; 404 and 500 pages; a full data release written by
`civicspace export --out DIR` (every file, and every file inside its zip); and everything the application logged
meanwhile. The page lists per domain (monitoring, API) that used to carry their own canary checks are consolidated
here; the feed and export tests keep their structural checks.
"""
import io
import logging
import zipfile

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from civicspace.legislation.models import Bill, BillSource, StageEvent
from civicspace.monitoring.models import Comment, Incident, Source, Status, TrendCall, Update
from civicspace.ratings.models import AssessmentAnswer, PanelVote, RatingProposal
from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry
from tests.integration.test_access_matrix import PUBLIC, PUBLIC_UPDATE, ROWS, make_objects
from tests.monitoring_fixtures import (CONFIDENTIAL_NOTE, CONFIDENTIAL_TITLE, PUBLIC_NAME, SENSITIVE_NAME,
                                       make_update)

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES]
HIDDEN_STATES = [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.VERIFIED]
CANARIES = {
    "confidential source title": CONFIDENTIAL_TITLE,
    "editors' note on a source": CONFIDENTIAL_NOTE,
    "sensitive victim name": SENSITIVE_NAME,
    "confidential source URL": "https://example.org/secret",
    "staff e-mail address": "@test.invalid",
    "internal comment": "CANARY-internal-comment-3b90",
    "partner trend call note": "CANARY-trend-call-note-6e1d",
    "unverified stage note": "CANARY-unverified-stage-2f44",
    "draft Watchlist rationale": "CANARY-draft-watchlist-rationale-a812",
    "draft Watchlist press release": "CANARY-draft-press-release-c0d3",
    "open rating proposal's reason": "CANARY-open-proposal-reason-77c1",
    "panel member's vote comment": "CANARY-panel-vote-comment-4a0e",
    "assessment justification": "CANARY-assessment-justification-e5b8",
    **{f"{state} update title": f"CANARY-{state}-title-91e0" for state in HIDDEN_STATES},
    **{f"{state} update body": f"CANARY-{state}-body-91e0" for state in HIDDEN_STATES},
    **{f"{state} incident": f"CANARY-{state}-incident-91e0" for state in HIDDEN_STATES},
}


@pytest.fixture
def canaries(people, settings, tmp_path):
    objects = make_objects(people, settings, tmp_path)
    updates = {state: make_update(people, state) for state in Status}
    for state in HIDDEN_STATES:
        Update.objects.filter(pk=updates[state].pk).update(
            **{f"title_{lang}": CANARIES[f"{state} update title"] for lang in LANGUAGES},
            summary_en=CANARIES[f"{state} update title"], body_en=CANARIES[f"{state} update body"])
        Incident.objects.filter(update=updates[state]).update(description_en=CANARIES[f"{state} incident"])
    published = updates[Status.PUBLISHED]
    Comment.objects.create(update=published, author=people["editor"], body=CANARIES["internal comment"])
    TrendCall.objects.create(country=published.country, organisation=people["kgz_org"], period_end="2024-06-30",
                             call="worse", note=CANARIES["partner trend call note"], created_by=people["partner"])
    bill = Bill.objects.get(pk=objects["bill"])
    bill.updates.add(*[u.pk for u in updates.values()])
    source = BillSource.objects.create(bill=bill, title="Public bill source (test)", url="https://example.org/b")
    StageEvent.objects.create(bill=bill, stage="withdrawn", date="2024-06-01", source=source, verified=False,
                              note_en=CANARIES["unverified stage note"], proposed_by=people["partner"])
    draft = WatchlistEdition.objects.get(slug=objects["draft_edition"])
    WatchlistEntry.objects.filter(edition=draft).update(rationale_en=CANARIES["draft Watchlist rationale"])
    WatchlistEdition.objects.filter(pk=draft.pk).update(pr_title_en=CANARIES["draft Watchlist press release"],
                                                        pr_lead_en=CANARIES["draft Watchlist press release"])
    # Rating decisions: an open proposal, a panel member's vote on it, a partner's coded assessment.
    RatingProposal.objects.filter(pk=objects["proposal"]).update(reason=CANARIES["open rating proposal's reason"])
    PanelVote.objects.create(proposal_id=objects["proposal"], member=people["panel"], vote="agree",
                             comment=CANARIES["panel member's vote comment"])
    AssessmentAnswer.objects.create(assessment_id=objects["assessment"], question="canary", value=1,
                                    justification=CANARIES["assessment justification"])
    call_command("search_reindex", stdout=io.StringIO())
    return {"objects": objects, "updates": updates}


def public_urls(objects, updates):
    """Every public row of the access matrix, in every language, with every canary update where it takes one."""
    urls = []
    for key, (method, url, rule) in ROWS.items():
        if method != "GET" or rule not in (PUBLIC, PUBLIC_UPDATE):
            continue
        variants = ([url.format(update=u.pk, **objects) for u in updates.values()] if "{update}" in url
                    else [url.format(**objects)])
        for concrete in variants:
            if concrete.startswith("/en/"):
                urls += [f"/{lang}/{concrete[4:]}" for lang in LANGUAGES]
            elif concrete.startswith("/api/v1/"):
                sep = "&" if "?" in concrete else "?"
                urls += [f"{concrete}{sep}lang={lang}" for lang in LANGUAGES]
            else:
                urls.append(concrete)
    # Lists with filters and search (queries that echo no whole marker), feeds with parameters, 404s.
    for lang in LANGUAGES:
        urls += [f"/{lang}/updates/?country=kgz&victim=journalist", f"/{lang}/updates/?country=kgz&page=1",
                 f"/{lang}/search/?q=CANARY", f"/{lang}/search/?q=confidential", f"/{lang}/search/?q=synthetic",
                 f"/{lang}/search/?q=test+OR+CANARY", f"/{lang}/laws/?country=kgz", f"/{lang}/laws/feed/?country=kgz",
                 f"/{lang}/no-such-page/", f"/{lang}/updates/999999/"]
        urls += [f"/api/v1/updates?q=CANARY&lang={lang}", f"/api/v1/updates?page_size=100&lang={lang}",
                 f"/api/v1/updates?country=KGZ&lang={lang}", f"/api/v1/updates?q=synthetic&lang={lang}"]
    return urls


def release_texts(directory):
    for file in sorted(directory.rglob("*")):
        if file.suffix == ".zip":
            with zipfile.ZipFile(file) as archive:
                for name in archive.namelist():
                    yield f"{file.name}:{name}", archive.read(name).decode("utf-8", "replace")
        elif file.is_file():
            yield file.name, file.read_bytes().decode("utf-8", "replace")


def leaks(text):
    return [label for label, marker in CANARIES.items() if marker in text]


@pytest.mark.urls("tests.integration.leak_canary_urls")
def test_no_canary_in_any_public_output(canaries, settings, tmp_path, caplog):
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    caplog.set_level(logging.DEBUG)
    client = Client(raise_request_exception=False)
    outputs = {}
    statuses = {}
    for url in public_urls(canaries["objects"], canaries["updates"]):
        response = client.get(url)
        statuses[url] = response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        outputs[url] = str(dict(response.headers)) + body.decode("utf-8", "replace")
    for url in ("/en/crash/", "/ru/crash/"):
        response = client.get(url)
        assert response.status_code == 500
        outputs[url] = response.content.decode()

    release = tmp_path / "release-out"
    stdout = io.StringIO()
    call_command("export", "--out", str(release), stdout=stdout)
    outputs["export command output"] = stdout.getvalue()
    for name, text in release_texts(release):
        outputs[f"release file {name}"] = text
    outputs["application log"] = "\n".join(
        record.getMessage() + "\n" + (logging.Formatter().formatException(record.exc_info)
                                      if record.exc_info else "") for record in caplog.records)

    print(f"crawl: {len(statuses)} URLs, {sum(c == 200 for c in statuses.values())} answered 200, {len(outputs)} outputs")
    found = {where: leaks(text) for where, text in outputs.items() if leaks(text)}
    assert not found, f"confidential markers leaked: {found}"

    # The crawl saw what it should: pages answered, published content is there, hidden updates are 404s.
    assert sum(1 for code in statuses.values() if code == 200) > 300
    assert not [url for url, code in statuses.items() if code >= 500], "server errors during the crawl"
    everything = "\n".join(outputs.values())
    assert PUBLIC_NAME in everything and "Public test source" in everything
    for state in HIDDEN_STATES:
        pk = canaries["updates"][state].pk
        assert statuses[f"/fr/updates/{pk}/"] == 404 and statuses[f"/api/v1/updates/{pk}?lang=fr"] == 404
    assert "updates.csv" in {n.split(":")[-1].split("/")[-1] for n in outputs if n.startswith("release file")}
    assert any("Internal Server Error: /en/crash/" in r.getMessage() for r in caplog.records)
    assert Source.objects.filter(title=CONFIDENTIAL_TITLE).count() == len(Status)


def test_the_crawl_would_catch_a_leak(canaries):
    """The detector itself: a page that shows a confidential source title is reported."""
    update = canaries["updates"][Status.PUBLISHED]
    Source.objects.filter(update=update, confidential=True).update(confidential=False)
    html = Client().get(f"/en/updates/{update.pk}/").content.decode()
    assert leaks(html) == ["confidential source title", "confidential source URL"]


def test_every_public_row_of_the_matrix_is_crawled(canaries):
    urls = public_urls(canaries["objects"], canaries["updates"])
    public_rows = [key for key, (m, _u, rule) in ROWS.items() if rule in (PUBLIC, PUBLIC_UPDATE) and m == "GET"]
    assert len(public_rows) > 50
    assert len([u for u in urls if u.startswith("/ar/")]) >= len([k for k in public_rows if k.startswith("<lang>")])
