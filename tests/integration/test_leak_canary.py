"""One canary crawl: a unique marker in every field the field registry classifies as confidential or personal, the
ids and addresses of unpublished records made unmistakable, then every public output of the site; not one marker,
id or address may appear anywhere.

What is planted, automatically from the registry (civicspace/*/classification.py, no hand-kept list): every text,
URL, e-mail and JSON field classified CONFIDENTIAL or PERSONAL, in every row of its model and in every language of a
translated field; every user account's username, names and e-mail address (every link to a user is PERSONAL).
A field that could hold a marker but has no row to hold it fails the test: the fixture must then create one.
By hand, because the registry cannot say it: public-once-published text of records that are not published (updates
in every hidden state, a draft Watchlist edition, an unverified bill stage), a confidential source's title and
address, a sensitive victim name and a place coarsened to the country in every language (row-level rules).

Unpublished records get ids nothing else has (87000xx) and their addresses are checked too: a draft, submitted,
in-review, changes-requested, verified or retracted update, its incident and source; an unverified stage; an open
rating proposal; a draft Watchlist edition.

What is crawled: every URL pattern that the access matrix (test_access_matrix.ROWS) marks as public, with real
objects, in all five languages (a new public page is crawled as soon as its row is added there); every API
endpoint in every language; every feed; search results; 404 and 500 pages; a full data release written by
`civicspace export --out DIR` (every file, and every file inside its zip); and everything the application logged
meanwhile.
"""
import io
import logging
import re
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import Client

from civicspace.core import classification
from civicspace.core.classification import CONFIDENTIAL, NOT_PUBLIC, PERSONAL, fields_of_class
from civicspace.legislation.models import Bill, BillSource, StageEvent
from civicspace.monitoring.models import Comment, Incident, Source, Status, TrendCall, Update
from civicspace.ratings.models import AssessmentAnswer, PanelVote
from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry
from tests.integration.test_access_matrix import PUBLIC, PUBLIC_UPDATE, ROWS, make_objects
from tests.monitoring_fixtures import (CONFIDENTIAL_TITLE, PUBLIC_NAME, SENSITIVE_NAME,
                                       make_update)

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES]
HIDDEN_STATES = [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.VERIFIED]
# Retracted updates keep a page (with the retraction notice) but nothing else: not their text, incidents, sources.
UNLISTED_STATES = [*HIDDEN_STATES, Status.RETRACTED]
HIDDEN_ID_BASE = 8_700_000
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
MIN_MARKER_LENGTH = 12

# By hand: published-once text on records that are not published, and row-level rules.
CANARIES = {
    "confidential source title": CONFIDENTIAL_TITLE,
    "confidential source URL": "https://example.org/secret",
    "sensitive victim name": SENSITIVE_NAME,
    "unverified stage note": "CANARY-unverified-stage-2f44",
    "draft Watchlist rationale": "CANARY-draft-watchlist-rationale-a812",
    "draft Watchlist press release": "CANARY-draft-press-release-c0d3",
    **{f"{state} update title": f"CANARY-{state}-title-91e0" for state in HIDDEN_STATES},
    **{f"{state} update body": f"CANARY-{state}-body-91e0" for state in HIDDEN_STATES},
    **{f"{state} incident": f"CANARY-{state}-incident-91e0" for state in HIDDEN_STATES},
    # A place coarsened to "country only", in every language (a row written in bulk, bypassing Incident.save()).
    **{f"coarsened place ({lang})": f"CANARY-coarsened-place-{lang}-5e17" for lang in LANGUAGES},
}


def _translated_columns(model, name):
    columns = [f"{name}_{lang}" for lang in LANGUAGES]
    present = {f.name for f in model._meta.get_fields()}
    return columns if all(c in present for c in columns) else [name]


def _value(field, marker):
    if isinstance(field, models.JSONField):
        return {"canary": marker}
    if isinstance(field, models.EmailField):
        return f"{marker}@canary.invalid"
    if isinstance(field, models.URLField):
        return f"https://{marker}.invalid/"
    return marker


