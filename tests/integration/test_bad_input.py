"""Bad input, everywhere people can type or upload: empty, oversize, wrong type, wrong encoding, malicious and
boundary values, for every form of the workspace and for the CSV importer. Each ends in a clear message that
names the field (forms: "Label: problem") or the line and field (files), and nothing is half-saved.

The counts reported for the issue are the lengths of CSV_CASES, FORM_CASES and URL_CASES (see test_counts).
"""
import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from civicspace.core.csvfiles import CsvValidationError
from civicspace.legislation.models import Bill, StageEvent
from civicspace.monitoring.models import Comment, Source, Status, TrendCall, Update
from civicspace.ratings.models import PublishedRating, RatingEdition
from civicspace.ratings.services.importer import ratings_import
from civicspace.watchlist.models import WatchlistEdition
from tests.monitoring_fixtures import make_update, term

pytestmark = pytest.mark.django_db

HEADER = "edition,published,coverage,iso3,country,rating,score,source_url\n"
GOOD = "Test edition (synthetic),2031-01,complete,KGZ,Kyrgyzstan,repressed,32.19,https://example.org/r\n"
# Read when the module is collected: far enough ahead to stay in the future if the run crosses midnight.
IN_A_MONTH = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
XSS = '<script>alert("x")</script>'
SQLI = "'; DROP TABLE ratings_publishedrating; --"
TRAVERSAL = "../" * 16 + "etc/passwd"  # deep enough from any tmp_path (xdist adds a level)


def row(**changes):
    values = dict(zip(HEADER.strip().split(","), GOOD.strip().split(",")))
    values.update(changes)
    return ",".join(values.values()) + "\n"


