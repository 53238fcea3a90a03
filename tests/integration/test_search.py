"""Full-text search over published updates, incidents and laws (civicspace.search), on SQLite (FTS5 with
Snowball stems) and PostgreSQL (text search configurations): the demo content in English and Russian, what
the stemmers really do, the web-search syntax, filters, snippets, pagination, and that nothing unpublished or
confidential is ever found. The index is rebuilt for every test (the `index` fixture)."""
import datetime as dt
import io
import re
import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from civicspace.cases.models import Case
from civicspace.countries.models import Country
from civicspace.legislation.models import Bill
from civicspace.monitoring.models import Incident, Status, Term, Update
from civicspace.search import services, text
from civicspace.search.engine import LANGS
from civicspace.search.models import DirtyRecord, Kind, SearchDocument
from civicspace.search.selectors import search
from tests.monitoring_fixtures import CONFIDENTIAL_NOTE, CONFIDENTIAL_TITLE, SENSITIVE_NAME, make_update

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def index(db):
    services.index_rebuild_all()


@pytest.fixture
def demo():
    update = Update.objects.get(import_key="kgz-2024-03-05")
    # issue 20: these tests are about updates, incidents and laws; cases are searched in test_cases_public.py
    SearchDocument.objects.filter(kind=Kind.CASE).delete()

    def incident(words):
        return Incident.objects.get(update=update, description_en__contains=words)

    return {
        "update": update,
        "journalists": incident("11 journalists affiliated with Temirov Live were detained"),
        "raid_24kg": incident("raided the offices of the outlet 24.KG"),
        "raid_temirov": incident("raided the offices of the outlet Temirov Live"),
        "sealed": incident("office was sealed"),
        "kloop": incident("liquidation of the investigative portal Kloop Media"),
        "foreign_bill": Bill.objects.get(import_key="kgz-foreign-representatives-bill"),
        "media_bill": Bill.objects.get(import_key="kgz-media-bill"),
    }


def found(q, lang="en", **filters):
    """{(kind, object id)} of every result (all pages)."""
    page = search(q, lang=lang, filters=filters, per_page=100)
    return {(r.kind, r.object_id) for r in page.object_list}


def found_kgz(q, lang="en", **filters):
    """found() within Kyrgyzstan: the demo content also holds the intake corpus (issue 18) in other countries,
    which matches common words such as "journalists"."""
    return found(q, lang, country=Country.objects.get(code="KGZ"), **filters)


def key(obj):
    return ({Update: Kind.UPDATE, Incident: Kind.INCIDENT, Bill: Kind.BILL}[type(obj)], obj.pk)


def page_text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------------- what the stemmers do

def test_snowball_stems_as_checked():
    """Checked first, then asserted: 'detained' and 'detention' do NOT share a stem (detain / detent), while
    'detaining' does; Russian folds the case forms of 'журналист', but 'задержаны' (were detained) and
    'задержание' (detention) stay apart too."""
    assert [text.stem(w, "en") for w in ["journalists", "journalist", "detained", "detaining", "detain",
                                          "detention", "raided", "raids"]] == \
        ["journalist", "journalist", "detain", "detain", "detain", "detent", "raid", "raid"]
    assert [text.stem(w, "ru") for w in ["журналистов", "журналисты", "журналист", "задержаны", "задержание"]] == \
        ["журналист", "журналист", "журналист", "задержа", "задержан"]
    assert text.stem("الصحفيين", "ar") == text.stem("الصحفي", "ar") == text.stem("الصَّحَفِيُّونَ", "ar") == "صحف"
    assert text.stem("journalistes", "fr") == "journal" and text.stem("periodistas", "es") == "period"