def plantable_fields():
    """[(model, field name)] of every confidential or personal field that can hold a marker: text, URL, e-mail
    and JSON fields without fixed choices and long enough, in the tables and in their change history."""
    found = []
    for model, name in fields_of_class(CONFIDENTIAL, PERSONAL, include_history=True):
        field = model._meta.get_field(name)
        if not field.concrete or field.is_relation or field.choices or not isinstance(field, TEXT_FIELDS):
            continue
        if field.max_length is not None and field.max_length < MIN_MARKER_LENGTH + 4:
            continue
        found.append((model, name))
    return found


# Dates and times of non-public fields get a year no real record has: 1911 (the monitor's data starts in 2020).
DATE_MARKER_YEAR = 1911
# Not inside a longer number or a hexadecimal digest (a manifest's SHA-256 may hold the digits).
DATE_MARKER = re.compile(rf"(?<![\w.,]){DATE_MARKER_YEAR}(?![\d])")


def plantable_date_fields():
    """[(model, field name)] of every confidential or personal date or date-time field (history included)."""
    return [(model, name) for model, name in fields_of_class(CONFIDENTIAL, PERSONAL, include_history=True)
            if isinstance(model._meta.get_field(name), (models.DateField, models.DateTimeField))
            and model._meta.get_field(name).concrete]


# Numbers of non-public fields (versions, an assessment's coded answers, delivery attempts and status codes) get
# one no real record has, small enough for every integer column: 29173.
NUMBER_MARKER_VALUE = 29173
NUMBER_MARKER = re.compile(rf"(?<![\w.,]){NUMBER_MARKER_VALUE}(?![\w])")
NUMBER_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField)


def plantable_number_fields():
    """[(model, field name)] of every confidential or personal number that is not a row's own id."""
    return [(model, name) for model, name in fields_of_class(CONFIDENTIAL, PERSONAL, include_history=True)
            if isinstance(model._meta.get_field(name), NUMBER_FIELDS) and model._meta.get_field(name).concrete
            and not model._meta.get_field(name).primary_key and not model._meta.get_field(name).choices
            and name != "history_id"]


def plant_number_markers():
    """Every confidential or personal number set to 29173: any public output that shows one shows 29173.
    Returns the labels planted."""
    return [f"{model._meta.label}.{name}" for model, name in plantable_number_fields()
            if model.objects.update(**{name: NUMBER_MARKER_VALUE})]


def plant_date_markers():
    """Every confidential or personal date set to 11 November 1911 (a time of day 11:11 UTC): any public output
    that shows one of them shows the year 1911. Returns the labels planted."""
    import datetime

    planted = []
    for model, name in plantable_date_fields():
        field = model._meta.get_field(name)
        value = (datetime.datetime(DATE_MARKER_YEAR, 11, 11, 11, 11, tzinfo=datetime.timezone.utc)
                 if isinstance(field, models.DateTimeField) else datetime.date(DATE_MARKER_YEAR, 11, 11))
        if model.objects.update(**{name: value}):
            planted.append(f"{model._meta.label}.{name}")
    return planted


def plant_registry_markers():
    """A marker in every plantable confidential and personal field of every row. Returns ({label: marker},
    [labels of fields without a row])."""
    planted, empty = {}, []
    for number, (model, name) in enumerate(plantable_fields()):
        label = f"{model._meta.label}.{name}"
        marker = f"cnry{number:03d}q{model.__name__[:3].lower()}"
        field = model._meta.get_field(name)
        pks = list(model.objects.values_list("pk", flat=True))
        if not pks:
            empty.append(label)
            continue
        columns = _translated_columns(model, name)
        in_unique_constraint = any(name in getattr(c, "fields", ()) for c in model._meta.constraints)
        if field.unique or in_unique_constraint or (field.max_length or 999) < len(marker) + 12:
            for pk in pks:  # one value per row where values must differ
                model.objects.filter(pk=pk).update(**{c: _value(field, f"{marker}{pk}") for c in columns})
        else:
            model.objects.update(**{c: _value(field, marker) for c in columns})
        planted[label] = marker
    # Every link to a user account is personal: no username, name or address of anyone may appear.
    for user in get_user_model().objects.all():
        marker = f"cnryuser{user.pk}q"
        get_user_model().objects.filter(pk=user.pk).update(
            username=marker, email=f"{marker}@canary.invalid", first_name=marker, last_name=marker)
        planted[f"user {user.pk}"] = marker
    return planted, empty


