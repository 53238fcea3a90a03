"""The public JSON API (/api/v1/): content from the real reference and demo data, filters, pagination, every error
case, the rate limit, CORS, the OpenAPI document, a property-based run over it, and canaries that must never
appear in any response."""
import datetime as dt
import json
import re
from pathlib import Path

import hypothesis
import ninja
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error, response_schema_conformance

from civicspace.countries.models import Country
from civicspace.legislation.models import Bill, StageEvent
from civicspace.monitoring.models import Status, Term, Update
from tests.monitoring_fixtures import PUBLIC_NAME, make_update

pytestmark = pytest.mark.django_db

API = "/api/v1"
LANGS = ["en", "ru", "fr", "es", "ar"]


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def get(client, path, status=200, **extra):
    response = client.get(f"{API}{path}", **extra)
    assert response.status_code == status, (path, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# Countries and ratings -----------------------------------------------------------------------------------------

def test_kyrgyzstan_with_its_current_rating_and_history(client):
    data = get(client, "/countries/KGZ")
    assert (data["code"], data["iso3"], data["iso2"], data["name"]) == ("KGZ", "KGZ", "KG", "Kyrgyzstan")
    assert data["region"]["name"] == "Europe and Central Asia"
    assert (data["rating"], data["score"], data["edition"]) == ("repressed", 32.19, "2025-12")
    first = data["history"][0]
    assert (first["edition"], first["edition_date"][:7], first["rating"], first["score"]) == \
        ("2020-12", "2020-12", "obstructed", None)
    assert first["source_url"].startswith("https://")
    dates = [h["edition_date"] for h in data["history"]]
    assert dates == sorted(dates) and data["history"][-1]["edition"] == "2025-12"
    assert data["url"].endswith("/api/v1/countries/KGZ")


@pytest.mark.parametrize("code", ["kgz", "Kgz", "xkx", "SOL"])
def test_country_codes_are_case_insensitive_and_include_kosovo_and_somaliland(client, code):
    assert get(client, f"/countries/{code}")["code"] == code.upper()


def test_unknown_country_code(client):
    assert get(client, "/countries/ZZZ", 404) == {"detail": "Unknown country code 'ZZZ'"}


def test_every_country_with_its_current_rating_in_every_language(client):
    data = get(client, "/countries")
    assert len(data) == 198 == Country.objects.count()
    by_code = {c["code"]: c for c in data}
    assert by_code["KGZ"]["rating"] == "repressed" and by_code["KGZ"]["edition"] == "2025-12"
    assert by_code["SOL"]["iso3"] is None and by_code["SOL"]["rating"] == "repressed"
    assert all(c["rating"] for c in data)
    kgz = Country.objects.get(code="KGZ")
    for lang in LANGS:
        names = {c["code"]: c["name"] for c in get(client, f"/countries?lang={lang}")}
        assert names["KGZ"] == getattr(kgz, f"name_{lang}")
    assert get(client, "/countries?lang=ru")[0]["region"]["name"] != get(client, "/countries")[0]["region"]["name"]


def test_editions_and_one_edition_with_its_ratings(client):
    editions = get(client, "/editions")
    slugs = [e["slug"] for e in editions]
    assert slugs[0] == "2025-12" and "2020-12" in slugs
    assert [e["published"] for e in editions] == sorted((e["published"] for e in editions), reverse=True)
    edition = get(client, "/editions/2023-12")
    assert edition["coverage"] == "complete" and edition["rated_count"] == len(edition["ratings"])
    kgz = next(r for r in edition["ratings"] if r["country"]["code"] == "KGZ")
    assert (kgz["rating"], kgz["score"]) == ("repressed", 39.67)
    assert get(client, "/editions/1999-01", 404) == {"detail": "Unknown edition '1999-01'"}


# Updates -------------------------------------------------------------------------------------------------------

def demo_update():
    return Update.objects.get(status=Status.PUBLISHED, country__code="KGZ", import_key__gt="")


def test_updates_list_shows_the_published_demo_update(client):
    # The demo content holds the Kyrgyzstan update and the intake corpus (issue 18): count them all.
    assert get(client, "/updates")["count"] == Update.objects.filter(status=Status.PUBLISHED).count() > 40
    data = get(client, "/updates?country=KGZ")
    assert data["count"] == 1 and data["page"] == 1 and data["pages"] == 1
    assert data["next"] is None and data["previous"] is None
    item = data["results"][0]
    assert item["id"] == demo_update().pk and item["country"]["code"] == "KGZ" and item["incident_count"] == 5
    assert item["language"] == "en" and item["title"] == demo_update().title_en
    assert get(client, "/updates?lang=ru&country=KGZ")["results"][0]["title"] == demo_update().title_ru


@pytest.mark.parametrize("query, found", [
    ("country=KGZ", True), ("country=kgz", True), ("country=KAZ", False),
    ("region=europe-central-asia", True), ("region=africa", False),
    ("freedom=association", True),
    ("date_from=2024-03-05&date_to=2024-03-05", True), ("date_from=2024-03-06", False), ("date_to=2024-03-04", False),
])
def test_updates_filters(client, query, found):
    # Scoped to Kyrgyzstan: the demo content has published updates in many countries.
    scoped = query if query.startswith("country=") else f"{query}&country=KGZ"
    assert get(client, f"/updates?{scoped}")["count"] == (1 if found else 0), query


def test_updates_filters_by_violation_victim_and_text(client):
    update = demo_update()
    violation = Term.objects.filter(incidents__update=update).first()
    victim = Term.objects.filter(vocabulary="victim", id__in=update.incidents.values("victims__type")).first()
    unused = Term.objects.filter(vocabulary="violation").exclude(incidents__update=update).first()
    assert get(client, f"/updates?violation={violation.code}&country=KGZ")["count"] == 1
    assert get(client, f"/updates?victim={victim.code}&country=KGZ")["count"] == 1
    assert get(client, f"/updates?violation={unused.code}&country=KGZ")["count"] == 0
    everywhere = Update.objects.filter(status=Status.PUBLISHED, incidents__types=violation).distinct().count()
    assert get(client, f"/updates?violation={violation.code}")["count"] == everywhere
    word = update.title_en.split()[-1]
    assert get(client, f"/updates?q={word.upper()}&country=KGZ")["count"] == 1
    assert get(client, "/updates?q=no-such-words-anywhere")["count"] == 0


def test_updates_region_codes(client):
    from civicspace.countries.models import Region

    region = Country.objects.get(code="KGZ").region.code
    published = Update.objects.filter(status=Status.PUBLISHED)
    assert get(client, f"/updates?region={region}")["count"] == published.filter(country__region__code=region).count()
    for other in Region.objects.exclude(code=region).values_list("code", flat=True):
        assert get(client, f"/updates?region={other}")["count"] == \
            published.filter(country__region__code=other).count()
    assert get(client, f"/updates?region={other}&country=KGZ")["count"] == 0


@pytest.mark.parametrize("query, status, message", [
    ("country=ZZZ", 400, "Unknown country code 'ZZZ' in parameter 'country'"),
    ("region=atlantis", 400, "Unknown region 'atlantis' in parameter 'region'"),
    ("freedom=flying", 400, "Unknown freedom type code 'flying' in parameter 'freedom'"),
    ("violation=nope", 400, "Unknown violation type code 'nope' in parameter 'violation'"),
    ("victim=nope", 400, "Unknown victim type code 'nope' in parameter 'victim'"),
    ("date_from=2024-13-01", 422, "Invalid query parameter 'date_from'"),
    ("date_to=yesterday", 422, "Invalid query parameter 'date_to'"),
    ("date_from=2024-03-02&date_to=2024-03-01", 400, "date_from (2024-03-02) is after date_to (2024-03-01)"),
    ("page_size=101", 422, "Invalid query parameter 'page_size'"),
    ("page_size=0", 422, "Invalid query parameter 'page_size'"),
    ("page=two", 422, "Invalid query parameter 'page'"),
    ("page=2&country=KGZ", 404, "Page 2 is out of range (1–1)"),
    ("page=0&country=KGZ", 404, "Page 0 is out of range (1–1)"),
    ("lang=de", 400, "Unknown language 'de': use one of en, ru, fr, es, ar"),
])
def test_updates_errors_say_what_was_wrong(client, query, status, message):
    data = get(client, f"/updates?{query}", status)
    assert set(data) == {"detail"} and isinstance(data["detail"], str)
    assert message in data["detail"], data


def test_updates_pagination_is_stable_with_next_and_previous(client, people):
    created = [make_update(people, Status.PUBLISHED) for _ in range(2)]  # same date: ordered by -id
    first = get(client, "/updates?page_size=1&country=KGZ")
    assert (first["count"], first["pages"], first["page_size"]) == (3, 3, 1)
    assert first["previous"] is None and first["next"].startswith("http://testserver/api/v1/updates?")
    seen = [first["results"][0]["id"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen.append(page["results"][0]["id"])
    assert page["page"] == 3 and page["previous"] and "country=KGZ" in page["previous"]
    expected = list(Update.objects.filter(status=Status.PUBLISHED, country__code="KGZ").order_by("-date", "-id")
                    .values_list("pk", flat=True))
    assert seen == expected
    assert seen.index(created[1].pk) < seen.index(created[0].pk)  # same date: newest id first
    assert get(client, "/updates?page_size=1&page=9&country=KGZ", 404) == {"detail": "Page 9 is out of range (1–3)"}


def test_update_detail_with_incidents_victims_and_public_sources(client, people):
    update = make_update(people, Status.PUBLISHED)
    data = get(client, f"/updates/{update.pk}")
    assert data["status"] == "published" and data["retraction_reason"] is None
    assert data["body"] == "Synthetic **body**." and [f["code"] for f in data["freedoms"]] == ["expression"]
    assert [s["title"] for s in data["sources"]] == ["Public test source"]
    (incident,) = data["incidents"]
    assert [t["code"] for t in incident["types"]] == ["raid_search"]
    assert [s["title"] for s in incident["sources"]] == ["Public test source"]
    assert [(v["type"]["code"], v["count"], v["names"]) for v in incident["victims"]] == \
        [("journalist", 2, []), ("media_outlet", 1, [PUBLIC_NAME])]
    assert "note" not in json.dumps(data["sources"])

    demo = get(client, f"/updates/{demo_update().pk}?lang=ru")
    assert len(demo["incidents"]) == 5 and demo["language"] == "ru"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED,
                                    Status.VERIFIED])
def test_unpublished_updates_are_not_found(client, people, status):
    update = make_update(people, status)
    assert get(client, f"/updates/{update.pk}", 404) == {"detail": f"No published update with id {update.pk}"}
    assert update.pk not in [u["id"] for u in get(client, "/updates")["results"]]


def test_retracted_update_gives_its_reason_and_nothing_else(client, people):
    update = make_update(people, Status.RETRACTED)
    Update.objects.filter(pk=update.pk).update(retraction_reason="Retracted: a source withdrew (test).")
    data = get(client, f"/updates/{update.pk}")
    assert data["status"] == "retracted" and data["retraction_reason"] == "Retracted: a source withdrew (test)."
    assert data["body"] is data["summary"] is data["incidents"] is data["sources"] is None
    assert update.pk not in [u["id"] for u in get(client, "/updates")["results"]]


def test_update_id_errors(client):
    assert get(client, "/updates/999999999", 404) == {"detail": "No published update with id 999999999"}
    assert "Invalid path parameter 'id'" in get(client, "/updates/abc", 422)["detail"]
    assert "Invalid path parameter 'id'" in get(client, f"/updates/{2**70}", 422)["detail"]


# Laws ----------------------------------------------------------------------------------------------------------

def test_laws_list_and_filters(client):
    laws = get(client, "/laws")
    assert len(laws) == Bill.objects.count() == 2
    foreign = next(b for b in laws if b["category"] == "foreign_agent")
    assert foreign["country"]["code"] == "KGZ" and foreign["current_stage"] == "second_reading"
    assert len(get(client, "/laws?country=kgz")) == 2 and get(client, "/laws?country=KAZ") == []
    assert [b["id"] for b in get(client, "/laws?category=media")] != [foreign["id"]]
    assert [b["id"] for b in get(client, "/laws?stage=second_reading&direction=restrictive")] == [foreign["id"]]
    assert get(client, "/laws?direction=enabling") == []
    assert get(client, "/laws?lang=ru&category=foreign_agent")[0]["title"].startswith("Законопроект")
    assert get(client, "/laws?stage=signed") == []
    assert "Unknown stage 'nope'" in get(client, "/laws?stage=nope", 400)["detail"]
    assert "Unknown category 'nope'" in get(client, "/laws?category=nope", 400)["detail"]
    assert "Unknown direction 'up'" in get(client, "/laws?direction=up", 400)["detail"]
    assert get(client, "/laws?country=ZZZ", 400)["detail"] == "Unknown country code 'ZZZ' in parameter 'country'"


def test_law_detail_shows_only_verified_stages(client):
    bill = Bill.objects.get(category="foreign_agent")
    StageEvent.objects.create(bill=bill, stage="third_reading", date=dt.date(2024, 3, 1), verified=False,
                              note_en="CANARY-unverified-stage")
    data = get(client, f"/laws/{bill.pk}")
    assert [e["stage"] for e in data["timeline"]] == ["second_reading"]
    assert data["timeline"][0]["label"] == "Second reading" and data["timeline"][0]["date_precision"] == "month"
    assert data["current_stage"] == "second_reading" and data["freedoms"][0]["code"] == "association"
    assert [u["id"] for u in data["updates"]] == [demo_update().pk]
    assert "CANARY-unverified-stage" not in json.dumps(data)
    assert get(client, "/laws/999999", 404) == {"detail": "No law with id 999999"}


# Watchlist and taxonomy ----------------------------------------------------------------------------------------

def test_watchlist_editions_with_countries(client):
    editions = get(client, "/watchlist")
    assert len(editions) == 12
    kgz = next(e for e in editions if e["slug"] == "2024-03-05")
    assert "KGZ" in [c["code"] for c in kgz["countries"]]
    assert all(isinstance(c["confirmed"], bool) for e in editions for c in e["countries"])
    assert any(not c["confirmed"] for e in editions for c in e["countries"])
    assert all(c["note"] is None for e in editions for c in e["countries"] if c["confirmed"])


def test_taxonomy_labels_in_russian(client):
    data = get(client, "/taxonomy?lang=ru")
    assert data["lang"] == "ru"
    vocabularies = {v["code"]: v for v in data["vocabularies"]}
    assert set(vocabularies) == {"freedom", "violation", "positive", "victim", "perpetrator"}
    freedoms = {t["code"]: t["label"] for t in vocabularies["freedom"]["terms"]}
    assert freedoms["expression"] == "Свобода выражения мнений"
    assert freedoms["association"] == "Свобода объединений"
    english = {v["code"]: v for v in get(client, "/taxonomy")["vocabularies"]}
    assert {t["code"]: t["label"] for t in english["freedom"]["terms"]}["expression"] == "Freedom of expression"
    assert sum(len(v["terms"]) for v in data["vocabularies"]) == Term.objects.count()


@pytest.mark.parametrize("path", ["/countries", "/countries/KGZ", "/taxonomy", "/watchlist", "/laws", "/updates/1",
                                  "/editions/2023-12"])
def test_unknown_language(client, path):
    assert get(client, f"{path}?lang=xx", 400) == {"detail": "Unknown language 'xx': use one of en, ru, fr, es, ar"}


# Cross-cutting -------------------------------------------------------------------------------------------------

def test_unknown_endpoints_and_methods_answer_json(client):
    assert get(client, "/nothing/here", 404)["detail"].startswith("No API endpoint at /api/v1/nothing/here")
    response = client.post(f"{API}/countries")
    assert response.status_code == 405 and "detail" in response.json()
    assert get(client, "/")["openapi"].endswith("/api/v1/openapi.json")
    assert client.get(f"{API}/countries/\x00").status_code == 400


def test_an_unexpected_error_is_json_without_internals(client, monkeypatch):
    from civicspace.ratings.selectors import editions as selectors

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /work/main")

    monkeypatch.setattr(selectors, "current_ratings", broken)
    assert get(client, "/countries", 500) == {"detail": "Internal server error"}


def test_rate_limit_per_client(client, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    for _ in range(3):
        get(client, "/taxonomy")
    response = client.get(f"{API}/taxonomy")
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many requests: limit is 3 per minute"}
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Access-Control-Allow-Origin"] == "*"
    # Another client is not affected.
    assert client.get(f"{API}/taxonomy", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_cors_is_open_for_get_and_preflight_is_answered(client):
    response = client.get(f"{API}/countries/KGZ", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"{API}/countries/ZZZ")["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(f"{API}/updates", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                               HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept-language")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert preflight["Access-Control-Allow-Headers"] == "accept-language"
    head = client.head(f"{API}/countries/KGZ")
    assert head.status_code == 200 and head.content == b""


def test_query_counts_are_pinned(client, people, django_assert_num_queries):
    for _ in range(3):
        make_update(people, Status.PUBLISHED)
    from civicspace.search.services import index_rebuild_all

    index_rebuild_all()
    # countries: the countries with their regions, the current ratings.
    with django_assert_num_queries(2):
        assert len(get(client, "/countries")) == 198
    # updates: count, the page, its freedoms.
    published = Update.objects.filter(status=Status.PUBLISHED).count()
    with django_assert_num_queries(3):
        assert len(get(client, "/updates")["results"]) == min(20, published)
    # with filters: one look-up per filter, and the full-text match (matching documents, their incidents); on
    # PostgreSQL one more: each language's tsquery, computed once so that languages stemming alike share a branch.
    from django.db import connection

    with django_assert_num_queries(7 if connection.vendor == "sqlite" else 8):
        assert len(get(client, "/updates?country=KGZ&freedom=expression&q=synthetic")["results"]) == 3


@pytest.mark.parametrize("path, queries", [
    ("/countries/KGZ", 3), ("/editions", 1), ("/editions/2025-12", 2), ("/laws", 1), ("/watchlist", 2),
    ("/taxonomy", 1),
])
def test_other_endpoints_do_not_query_per_row(client, django_assert_num_queries, path, queries):
    with django_assert_num_queries(queries):
        get(client, path)


def test_update_and_law_details_do_not_query_per_incident(client, people, django_assert_max_num_queries,
                                                           django_assert_num_queries):
    # The update, its freedoms, its public sources, its incidents, and per relation of all its incidents at once:
    # types, freedoms, perpetrators, victims (with their type), public sources (api.update_detail_get).
    demo = demo_update()
    with django_assert_num_queries(9):  # was 9 through the selector's prefetches, with every column
        assert len(get(client, f"/updates/{demo.pk}")["incidents"]) == 5
    retracted = make_update(people, Status.PUBLISHED)
    Update.objects.filter(pk=retracted.pk).update(status=Status.RETRACTED, retraction_reason_en="Wrong country")
    with django_assert_num_queries(2):  # the update and its freedoms: a notice has no incidents or sources
        assert get(client, f"/updates/{retracted.pk}")["incidents"] is None
    with django_assert_max_num_queries(8):
        get(client, f"/laws/{Bill.objects.get(category='foreign_agent').pk}")


# The OpenAPI document and the docs page ------------------------------------------------------------------------

def test_openapi_document_is_valid_openapi_3_1(client):
    import jsonschema
    from schemathesis.specs.openapi.definitions import OPENAPI_31

    document = get(client, "/openapi.json")
    assert document["openapi"].startswith("3.1")
    jsonschema.Draft202012Validator(OPENAPI_31).validate(document)
    assert {"/api/v1/countries", "/api/v1/countries/{code}", "/api/v1/editions", "/api/v1/editions/{slug}",
            "/api/v1/updates", "/api/v1/updates/{id}", "/api/v1/laws", "/api/v1/laws/{id}", "/api/v1/watchlist",
            "/api/v1/taxonomy", "/api/v1/cases", "/api/v1/cases/{id}",  # cases: issue 20
            "/api/v1/corrections"} == set(document["paths"])  # corrections: issue 21
    assert all(set(operation) == {"get"} for operation in document["paths"].values())
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)
    # Nothing confidential is even described.
    text = json.dumps(document)
    assert "confidential" not in text and "names_sensitive" not in text


def test_docs_page_uses_local_assets_only(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"https?://", html) == []
    # What the page loads (scripts, style sheets, images), not the links a reader may follow.
    assets = re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets and "/static/ninja/swagger-ui.css" in assets
    ninja_static = Path(ninja.__file__).parent / "static"
    for asset in assets:
        assert (ninja_static / asset.removeprefix("/static/")).is_file(), asset
    assert '"validatorUrl": null' in html and "/api/v1/openapi.json" in html


# Property-based: no request the schema allows (or nearly allows) makes the server fail ------------------------

@pytest.fixture
def api_schema(db, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 0  # no limit for this run
    # Django's test client does this too: a WSGI request would otherwise close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(f"{API}/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


FUZZ_CASES = {"positive": 0, "negative": 0}  # requests generated, for the count


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_no_server_error_for_any_generated_request(api_schema, mode):
    """Schemathesis's pytest plugin (its parametrize) does not run under pytest 9, so each operation's strategy
    is driven with Hypothesis directly: 25 derandomized examples per operation and mode, no 5xx."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 13  # +2: /cases and /cases/{id} (issue 20); +1: /corrections (issue 21)
    for operation in operations:
        if mode == schemathesis.GenerationMode.NEGATIVE and not operation.definition.raw.get("parameters"):
            continue  # nothing to make invalid (GET /editions)

        @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis.settings(max_examples=25, derandomize=True, database=None, deadline=None,
                             suppress_health_check=list(hypothesis.HealthCheck))
        def no_server_error(case):
            FUZZ_CASES[mode.value] += 1
            # No 5xx, and every answer matches the schema the OpenAPI document promises.
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

        no_server_error()
    print(f"schemathesis {mode.value}: {FUZZ_CASES[mode.value]} generated requests")
    assert FUZZ_CASES[mode.value] >= 100


# Canaries (confidential and unpublished content in no response): tests/integration/test_leak_canary.py crawls
# every endpoint in every language.


# Keyset pagination (issue 17) -----------------------------------------------------------------------------------

def test_keyset_pages_walk_the_same_updates_as_page_numbers(client):
    by_page, page = [], 1
    while True:
        data = get(client, f"/updates?page_size=3&page={page}")
        by_page += [r["id"] for r in data["results"]]
        if not data["next"]:
            break
        page += 1
    assert len(by_page) > 6
    walked, data = [], get(client, "/updates?page_size=3&after=")
    assert (data["count"], data["page"], data["pages"], data["previous"]) == (None, None, None, None)
    while True:
        walked += [r["id"] for r in data["results"]]
        if not data["next"]:
            assert data["next_cursor"] is None
            break
        assert f"after={data['next_cursor']}" in data["next"] and "page=" not in data["next"]
        data = get(client, data["next"].split("/api/v1", 1)[1])
    assert walked == by_page


def test_keyset_cursor_from_a_numbered_page_and_a_bad_cursor(client):
    first = get(client, "/updates?page_size=2")
    second = get(client, f"/updates?page_size=2&after={first['next_cursor']}")
    assert [r["id"] for r in second["results"]] == [r["id"] for r in get(client, "/updates?page_size=2&page=2")["results"]]
    for bad in ("2024-01-01", "x_1", "2024-13-45_3"):
        assert "Invalid cursor" in get(client, f"/updates?after={bad}", status=400)["detail"]


def test_the_openapi_document_says_which_pagination_to_use(client):
    operation = get(client, "/openapi.json")["paths"]["/api/v1/updates"]["get"]
    assert "Keyset" in operation["description"] and "after" in {p["name"] for p in operation["parameters"]}


def test_answers_are_utf8_json_from_orjson(client):
    raw = client.get(f"{API}/countries/RUS?lang=ru").content
    assert "Россия".encode() in raw and b"\\u" not in raw