# --- The CSV importer ------------------------------------------------------------------------------------------
# (label, bytes of the file, (line, field, words of the message)) or (label, bytes, None) for a file that imports.
CSV_CASES = [
    ("empty file", b"", (1, "edition", "required column is missing")),
    ("header only", HEADER.encode(), (2, "-", "no data rows")),
    ("blank lines only", HEADER.encode() + b"\n\n", (2, "-", "no data rows")),
    ("Windows-1251 Cyrillic", HEADER.encode() + GOOD.encode() + row(country="Кыргызстан", edition="Издание").encode(
        "cp1251"), (3, "-", "is not UTF-8 text")),
    ("Latin-1 accents", HEADER.encode() + row(country="Côte d'Ivoire").encode("latin-1"), (2, "-", "not UTF-8")),
    ("UTF-16 with BOM", (HEADER + GOOD).encode("utf-16"), (1, "-", "UTF-16")),
    ("binary (PNG)", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", (1, "-", "not UTF-8")),
    ("NUL byte in a row", HEADER.encode() + GOOD.encode().replace(b"KGZ", b"K\x00Z"), (2, "-", "NUL character")),
    ("UTF-8 with BOM", b"\xef\xbb\xbf" + (HEADER + GOOD).encode(), None),
    ("Windows line endings", (HEADER + GOOD).replace("\n", "\r\n").encode(), None),
    ("oversize field", (HEADER + row(country="x" * 10_001)).encode(), (2, "country", "longer than 10000")),
    ("field over the csv module's limit", (HEADER + row(country="x" * 200_000)).encode(),
     (2, "", "")),  # "malformed CSV" or "longer than": csv.field_size_limit is global and libraries raise it
    ("field at the length limit", (HEADER + row(country="x" * 10_000)).encode(), None),
    ("more values than columns", (HEADER + GOOD.strip() + ",extra\n").encode(), (2, "-", "more values than columns")),
    # An unclosed quote swallows the rest of the file into one field: the row then lacks its last values.
    ("unclosed quote", (HEADER + row(country='"Kyrgyzstan')).encode(), (2, "rating", "unknown rating")),
    ("HTML in the country code", (HEADER + row(iso3=XSS)).encode(), (2, "iso3", "unknown country code")),
    ("SQL in the country code", (HEADER + row(iso3=SQLI)).encode(), (2, "iso3", "unknown country code")),
    ("path traversal in the country code", (HEADER + row(iso3=TRAVERSAL)).encode(), (2, "iso3", "unknown country")),
    ("HTML in the rating", (HEADER + row(rating=XSS)).encode(), (2, "rating", "unknown rating")),
    ("javascript: source URL", (HEADER + row(source_url="javascript:alert(1)")).encode(),
     (2, "source_url", "is not an http(s) URL")),
    ("source URL without host", (HEADER + row(source_url="https://")).encode(), (2, "source_url", "not an http(s)")),
    ("empty source URL", (HEADER + row(source_url="")).encode(), (2, "source_url", "not an http(s) URL")),
    ("empty edition", (HEADER + row(edition="")).encode(), (2, "edition", "is empty")),
    ("empty rating", (HEADER + row(rating="")).encode(), (2, "rating", "unknown rating")),
    ("score as words", (HEADER + row(score="thirty-two")).encode(), (2, "score", "is not a number")),
    ("score NaN", (HEADER + row(score="NaN")).encode(), (2, "score", "is not a number")),
    ("score Infinity", (HEADER + row(score="Infinity")).encode(), (2, "score", "is not a number")),
    ("score in exponent form", (HEADER + row(score="3.219e1")).encode(), None),
    ("score 0", (HEADER + row(score="0", rating="closed")).encode(), (2, "score", "is outside")),
    ("score -1", (HEADER + row(score="-1", rating="closed")).encode(), (2, "score", "is outside")),
    ("score 1 (lowest)", (HEADER + row(score="1", rating="closed")).encode(), None),
    ("score 100 (highest)", (HEADER + row(score="100", rating="open")).encode(), None),
    ("score 100.01", (HEADER + row(score="100.01", rating="open")).encode(), (2, "score", "is outside")),
    ("score with three decimals", (HEADER + row(score="32.191")).encode(), (2, "score", "more than two decimals")),
    ("score on a band edge, rounded", (HEADER + row(score="40.49", rating="repressed")).encode(), None),
    ("score over a band edge, rounded", (HEADER + row(score="40.5", rating="repressed")).encode(),
     (2, "score", "rounds to")),
    ("date 30 February", (HEADER + row(published="2031-02-30")).encode(), (2, "published", "is not a date")),
    ("date as words", (HEADER + row(published="December 2031")).encode(), (2, "published", "is not a date")),
    ("date with HTML", (HEADER + row(published=XSS)).encode(), (2, "published", "is not a date")),
    ("coverage unknown", (HEADER + row(coverage="most")).encode(), (2, "coverage", "is not one of")),
]


@pytest.mark.parametrize("label, content, expected", CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_the_ratings_importer_refuses_bad_files_naming_line_and_field(tmp_path, label, content, expected):
    path = tmp_path / "ratings-upload.csv"
    path.write_bytes(content)
    editions, ratings = RatingEdition.objects.count(), PublishedRating.objects.count()
    if expected is None:
        ratings_import(path=path)
        assert PublishedRating.objects.count() == ratings + 1
        return
    with pytest.raises(CsvValidationError) as caught:
        ratings_import(path=path)
    line, field, words = expected
    message = str(caught.value)
    assert f"ratings-upload.csv, line {line}, field '{field}" in message and words in message, message
    assert "nothing was imported" in message
    assert (RatingEdition.objects.count(), PublishedRating.objects.count()) == (editions, ratings)


@pytest.mark.parametrize("name, words", [
    (TRAVERSAL, "required column is missing"),  # it is read (the operator may read it), and refused as a CSV
    ("../../no-such-dir/ratings.csv", "file not found"),
    (".", "is not a file"),
])
def test_the_import_command_names_the_file_it_could_not_use(tmp_path, monkeypatch, name, words):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=words):
        call_command("import_ratings", name)


# --- The forms ---------------------------------------------------------------------------------------------------
@pytest.fixture
def setting(people):
    """Signed-in clients and the objects the forms work on."""
    partner, editor = Client(), Client()
    partner.force_login(people["partner"])
    editor.force_login(people["editor"])
    update = make_update(people, Status.DRAFT)
    bill = Bill.objects.filter(country__code="KGZ").order_by("pk").first()
    edition = WatchlistEdition.objects.create(slug="2031-03-01", target_date=dt.date(2031, 3, 1))
    kgz = people["partner"].profile.countries.get()
    return {"partner": partner, "editor": editor, "update": update, "bill": bill, "edition": edition, "kgz": kgz,
            "freedom": term("freedom", "expression")}


def forms(s):
    """Each form: (who, URL, good data, how to count what it saves)."""
    return {
        "update": ("partner", "/en/workspace/updates/new/",
                   {"country": s["kgz"].pk, "date": "2024-03-05", "original_language": "en", "title": "A title",
                    "summary": "A summary", "body": "", "freedoms": [s["freedom"].pk]},
                   lambda: Update.objects.count()),
        "source": ("partner", f"/en/workspace/updates/{s['update'].pk}/sources/new/",
                   {"title": "A source", "publisher": "", "date": "2024-03-01", "url": "https://example.org/s",
                    "language": "en"},
                   lambda: Source.objects.count()),
        "comment": ("partner", f"/en/workspace/updates/{s['update'].pk}/comments/", {"body": "A comment"},
                    lambda: Comment.objects.count()),
        "trend call": ("partner", "/en/workspace/trend-calls/",
                       {"country": s["kgz"].pk, "period_end": "2024-06-30", "call": "worse", "note": ""},
                       lambda: TrendCall.objects.count()),
        "bill": ("editor", "/en/workspace/laws/new/",
                 {"country": s["kgz"].pk, "short_title": "A bill", "official_title": "", "summary": "",
                  "number": "", "category": "ngo", "direction": "restrictive", "lang": "en",
                  "translation_status": "reviewed", "freedoms": [s["freedom"].pk]},
                 lambda: Bill.objects.count()),
        "stage": ("editor", f"/en/workspace/laws/{s['bill'].pk}/stages/new/",
                  {"stage": "amended", "date": timezone.localdate().isoformat(), "note": ""},
                  lambda: StageEvent.objects.count()),
        "watchlist edition": ("editor", "/en/workspace/watchlist/", {"target_date": "2031-09-01"},
                              lambda: WatchlistEdition.objects.count()),
        "press release": ("editor", f"/en/workspace/watchlist/{s['edition'].slug}/press-release/",
                          {"lang": "en", "pr_title": "A title", "pr_lead": "A lead"},
                          lambda: WatchlistEdition.objects.filter(pr_title_en="").count()),
    }


# (form, field, bad value, words of the message). The page must show "<field label>: <words>".
FORM_CASES = [
    # empty
    ("update", "title", "", "Title: This field is required."),
    ("update", "summary", "   ", "Summary: This field is required."),
    ("update", "freedoms", [], "Freedoms affected: This field is required."),
    ("source", "title", "", "Title: This field is required."),
    ("comment", "body", "", "Comment: This field is required."),
    ("trend call", "call", "", "This field is required."),
    ("bill", "short_title", "", "Short title: This field is required."),
    ("stage", "date", "", "This field is required."),
    ("watchlist edition", "target_date", "", "Target date: Choose a session or a date."),
    ("press release", "pr_title", "", "Title: This field is required."),
    # oversize
    ("update", "title", "x" * 251, "Title: Ensure this value has at most 250 characters"),
    ("update", "summary", "x" * 3001, "Summary: Ensure this value has at most 3000 characters"),
    ("update", "body", "x" * 100_001, "Ensure this value has at most 100000 characters"),
    ("source", "url", "https://example.org/" + "a" * 1000, "URL: Ensure this value has at most 1000 characters"),
    ("comment", "body", "x" * 5001, "Comment: Ensure this value has at most 5000 characters"),
    ("trend call", "note", "x" * 2001, "Ensure this value has at most 2000 characters"),
    ("bill", "short_title", "x" * 201, "Short title: Ensure this value has at most 200 characters"),
    ("bill", "summary", "x" * 5001, "Ensure this value has at most 5000 characters"),
    ("stage", "note", "x" * 2001, "Note: Ensure this value has at most 2000 characters"),
    ("press release", "pr_title", "x" * 301, "Title: Ensure this value has at most 300 characters"),
    # wrong type
    ("update", "date", "yesterday", "Date: Enter a valid date."),
    ("update", "country", "not-a-number", "Country: Select a valid choice."),
    ("update", "freedoms", ["abc"], "is not a valid value"),
    ("source", "date", "2024-13-01", "Date: Enter a valid date."),
    ("source", "url", "not a url", "URL: Enter a valid URL."),
    ("trend call", "period_end", "31/31/2024", "Enter a valid date."),
    ("bill", "category", "banana", "Category: Select a valid choice."),
    ("stage", "stage", "teleported", "Stage: Select a valid choice."),
    ("watchlist edition", "target_date", "soon", "Target date: Enter a valid date."),
    ("press release", "lang", "de", "Language: Select a valid choice."),
    # boundary
    ("update", "date", IN_A_MONTH, "Date: The date is in the future."),
    ("update", "date", "0001-01-01", None),  # the oldest date is a date
    ("update", "title", "x" * 250, None),
    ("trend call", "period_end", IN_A_MONTH, "in the future"),
    ("stage", "date", IN_A_MONTH, "in the future"),
    ("bill", "short_title", "x" * 200, None),
    ("comment", "body", "x" * 5000, None),
    # malicious: refused where the value must come from a list; stored verbatim (and shown escaped) where text
    ("update", "country", "1 OR 1=1", "Country: Select a valid choice."),
    ("update", "original_language", TRAVERSAL, "Language you are writing in: Select a valid choice."),
    ("bill", "country", SQLI, "Country: Select a valid choice."),
    ("source", "url", "javascript:alert(1)", "URL: Enter a valid URL."),
    ("source", "url", "data:text/html,<script>alert(1)</script>", "URL: Enter a valid URL."),
    ("update", "title", "Null\x00byte", "Title: Null characters are not allowed."),
    ("comment", "body", "Null\x00byte", "Comment: Null characters are not allowed."),
    ("update", "title", XSS, None),
    ("update", "title", SQLI, None),
    ("comment", "body", XSS, None),
    ("bill", "short_title", XSS, None),
]


def visible(response):
    from django.contrib.messages import get_messages

    html = response.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&quot;", '"').replace("&#x27;", "'")
    return text + " " + " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("form, field, value, words", FORM_CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(FORM_CASES)])
def test_every_form_refuses_bad_input_naming_the_field(setting, form, field, value, words):
    who, url, good, count = forms(setting)[form]
    client = setting[who]
    before = count()
    response = client.post(url, {**good, field: value})
    if words is None:  # accepted
        assert response.status_code == 302, visible(response)[:3000]
        assert count() == before + (1 if form != "press release" else -1)
        if value in (XSS, SQLI):
            stored = (Update.objects.filter(title_en=value) if form == "update" else
                      Comment.objects.filter(body=value) if form == "comment" else
                      Bill.objects.filter(short_title_en=value))
            assert stored.exists()  # verbatim: parameters, never SQL text
            page = client.get(response["Location"]).content.decode()
            assert "<script>alert" not in page
        return
    if response.status_code == 302:  # forms that report through messages after a redirect
        response = client.get(response["Location"])
    assert words in visible(response), visible(response)[:3000]
    assert count() == before, "nothing may be saved"


def test_html_in_a_title_is_shown_as_text_on_every_page(setting, people):
    update = setting["update"]
    Update.objects.filter(pk=update.pk).update(title_en=XSS, status=Status.PUBLISHED)
    for url in (f"/en/updates/{update.pk}/", "/en/updates/", f"/en/workspace/updates/{update.pk}/"):
        page = setting["partner"].get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page and XSS not in page, url


# --- Public GET forms and URL parameters ---------------------------------------------------------------------------
URL_CASES = [
    ("/en/updates/?date_from=yesterday", 200, "Enter a valid date."),
    ("/en/updates/?country=" + "x" * 5000, 200, None),
    ("/en/updates/?country=%27%20OR%201%3D1--", 200, None),
    ("/en/countries/?rating=" + XSS, 200, "Select a valid choice."),
    ("/en/laws/?country=../../etc", 200, None),
    ("/en/search/?q=" + "x" * 1000, 200, "Ensure this value has at most"),
    ("/en/search/?q=%00", 200, None),
    ("/en/search/?q=" + SQLI, 200, None),
    ("/en/search/?q=" + XSS, 200, None),
    ("/en/ratings/repressed/?edition=" + TRAVERSAL, 404, None),
    ("/en/findings/compare/?from=2020-12&to=" + XSS, 200, None),
    ("/en/workspace/watchlist/2031-03-01/?lang=" + TRAVERSAL, 200, None),  # was a server error
    ("/en/countries/" + "..%2F..%2Fetc%2Fpasswd/", 404, None),
    ("/en/data/2026.01.01/..%2F..%2F..%2Fsettings.py", 404, None),
    ("/en/data/..%2F..%2Fvar/secret_key", 404, None),
    ("/en/workspace/updates/{update}/translations/..%2F..%2Fetc/", 404, None),
    ("/en/updates/99999999999999999999999/", 404, None),
    ("/api/v1/updates?page=-1", 404, None),
    ("/api/v1/updates?page_size=100000", 422, None),
    ("/api/v1/countries/" + "%27%20OR%201%3D1--", 404, None),
    ("/api/v1/updates/99999999999999999999999", 422, None),
]


@pytest.mark.parametrize("url, status, words", URL_CASES, ids=[f"url-{i}" for i in range(len(URL_CASES))])
def test_bad_parameters_are_refused_cleanly(setting, settings, people, url, status, words):
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    client = Client(raise_request_exception=False)
    client.force_login(setting["update"].created_by if "watchlist" not in url else people["editor"])
    response = client.get(url.format(update=setting["update"].pk))
    assert response.status_code == status, (url, response.status_code)
    text = response.content.decode(errors="replace")
    assert "Traceback" not in text and "<script>alert" not in text
    if words:
        assert words in visible(response)


def test_counts():
    """The numbers reported for the issue."""
    print(f"bad inputs: {len(CSV_CASES)} CSV files, {len(FORM_CASES)} form inputs, {len(URL_CASES)} URL parameters")
    assert len(CSV_CASES) + len(FORM_CASES) + len(URL_CASES) >= 100