def hidden_record_patterns(hidden):
    """{label: regex} for the ids and addresses of unpublished records."""
    patterns = {}
    for label, pk in hidden["ids"].items():
        patterns[f"id of {label}"] = re.compile(rf"(?<![\w.-]){pk}(?![\w])")
    for label, path in hidden["paths"].items():
        patterns[f"address of {label}"] = re.compile(re.escape(path) + r"(?![\w])")
    return patterns


@pytest.fixture
def canaries(people, settings, tmp_path):
    objects = make_objects(people, settings, tmp_path)
    updates, ids, paths = {}, {}, {}
    # Published ones first: after an explicit id, the database hands out the next one above it.
    for state in sorted(Status, key=lambda s: s in UNLISTED_STATES):
        pk = HIDDEN_ID_BASE + list(Status).index(state) * 10 + 1 if state in UNLISTED_STATES else None
        updates[state] = make_update(people, state, pk=pk)
    for number, state in enumerate(Status):
        if state not in UNLISTED_STATES:
            continue
        update = updates[state]
        base = update.pk
        # An incident and a source with ids of their own, so that they can be recognised anywhere.
        incident = Incident.objects.create(pk=base + 1, update=update, date="2024-01-02", date_precision="day",
                                           description_en=f"Synthetic incident of a {state} update.")
        source = Source.objects.create(pk=base + 2, update=update, title=f"Synthetic source of a {state} update",
                                       url="https://example.org/hidden-source")
        incident.sources.add(source)
        ids.update({f"{state} update": base, f"{state} incident": base + 1, f"{state} source": base + 2})
        if state != Status.RETRACTED:  # a retracted update keeps its page (with the notice only)
            paths.update({f"{state} update page": f"/updates/{base}/", f"{state} update in the API":
                          f"/api/v1/updates/{base}"})
    for state in HIDDEN_STATES:
        Update.objects.filter(pk=updates[state].pk).update(
            **{f"title_{lang}": CANARIES[f"{state} update title"] for lang in LANGUAGES},
            summary_en=CANARIES[f"{state} update title"], body_en=CANARIES[f"{state} update body"])
        Incident.objects.filter(update=updates[state]).update(description_en=CANARIES[f"{state} incident"])
    published = updates[Status.PUBLISHED]
    # Shown in every language (reviewed translations), so that every language's place would be read.
    Update.objects.filter(pk=published.pk).update(translation_status={lang: "reviewed" for lang in LANGUAGES},
                                                  **{f"title_{lang}": f"Synthetic title ({lang})"
                                                     for lang in LANGUAGES if lang != "en"})
    Incident.objects.filter(update=published).update(
        place_precision="country", **{f"place_{lang}": CANARIES[f"coarsened place ({lang})"] for lang in LANGUAGES})
    Comment.objects.create(update=published, author=people["editor"], body="Internal comment (synthetic).",
                           transition="publish")
    TrendCall.objects.create(country=published.country, organisation=people["kgz_org"], period_end="2024-06-30",
                             call="worse", note="Synthetic trend call note.", created_by=people["partner"])
    bill = Bill.objects.get(pk=objects["bill"])
    bill.updates.add(*[u.pk for u in updates.values()])  # the law page and /api/v1/laws/{id} must show only one
    bill.incidents.add(*Incident.objects.filter(update__in=updates.values()))
    source = BillSource.objects.create(bill=bill, title="Public bill source (test)", url="https://example.org/b")
    stage = StageEvent.objects.create(pk=HIDDEN_ID_BASE + 901, bill=bill, stage="withdrawn", date="2024-06-01",
                                      source=source, verified=False, note_en=CANARIES["unverified stage note"],
                                      proposed_by=people["partner"])
    ids["unverified stage"] = stage.pk
    StageEvent.objects.filter(pk=objects["stage_event"]).update(id=HIDDEN_ID_BASE + 902)  # nothing refers to it
    ids["unverified stage of the access matrix"] = HIDDEN_ID_BASE + 902
    draft = WatchlistEdition.objects.get(slug=objects["draft_edition"])
    paths["draft Watchlist edition"] = f"/watchlist/{draft.slug}/"
    WatchlistEntry.objects.filter(edition=draft).update(rationale_en=CANARIES["draft Watchlist rationale"])
    WatchlistEdition.objects.filter(pk=draft.pk).update(pr_title_en=CANARIES["draft Watchlist press release"],
                                                        pr_lead_en=CANARIES["draft Watchlist press release"])
    # Rating decisions: an open proposal, a panel member's vote on it, a partner's coded assessment.
    PanelVote.objects.create(proposal_id=objects["proposal"], member=people["panel"], vote="agree",
                             comment="Synthetic vote comment.")
    AssessmentAnswer.objects.create(assessment_id=objects["assessment"], question="canary", value=1,
                                    justification="Synthetic justification.")
    paths["open rating proposal"] = f"/ratings/proposals/{objects['proposal']}/"
    # Background jobs: an e-mail in the outbox and a worker's heartbeat.
    from django.utils import timezone

    from civicspace.jobs.models import OutgoingEmail, WorkerHeartbeat

    OutgoingEmail.objects.create(key="canary:1", to="outbox@test.invalid", subject="Synthetic subject",
                                 body="Synthetic body.", last_error="Synthetic error.")
    WorkerHeartbeat.objects.create(worker_id="synthetic-worker", seen_at=timezone.now())
    # Alerts: a second subscriber (whose address and token no page may show, the matrix subscriber's own pages
    # included), the outbox and what was sent, a webhook endpoint with a delivery and its log.
    from civicspace.alerts.models import (Delivery, Event, Subscriber, WebhookAttempt, WebhookDelivery,
                                          WebhookEndpoint, WebhookRequest)

    other = Subscriber.objects.create(email="other-reader@test.invalid", confirmed_at=timezone.now())
    event = Event.objects.create(kind="update.published", object_id=published.pk, payload={}, match={})
    Delivery.objects.create(subscriber=other, event=event, kind="instant", email_key="alerts:instant:synthetic")
    endpoint = WebhookEndpoint.objects.create(name="Synthetic endpoint", owner_email="hook-owner@test.invalid",
                                              url="https://hooks.example.org/synthetic", disabled_reason="Synthetic.")
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, last_error="Synthetic error.")
    WebhookAttempt.objects.create(delivery=delivery, at=timezone.now(), error="Synthetic attempt error.")
    call_command("search_reindex", stdout=io.StringIO())
    # The matrix's self-service endpoint: its manage page shows its owner their own endpoint (URL, name, delivery
    # log), so those rows get their own values back after planting; its address and secret keep their markers, and
    # the synthetic endpoint above keeps all of its own, which no page may show.
    own = objects["webhook_endpoint"]
    own_rows = [(WebhookEndpoint, WebhookEndpoint.objects.filter(pk=own).values()),
                (WebhookDelivery, WebhookDelivery.objects.filter(endpoint_id=own).values()),
                (WebhookAttempt, WebhookAttempt.objects.filter(delivery__endpoint_id=own).values())]
    own_rows = [(model, list(rows)) for model, rows in own_rows]
    planted, empty = plant_registry_markers()
    # The matrix subscriber's pages are crawled with its token: keep that one token (its address stays planted).
    Subscriber.objects.filter(pk=objects["alerts_subscriber"]).update(token=objects["alerts_token"])
    WebhookRequest.objects.filter(token__startswith="cnry").update(token=objects["webhook_request_token"])
    planted_dates = plant_date_markers()
    planted_numbers = plant_number_markers()
    for model, rows in own_rows:
        for row in rows:
            kept = {k: v for k, v in row.items() if k not in ("id", "owner_email", "secret")}
            model.objects.filter(pk=row["id"]).update(**kept)
    return {"objects": objects, "updates": updates, "planted": planted, "planted_dates": planted_dates,
            "planted_numbers": planted_numbers, "empty": empty,
            "hidden": {"ids": ids, "paths": paths}}


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