@pytest.mark.postgres
def test_postgresql_configurations_stem_the_same_way():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        configs = {row[0] for row in cursor.fetchall()}
        assert {"english", "russian", "french", "spanish", "arabic"} <= configs
        cursor.execute("SELECT to_tsvector('english', 'detained detaining detention')::text, "
                       "to_tsvector('russian', 'журналистов журналисты задержаны задержание')::text, "
                       "to_tsvector('arabic', 'الصحفيين الصحفي')::text")
        english, russian, arabic = cursor.fetchone()
    assert english == "'detain':1,2 'detent':3"
    assert russian == "'журналист':1,2 'задержа':3 'задержан':4"
    assert arabic == "'صحف':1,2"


# ---------------------------------------------------------------------------------------- the demo content

def test_english_search_finds_the_demo_incidents(client, demo):
    response = client.get("/en/search/", {"q": "journalists", "country": "kgz"})
    assert response.status_code == 200
    html = response.content.decode()
    assert found_kgz("journalists") == {key(demo["update"]), key(demo["journalists"])}
    assert found("journalists") > found_kgz("journalists")  # and the intake corpus in other countries
    assert f'href="/en/updates/{demo["update"].pk}/"' in html
    assert "11 <mark>journalists</mark> affiliated with Temirov Live were detained" in html
    assert "2 results" in page_text(response)


