"""The ratings importer validates every row and names file, line and field; a bad file imports nothing."""
import pytest
from django.core.management import CommandError, call_command

from civicspace.audit.models import AuditEvent
from civicspace.core.csvfiles import CsvValidationError
from civicspace.ratings.models import PublishedRating, RatingEdition
from civicspace.ratings.services.importer import ratings_import

pytestmark = pytest.mark.django_db

HEADER = "edition,published,coverage,iso3,country,rating,score,source_url\n"
GOOD = "TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,repressed,30.5,https://example.org/kgz\n"


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "ratings-test.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def errors_for(path):
    with pytest.raises(CsvValidationError) as caught:
        ratings_import(path=path)
    return caught.value.errors


def test_a_good_file_creates_the_edition_and_its_ratings(tmp_path):
    path = write(tmp_path, GOOD, "TEST 2026,2026-12-01,partial,,Somaliland,repressed,,https://example.org/sol\n")
    editions, ratings = ratings_import(path=path)
    assert (editions.created, ratings.created) == (1, 2)
    edition = RatingEdition.objects.get(code="TEST 2026")
    assert edition.slug == "2026-12" and edition.coverage == "partial"
    assert {r.country.code for r in edition.ratings.all()} == {"KGZ", "SOL"}
    event = AuditEvent.objects.filter(action="ratings.ratings_import").first()  # newest first
    assert event.data["file"] == "ratings-test.csv"


@pytest.mark.parametrize(
    "row, field, message",
    [
        ("TEST 2026,2026-12-01,partial,ZZZ,Nowhere,repressed,30,https://example.org\n", "iso3", "unknown country code 'ZZZ'"),
        ("TEST 2026,2026-12-01,partial,,Atlantis,repressed,30,https://example.org\n", "iso3", "'Atlantis' is not a rated entity"),
        ("TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,suppressed,,https://example.org\n", "rating", "unknown rating 'suppressed'"),
        ("TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,closed,0,https://example.org\n", "score", "0 is outside 1-100"),
        ("TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,open,100.01,https://example.org\n", "score", "100.01 is outside 1-100"),
        ("TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,repressed,55,https://example.org\n", "score", "55 rounds to obstructed, not repressed"),
        ("TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,repressed,40.5,https://example.org\n", "score", "40.5 rounds to obstructed"),
        ("TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,repressed,abc,https://example.org\n", "score", "'abc' is not a number"),
        ("TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,repressed,NaN,https://example.org\n", "score", "'NaN' is not a number"),
        ("TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,repressed,30.123,https://example.org\n", "score", "more than two decimals"),
        ("TEST 2026,2026-13-01,partial,KGZ,Kyrgyzstan,repressed,30,https://example.org\n", "published", "'2026-13-01' is not a date"),
        ("TEST 2026,2026-12-01,sometimes,KGZ,Kyrgyzstan,repressed,30,https://example.org\n", "coverage", "'sometimes' is not one of"),
        ("TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,repressed,30,ftp://example.org\n", "source_url", "is not an http(s) URL"),
        (",2026-12-01,partial,KGZ,Kyrgyzstan,repressed,30,https://example.org\n", "edition", "is empty"),
    ],
)
def test_each_bad_row_is_reported_with_file_line_and_field(tmp_path, row, field, message):
    # The bad row is on line 3: line 1 is the header, line 2 a good row that must not be imported either.
    path = write(tmp_path, GOOD.replace("KGZ,Kyrgyzstan", "KAZ,Kazakhstan"), row)
    errors = errors_for(path)
    assert [(e.path, e.line, e.field) for e in errors] == [("ratings-test.csv", 3, field)]
    assert message in errors[0].message
    assert str(errors[0]).startswith(f"ratings-test.csv, line 3, field '{field}': ")
    assert not RatingEdition.objects.filter(code="TEST 2026").exists()


def test_a_duplicate_country_in_an_edition_names_both_lines(tmp_path):
    path = write(tmp_path, GOOD, GOOD.replace("30.5", "31"))
    [error] = errors_for(path)
    assert (error.line, error.field) == (3, "iso3")
    assert "KGZ is already rated in edition 'TEST 2026' on line 2" in error.message


def test_rows_of_one_edition_must_agree_on_date_and_coverage(tmp_path):
    path = write(tmp_path, GOOD, "TEST 2026,2026-11-01,partial,KAZ,Kazakhstan,repressed,30,https://example.org\n")
    [error] = errors_for(path)
    assert (error.line, error.field) == (3, "published")


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    path = write(
        tmp_path,
        "TEST 2026,2026-12-01,partial,ZZZ,Nowhere,repressed,30,https://example.org\n",
        GOOD,
        "TEST 2026,2026-12-01,partial,KAZ,Kazakhstan,openish,,https://example.org\n",
    )
    assert [(e.line, e.field) for e in errors_for(path)] == [(2, "iso3"), (4, "rating")]


def test_a_missing_column_is_named(tmp_path):
    path = write(tmp_path, "TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,repressed,https://example.org\n",
                 header="edition,published,coverage,iso3,country,rating,source_url\n")
    [error] = errors_for(path)
    assert (error.line, error.field) == (1, "score")
    assert "missing from the header" in error.message


def test_a_failing_import_leaves_existing_ratings_untouched(tmp_path):
    before = list(PublishedRating.objects.order_by("pk").values_list("pk", "rating", "score"))
    # A re-import of a real edition with one change and one bad row: neither lands.
    path = write(
        tmp_path,
        "PPUA 2025,2025-12-09,complete,KGZ,Kyrgyzstan,obstructed,45,https://example.org\n",
        "PPUA 2025,2025-12-09,complete,ZZZ,Nowhere,closed,5,https://example.org\n",
    )
    errors_for(path)
    assert list(PublishedRating.objects.order_by("pk").values_list("pk", "rating", "score")) == before


def test_the_command_reports_errors_and_exits_non_zero(tmp_path):
    path = write(tmp_path, "TEST 2026,2026-12-01,partial,KGZ,Kyrgyzstan,repressed,99,https://example.org\n")
    with pytest.raises(CommandError) as caught:
        call_command("import_ratings", str(path))
    assert "ratings-test.csv, line 2, field 'score': 99 rounds to open, not repressed" in str(caught.value)
    assert "nothing was imported" in str(caught.value)


def test_a_missing_file_is_reported(tmp_path):
    [error] = errors_for(tmp_path / "nope.csv")
    assert error.message == "file not found"