def leaks(text, planted=None, hidden=None, *, asked=""):
    """Labels of every marker, id or address found in one output. `asked`: the URL that produced it (a 404 for
    /updates/8700001/ may name the id it was asked for)."""
    found = [label for label, marker in CANARIES.items() if marker in text]
    found += [label for label, marker in (planted or {}).items() if marker in text]
    if DATE_MARKER.search(text):
        found.append(f"a confidential or personal date (year {DATE_MARKER_YEAR})")
    if NUMBER_MARKER.search(text):
        found.append(f"a confidential or personal number ({NUMBER_MARKER_VALUE})")
    for label, pattern in (hidden_record_patterns(hidden) if hidden else {}).items():
        if pattern.search(text) and not pattern.search(asked):
            found.append(label)
    return found


def crawl(canaries, tmp_path, caplog):
    client = Client(raise_request_exception=False)
    outputs, statuses = {}, {}
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
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export", "--out", str(release), stdout=stdout, stderr=stderr)
    outputs["export command output"] = stdout.getvalue() + stderr.getvalue()
    for name, text in release_texts(release):
        outputs[f"release file {name}"] = text
    outputs["application log"] = "\n".join(
        record.getMessage() + "\n" + (logging.Formatter().formatException(record.exc_info)
                                      if record.exc_info else "") for record in caplog.records)
    return outputs, statuses