def test_russian_search_finds_them_in_russian_with_russian_stemming(client, demo):
    response = client.get("/ru/search/", {"q": "журналистов", "country": "kgz"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/ru/updates/{demo["update"].pk}/"' in html
    assert "11 <mark>журналистов</mark>, связанных с «Темиров Live», были задержаны" in html
    assert 'lang="ru"' in html
    expected = {key(demo["update"]), key(demo["journalists"])}
    # The text says "журналистов"; the nominative plural and singular find it as well.
    assert found_kgz("журналистов", "ru") == found_kgz("журналисты", "ru") == found_kgz("журналист", "ru") == expected
    # English words do not match the Russian text (no "journalists" in it).
    assert found_kgz("journalists", "ru") == set()


def test_detained_and_detention(demo):
    """'detained' (stem detain) finds the incident whose text says "were detained"; 'detaining' shares the
    stem; 'detention' (stem detent) does not: neither Snowball nor PostgreSQL relate the two words."""
    assert found_kgz("detained") == {key(demo["journalists"])}
    assert found_kgz("detaining") == {key(demo["journalists"])}
    assert found_kgz("detention") == set()
    assert found_kgz("задержаны", "ru") == {key(demo["journalists"])}
    assert found_kgz("задержание", "ru") == set()


def test_laws_are_found_and_link_to_the_law_page(client, demo):
    bill = demo["foreign_bill"]
    # The update's body quotes the bill too.
    assert found('"foreign representatives"') == {key(bill), key(demo["update"])}
    assert found('"foreign representatives"', kind="bill") == {key(bill)}
    assert found("иностранных представителей", "ru", kind="bill") == {key(bill)}
    html = client.get("/en/search/", {"q": "blogs websites"}).content.decode()
    assert f'href="/en/laws/{demo["media_bill"].pk}/"' in html
    assert "<mark>blogs</mark>" in html


def test_pages_without_a_translation_search_the_text_they_show(client, demo):
    """The French and Arabic pages show the English original (no translation yet): so does their search."""
    for lang in ["fr", "ar"]:
        assert found_kgz("journalists", lang) == {key(demo["update"]), key(demo["journalists"])}
        html = client.get(f"/{lang}/search/", {"q": "journalists", "country": "kgz"}).content.decode()
        assert f'href="/{lang}/updates/{demo["update"].pk}/" lang="en"' in html


def test_arabic_text_is_stemmed(people):
    update = make_update(people, Status.PUBLISHED)
    update.title_ar, update.summary_ar = "تحديث", "اعتقال الصحفيين في بيشكيك"
    update.translation_status = {"ar": "reviewed"}
    update.save()
    services.index_record(update)
    assert (Kind.UPDATE, update.pk) in found("الصحفي", "ar")
    assert (Kind.UPDATE, update.pk) not in found("الصحفي", "en")


# ---------------------------------------------------------------------------------------- web-search syntax

def test_phrase(demo):
    assert found('"journalists affiliated"') == {key(demo["update"]), key(demo["journalists"])}
    assert found('"journalists affiliated" detained') == {key(demo["journalists"])}
    assert found('"affiliated journalists"') == set()
    assert found('"Темиров Live"', "ru") >= {key(demo["raid_temirov"]), key(demo["journalists"])}


def test_or(demo):
    assert found("kloop OR sealed") == {key(demo["update"]), key(demo["kloop"]), key(demo["sealed"])}
    assert found("kloop sealed") == {key(demo["update"])}  # only the update mentions both
    assert found("kloop or sealed") == found("kloop OR sealed")


def test_minus_excludes(demo):
    raids = {key(demo["update"]), key(demo["raid_24kg"]), key(demo["raid_temirov"]), key(demo["sealed"]),
             key(demo["journalists"])}
    assert found_kgz("raided") == raids
    assert found_kgz("raided -temirov") == {key(demo["raid_24kg"]), key(demo["sealed"])}
    assert found_kgz('raided -"Temirov Live"') == {key(demo["raid_24kg"]), key(demo["sealed"])}
    assert found("-temirov") == set()  # only exclusions: nothing, rather than everything


def test_snippets_are_escaped_around_the_marks(people):
    update = make_update(people, Status.PUBLISHED)
    # A word no other record has: the demo corpus fills the first page of common words like "journalists".
    update.summary_en = 'Beware <script>alert("x")</script> & kestrelwood <b>here</b>.'
    update.save()
    services.index_record(update)
    result = next(r for r in search("kestrelwood", lang="en").object_list
                  if r.kind == Kind.UPDATE and r.object_id == update.pk)
    assert "<mark>kestrelwood</mark>" in result.snippet_html
    assert "<script>" not in result.snippet_html and "&lt;script&gt;" in result.snippet_html
    assert "&amp;" in result.snippet_html and "<b>" not in result.snippet_html


# -------------------------------------------------------------------------------------- never found

def test_unpublished_and_confidential_content_is_never_found(people):
    draft = make_update(people, Status.DRAFT)
    services.index_record(draft)
    assert found("synthetic") == set()

    published = make_update(people, Status.PUBLISHED)
    services.index_record(published)
    incident = published.incidents.get()
    assert found("synthetic") == {(Kind.UPDATE, published.pk), (Kind.INCIDENT, incident.pk)}
    for secret in [CONFIDENTIAL_TITLE, CONFIDENTIAL_NOTE, SENSITIVE_NAME, "CANARY"]:
        for lang in LANGS:
            assert found(secret, lang) == set()
    assert not SearchDocument.objects.filter(text__contains="CANARY").exists()
    assert not SearchDocument.objects.filter(title__contains="CANARY").exists()

    published.status, published.retraction_reason = Status.RETRACTED, "Test retraction."
    published.save()
    services.index_record(published)
    assert found("synthetic") == set()
    assert not SearchDocument.objects.filter(object_id=published.pk, kind=Kind.UPDATE).exists()


def test_the_bulk_path_builds_the_documents_the_record_path_does(demo, people):
    """The bulk rebuild reads incidents as plain rows (services._documents); the documents are those built from
    the model instances, with translations, fallbacks and a place coarsened to the country."""
    coarsened = make_update(people, status=Status.PUBLISHED).incidents.get()
    Incident.objects.filter(pk=coarsened.pk).update(place_en="Bishkek, 5 Street", place_precision="country")
    pks = sorted(Update.objects.published().values_list("pk", flat=True))
    assert demo["update"].pk in pks and coarsened.update_id in pks
    bulk = services._documents(Kind.UPDATE, pks)
    one_by_one = [doc for update in Update.objects.filter(pk__in=pks).order_by("pk")
                  for doc in services.update_documents(update)]
    assert len(bulk) > 20 and bulk == one_by_one
    assert not any("5 Street" in doc.text for doc in bulk)


def test_marked_dirty_then_rebuilt_by_the_job(people):
    update = make_update(people, Status.PUBLISHED)
    services.index_mark_dirty(update.incidents.get())  # an incident marks its update
    assert list(DirtyRecord.objects.values_list("kind", "object_id")) == [(Kind.UPDATE, update.pk)]
    assert found("synthetic") == set()  # not yet: the job has not run
    assert services.index_rebuild_dirty() == 1
    assert (Kind.UPDATE, update.pk) in found("synthetic")
    assert not DirtyRecord.objects.exists()

    update.status = Status.RETRACTED
    update.save()
    services.index_mark_dirty(update)
    services.index_rebuild_dirty()
    assert found("synthetic") == set()


def test_a_marked_record_is_indexed_once_its_transaction_commits(people, django_capture_on_commit_callbacks):
    update = make_update(people, Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        services.index_mark_dirty(update)
    assert (Kind.UPDATE, update.pk) in found("synthetic")
    assert not DirtyRecord.objects.exists()


def test_the_rebuild_removes_what_is_no_longer_public(people):
    update = make_update(people, Status.PUBLISHED)
    services.index_record(update)
    Update.objects.filter(pk=update.pk).update(status=Status.SUBMITTED)  # changed without a hook
    services.index_rebuild_all()
    assert found("synthetic") == set()
    assert not SearchDocument.objects.filter(parent_id=update.pk).exists()


def test_reindex_command_shows_progress():
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    output = out.getvalue()
    # Every published update and law (the demo content: the Kyrgyzstan update and its two bills, and the intake
    # corpus of issue 18), one document per update, incident and law in each of the five languages; and every
    # published case (issue 20).
    cases = Case.objects.published().count()
    records = Update.objects.filter(status=Status.PUBLISHED).count() + Bill.objects.count() + cases
    documents = (Update.objects.filter(status=Status.PUBLISHED).count() + Bill.objects.count()
                 + Incident.objects.filter(update__status=Status.PUBLISHED).count() + cases) * 5
    assert f"search: {records}/{records} records (100%)" in output
    assert f"index rebuilt, {documents} document(s)" in output
    out = io.StringIO()
    call_command("search_reindex", "--dirty", stdout=out)
    assert "re-indexed 0 dirty record(s)" in out.getvalue()


# ------------------------------------------------------------------------------------------------ filters

def test_filters_of_the_updates_list(demo):
    kgz, kaz = Country.objects.get(code="KGZ"), Country.objects.get(code="KAZ")
    term = Term.objects.get
    assert found("journalists", country=kaz) == set()
    assert found("journalists", country=kgz) == {key(demo["update"]), key(demo["journalists"])}
    assert found("journalists", country=kgz) < found("journalists", region=kgz.region) <= found("journalists")
    assert found("journalists", region=Country.objects.get(code="BRA").region) == set()
    assert found_kgz("kloop OR foreign", violation=term(vocabulary="violation", code="liquidation")) == \
        {key(demo["update"]), key(demo["kloop"])}  # bills have no violation type
    assert found_kgz("raided", victim=term(vocabulary="victim", code="journalist")) == \
        {key(demo["update"]), key(demo["journalists"])}
    association = term(vocabulary="freedom", code="association")
    assert key(demo["foreign_bill"]) in found("foreign", freedom=association)
    assert key(demo["media_bill"]) not in found("media", freedom=association)
    assert found_kgz("raided", date_to=dt.date(2024, 1, 31)) == \
        {key(demo["raid_24kg"]), key(demo["raid_temirov"]), key(demo["sealed"]), key(demo["journalists"])}
    assert found_kgz("kloop", date_from=dt.date(2024, 2, 1)) == {key(demo["update"]), key(demo["kloop"])}
    assert found_kgz("raided OR kloop OR foreign", kind="incident") == \
        {key(demo[k]) for k in ["raid_24kg", "raid_temirov", "sealed", "journalists", "kloop"]}


def test_the_page_applies_filters_and_reports_bad_ones(client, demo):
    response = client.get("/en/search/", {"q": "journalists", "country": "kaz"})
    assert "0 results" in page_text(response)
    response = client.get("/en/search/", {"q": "journalists", "country": "kgz", "victim": "journalist"})
    assert "2 results" in page_text(response)
    response = client.get("/en/search/", {"q": "journalists", "country": "nowhere"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


# ------------------------------------------------------------------------------------------ page, paging

@pytest.mark.parametrize("lang", LANGS)
def test_the_page_in_every_language(client, lang):
    response = client.get(f"/{lang}/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html and 'name="q"' in html and 'role="search"' in html
    assert client.get(f"/{lang}/search/", {"q": "kloop"}).status_code == 200


def test_pagination(client, people):
    kgz, org = Country.objects.get(code="KGZ"), people["kgz_org"]
    for n in range(23):
        update = Update.objects.create(country=kgz, date=dt.date(2023, 1, 1) + dt.timedelta(days=n),
                                       original_language="en", title_en=f"Paging test {n}",
                                       summary_en="A zanzibarian paging fixture.", organisation=org,
                                       status=Status.PUBLISHED)
        services.index_record(update)
    first = search("zanzibarian", lang="en")
    assert first.paginator.count == 23 and len(first.object_list) == 20 and first.has_next()
    second = search("zanzibarian", lang="en", page=2)
    assert len(second.object_list) == 3
    assert {r.object_id for r in first.object_list}.isdisjoint({r.object_id for r in second.object_list})
    assert search("zanzibarian", lang="en", page=99).number == 2
    assert search("zanzibarian", lang="en", page="x").number == 1
    html = client.get("/en/search/", {"q": "zanzibarian", "page": 2}).content.decode()
    assert "Page 2 of 2" in page_text(client.get("/en/search/", {"q": "zanzibarian", "page": 2}))
    assert 'href="?q=zanzibarian&amp;page=1" rel="prev"' in html


# --------------------------------------------------------------------------------------- arbitrary input

QUERY_PIECES = st.sampled_from(['"', "-", "--", "OR", "or", "AND", "NOT", "NEAR", "NEAR(", "(", ")", "*", "^",
                                ":", "title:", "{", "}", "'", "\\", "&", "|", "!", "<->", ":*", "\x00",
                                "\u0301", "\ue000", "journalists", "журналистов", "الصحفي", "détention", "é",
                                "24.KG", "a-b", " ", "\t", "ﬁ", "½", "_"])
QUERIES = st.one_of(st.text(max_size=80), st.lists(QUERY_PIECES, max_size=12).map("".join),
                    st.lists(QUERY_PIECES, max_size=12).map(" ".join))


@given(q=QUERIES, lang=st.sampled_from(LANGS))
def test_any_input_makes_a_valid_fts5_expression(q, lang):
    """Whatever is typed, the MATCH expression is valid FTS5 (checked on an in-memory FTS5 table)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t VALUES (?, ?)", ("", text.stemmed_text("11 journalists were detained", lang)))
    query = text.parse(q)
    expression = text.to_fts5(query, lang)
    if expression:
        db.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    # What PostgreSQL receives: only quoted operands, none containing a quote or a control character.
    assert all('"' not in t.raw and "\x00" not in t.raw for branch in query.branches for t in branch)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERIES, lang=st.sampled_from(LANGS))
def test_search_never_raises(q, lang):
    page = search(q, lang=lang)
    assert page.paginator.count >= 0


# ------------------------------------------------------------------------- issue 17: speed, bulk rebuild

def _zanzibarian(people, n):
    kgz, org = Country.objects.get(code="KGZ"), people["kgz_org"]
    updates = [Update.objects.create(country=kgz, date=dt.date(2023, 1, 1) + dt.timedelta(days=i),
                                     original_language="en", title_en=f"Paging test {i}",
                                     summary_en="A zanzibarian paging fixture.", organisation=org,
                                     status=Status.PUBLISHED) for i in range(n)]
    services.index_rebuild_records(Kind.UPDATE, [u.pk for u in updates])
    return updates


def test_the_count_comes_with_the_page_and_a_page_past_the_end_is_the_last(client, people):
    _zanzibarian(people, 12)
    first = search("zanzibarian", lang="en", per_page=5)
    assert first.paginator.count == 12 and first.paginator.num_pages == 3 and len(first.object_list) == 5
    past = search("zanzibarian", lang="en", per_page=5, page=4)
    assert past.number == 3 and len(past.object_list) == 2 and past.paginator.count == 12
    assert {r.object_id for r in first.object_list}.isdisjoint({r.object_id for r in past.object_list})
    assert search("zanzibarian", lang="en", per_page=5, page="x").number == 1
    assert "12 results" in page_text(client.get("/en/search/", {"q": "zanzibarian"}))
    assert search("nothingmatchesthis", lang="en").paginator.count == 0


def test_search_query_counts_are_pinned(people, django_assert_num_queries):
    """The match with its order and count (one query), then the page's documents; PostgreSQL first turns the
    query into a tsquery in each language (one round trip). Was 3 and 4: a separate count query."""
    _zanzibarian(people, 23)
    search("zanzibarian", lang="en")  # PostgreSQL reads its text search configurations once per process
    with django_assert_num_queries(3 if POSTGRES else 2):
        page = search("zanzibarian", lang="en")
    assert page.paginator.count == 23 and len(page.object_list) == 20


def test_one_match_branch_per_distinct_query(demo):
    """Languages whose stemming gives the same query share a branch (one index read); others keep theirs."""
    from civicspace.search.engine import get_engine

    sql, _params = get_engine().match(text.parse("kloop"), "en")
    assert sql.count("UNION ALL") == 0  # the same stem in every language
    sql, _params = get_engine().match(text.parse("journalists detained"), "en")
    assert sql.count("UNION ALL") + 1 < len(LANGS)  # English and Russian stems differ; some languages share
    assert found_kgz("journalists detained") >= {key(demo["journalists"])}


def _index_rows():
    documents = {(d.kind, d.object_id, d.language): (d.parent_id, d.text_language, d.title, d.text, d.url,
                                                     d.country_id, d.date, d.date_precision)
                 for d in SearchDocument.objects.all()}
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SELECT kind, object_id, language, vector::text FROM search_document")
        else:
            cursor.execute("SELECT d.kind, d.object_id, d.language, f.title || '|' || f.text FROM search_document d "
                           "JOIN search_document_fts f ON f.rowid = d.id")
        index = {(k, o, lang): v for k, o, lang, v in cursor.fetchall()}
    return documents, index


def test_the_bulk_rebuild_writes_what_one_record_at_a_time_writes(people):
    update = make_update(people, Status.PUBLISHED)
    assert services.index_rebuild_all(batch=3) > 0  # small batches: several per kind
    bulk_documents, bulk_index = _index_rows()
    assert (Kind.UPDATE, update.pk, "en") in bulk_documents and len(bulk_index) == len(bulk_documents)
    SearchDocument.objects.all().delete()
    from civicspace.cases.models import Case

    for obj in [*Update.objects.published(), *Bill.objects.all(), *Case.objects.published()]:
        services.index_record(obj)
    assert _index_rows() == (bulk_documents, bulk_index)
    if not POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_document_fts "
                           "WHERE rowid NOT IN (SELECT id FROM search_document)")
            assert cursor.fetchone()[0] == 0


def test_each_documents_index_entry_is_computed_from_its_own_text(people):
    """The bulk rebuild computes each distinct text's index entry once for all documents that share it
    (PostgreSQL: one vector per distinct (language, title, text)): every document still gets the entry of its
    own text, as computed from its row alone."""
    make_update(people, Status.PUBLISHED)
    services.index_rebuild_all()
    engine = services.get_engine()
    with connection.cursor() as cursor:
        if POSTGRES:
            values, params = engine._configs_values()
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE d.vector IS DISTINCT FROM "
                "setweight(to_tsvector(c.cfg, CASE WHEN d.kind = 'incident' THEN '' ELSE d.title END), 'A') || "
                "setweight(to_tsvector(c.cfg, d.text), 'B')), count(DISTINCT d.vector::text) "
                f"FROM search_document d JOIN (VALUES {values}) AS c(lang, cfg) ON c.lang = d.text_language", params)
            total, different, distinct = cursor.fetchone()
            assert total == SearchDocument.objects.count() and different == 0 and distinct > 1
        else:
            cursor.execute("SELECT d.kind, d.title, d.text, d.text_language, f.title, f.text FROM search_document d "
                           "JOIN search_document_fts f ON f.rowid = d.id")
            rows = cursor.fetchall()
            assert len(rows) == SearchDocument.objects.count()
            for kind, title, body, lang, fts_title, fts_text in rows:
                assert fts_title == ("" if kind == Kind.INCIDENT else text.stemmed_text(title, lang))
                assert fts_text == text.stemmed_text(body, lang)


def test_a_publication_reindexes_its_own_record_only(people, django_capture_on_commit_callbacks):
    from civicspace.monitoring import services as monitoring

    before = dict(SearchDocument.objects.values_list("id", "indexed_at"))
    update = make_update(people, Status.VERIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        monitoring.update_transition(update=update, actor=people["editor"], name="publish")
    assert (Kind.UPDATE, update.pk) in found("synthetic")
    after = dict(SearchDocument.objects.exclude(object_id=update.pk, kind=Kind.UPDATE)
                 .exclude(parent_id=update.pk, kind=Kind.INCIDENT).values_list("id", "indexed_at"))
    assert after == before  # every other document untouched: no rebuild of the whole index
    assert not DirtyRecord.objects.exists()


def test_stems_memoised_for_a_run_are_the_stems():
    memo = {}
    for lang, sample in [("en", "Journalists detained, journalists DETAINED"), ("ru", "Задержание журналистов"),
                         ("ar", "الصحفيين صحفيين"), ("fr", "Manifestants pacifiques")]:
        assert text.stemmed_text(sample, lang, memo) == text.stemmed_text(sample, lang)
        assert text.stemmed_text(sample, lang, memo) == text.stemmed_text(sample, lang)  # from the memo
    assert set(memo) == {"en", "ru", "ar", "fr"}


PLAIN_ALPHABET = st.sampled_from(list("abc xyzABC 019 жзЖ صحف é.,;:?!'\"()-+/%=*_#&<>|\n\t\u00a0"))


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(PLAIN_ALPHABET, max_size=60).map("".join))
def test_text_that_is_only_paragraphs_is_not_rendered_and_reads_the_same(body):
    """The rebuild's shortcut for Markdown without markup gives exactly what rendering it gives."""
    fast = services._plain_paragraphs(body)
    if fast is not None:
        assert fast == services._render_plain(body)


def test_the_shortcut_takes_plain_paragraphs_and_leaves_markdown_to_the_renderer():
    plain = "Journalists were detained.\nTwo were released. \n\n\nSecurity services searched (twice): 3 offices!"
    assert services._plain_paragraphs(plain) == services._render_plain(plain) == \
        "Journalists were detained.\nTwo were released.\n\nSecurity services searched (twice): 3 offices!"
    for markdown in ["Synthetic **body**.", "1. first\n2. second", "- item", "    code", "a\n---", "a &amp; b",
                     "[link](https://example.org)", "<b>x</b>", "# Title", "a\tb"]:
        assert services._plain_paragraphs(markdown) is None