@pytest.mark.once  # one crawl per make test, on production's database (PostgreSQL); see pyproject.toml
@pytest.mark.urls("tests.integration.leak_canary_urls")
def test_no_canary_in_any_public_output(canaries, settings, tmp_path, caplog):
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    caplog.set_level(logging.DEBUG)
    assert canaries["empty"] == [], "confidential fields with no row to plant a marker in: create one"
    outputs, statuses = crawl(canaries, tmp_path, caplog)
    print(f"crawl: {len(statuses)} URLs, {sum(c == 200 for c in statuses.values())} answered 200, "
          f"{len(outputs)} outputs, {len(canaries['planted'])} registry markers, {len(CANARIES)} hand markers, "
          f"{len(hidden_record_patterns(canaries['hidden']))} hidden ids and addresses")
    # The operators' log may name the ids of the records it was working on; it must not carry their contents.
    found = {where: leaks(text, canaries["planted"], None if where == "application log" else canaries["hidden"],
                          asked=where)
             for where, text in outputs.items()}
    found = {where: labels for where, labels in found.items() if labels}
    assert not found, f"confidential markers, ids or addresses of unpublished records leaked: {found}"

    # The crawl saw what it should: pages answered, published content is there, hidden updates are 404s.
    assert sum(1 for code in statuses.values() if code == 200) > 300
    assert not [url for url, code in statuses.items() if code >= 500], "server errors during the crawl"
    everything = "\n".join(outputs.values())
    assert PUBLIC_NAME in everything and "Public test source" in everything
    published = canaries["updates"][Status.PUBLISHED].pk
    assert f"/api/v1/updates/{published}\"" in outputs[f"/api/v1/laws/{canaries['objects']['bill']}?lang=en"]
    for state in HIDDEN_STATES:
        pk = canaries["updates"][state].pk
        assert statuses[f"/fr/updates/{pk}/"] == 404 and statuses[f"/api/v1/updates/{pk}?lang=fr"] == 404
    token = canaries["objects"]["alerts_token"]  # a subscriber's own pages answered, without its address
    assert statuses[f"/ar/alerts/manage/{token}/"] == 200 and statuses[f"/ru/alerts/confirm/{token}/"] == 200
    assert "Kyrgyz" in outputs[f"/en/alerts/manage/{token}/"]
    webhook = canaries["objects"]["webhook_token"]  # the endpoint's own page answered, with its own log
    assert statuses[f"/ar/alerts/webhooks/manage/{webhook}/"] == 200
    assert "matrix-endpoint" in outputs[f"/en/alerts/webhooks/manage/{webhook}/"]
    assert statuses[f"/ru/alerts/webhooks/confirm/{canaries['objects']['webhook_request_token']}/"] == 200
    assert "updates.csv" in {n.split(":")[-1].split("/")[-1] for n in outputs if n.startswith("release file")}
    assert any("Internal Server Error: /en/crash/" in r.getMessage() for r in caplog.records)
    assert Source.objects.filter(title=CONFIDENTIAL_TITLE).count() == len(Status)


def test_markers_are_planted_in_every_confidential_and_personal_field_the_registry_names(canaries):
    plantable = {f"{model._meta.label}.{name}" for model, name in plantable_fields()}
    assert plantable <= set(canaries["planted"])
    # Dates and times too: every confidential or personal date or time that has a row holds 11 November 1911.
    assert {"monitoring.Update.created_at", "monitoring.Update.updated_at"} <= set(canaries["planted_dates"])
    # Numbers too (a coded answer of an assessment, the version counters), and the change history of each table.
    assert {"ratings.AssessmentAnswer.value", "monitoring.Update.version", "alerts.WebhookDelivery.attempts",
            "legislation.HistoricalBill.version"} <= set(canaries["planted_numbers"])
    assert {"monitoring.HistoricalSource.note", "monitoring.HistoricalUpdate.created_at"} <= (
        set(canaries["planted"]) | set(canaries["planted_dates"]))
    assert {"monitoring.Source.note", "monitoring.Comment.body", "monitoring.TrendCall.note",
            "ratings.RatingProposal.reason", "ratings.PanelVote.comment", "ratings.AssessmentAnswer.justification",
            "accounts.Invitation.email", "audit.AuditEvent.data"} <= plantable
    marker = canaries["planted"]["monitoring.Source.note"]
    assert Source.objects.exclude(note__startswith=marker).count() == 0
    # Every other non-public field cannot hold a marker: a link (users are planted separately), a number, a date,
    # a flag or a short code with fixed choices.
    skipped = [(m, n) for m, n in fields_of_class(*NOT_PUBLIC) if f"{m._meta.label}.{n}" not in plantable]
    kinds = {type(m._meta.get_field(n)).__name__ for m, n in skipped}
    assert kinds <= {"ForeignKey", "OneToOneField", "ManyToManyField", "BigAutoField", "AutoField",
                     "DateTimeField", "DateField", "PositiveIntegerField", "PositiveSmallIntegerField",
                     "PositiveBigIntegerField", "BooleanField", "CharField", "DecimalField"}, kinds


def test_the_crawl_would_catch_a_leak(canaries):
    """The detector itself: a page that shows a confidential source title is reported."""
    update = canaries["updates"][Status.PUBLISHED]
    Source.objects.filter(update=update, confidential=True).update(confidential=False)
    html = Client().get(f"/en/updates/{update.pk}/").content.decode()
    assert set(leaks(html, canaries["planted"], canaries["hidden"])) == {
        "confidential source title", "confidential source URL"}
    # A planted number or date is found wherever it is shown, not as part of a longer number.
    assert leaks("<td>29173</td> <td>1911-11-11</td> 291730 1.29173 sha256:a29173f01911b") == [
        "a confidential or personal date (year 1911)", "a confidential or personal number (29173)"]


def test_the_crawl_would_catch_a_field_wrongly_classified_confidential(canaries, monkeypatch):
    """A field classified confidential that a public page shows is reported: here the organisation's name,
    declared confidential for the test."""
    from civicspace.monitoring.models import Organisation

    registry = {key: dict(fields) for key, fields in classification.registry().items()}
    registry[("monitoring", "Organisation")]["name"] = CONFIDENTIAL
    monkeypatch.setattr(classification, "_registry", registry)
    planted, _empty = plant_registry_markers()
    assert "monitoring.Organisation.name" in planted
    html = Client().get(f"/en/updates/{canaries['updates'][Status.PUBLISHED].pk}/").content.decode()
    assert "monitoring.Organisation.name" in leaks(html, planted)
    assert Organisation.objects.filter(name__startswith=planted["monitoring.Organisation.name"]).exists()


def test_the_crawl_would_catch_the_id_of_an_unpublished_update(canaries, monkeypatch):
    """The law API without its publication rule (the bill's updates read unfiltered) lists the ids and addresses
    of draft, verified and retracted updates: the crawl reports them."""
    from civicspace.legislation import selectors

    monkeypatch.setattr(selectors, "bill_public_get", selectors.bill_get)
    url = f"/api/v1/laws/{canaries['objects']['bill']}?lang=en"
    found = leaks(Client().get(url).content.decode(), hidden=canaries["hidden"], asked=url)
    assert {"id of draft update", "address of verified update in the API", "id of retracted update"} <= set(found)


def test_every_public_row_of_the_matrix_is_crawled(canaries):
    urls = public_urls(canaries["objects"], canaries["updates"])
    public_rows = [key for key, (m, _u, rule) in ROWS.items() if rule in (PUBLIC, PUBLIC_UPDATE) and m == "GET"]
    assert len(public_rows) > 50
    assert len([u for u in urls if u.startswith("/ar/")]) >= len([k for k in public_rows if k.startswith("<lang>")])
