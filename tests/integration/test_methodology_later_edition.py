"""A rating edition that comes after the release (as the next December edition will, or a held-out one): it is
imported like any other, `civicspace calibrate` fits on every earlier scored edition and then holds out whole
editions in its cross-validation (not country folds), the stored version is scored on it out of sample, and the
Watchlist signals' backtest ranks it with the active model (which was not fitted on it).

The later edition here is synthetic (test data only, never shipped): December 2025's published scores, each
moved by a fixed pattern of -3 to +3 points, with the band the moved score rounds to."""
import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command

from civicspace.methodology.bands import rating_for_score
from civicspace.ratings.models import PublishedRating, RatingEdition
from civicspace.watchlist.selectors import signals_backtest

pytestmark = pytest.mark.django_db

LATER = "PPUA 2026"
SHIFTS = (-3.0, -1.5, 0.0, 1.5, 3.0, -2.0, 2.0)


@pytest.fixture
def later_edition(tmp_path):
    rows = (PublishedRating.objects.filter(edition__code="PPUA 2025", score__isnull=False)
            .select_related("country").order_by("country__code"))
    path = tmp_path / "later.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["edition", "published", "coverage", "iso3", "country", "rating", "score", "source_url"])
        for n, rating in enumerate(rows):
            country = rating.country
            score = min(100.0, max(0.0, round(float(rating.score) + SHIFTS[n % len(SHIFTS)], 2)))
            writer.writerow([LATER, "2026-12-03", "complete", country.iso3, country.monitor_name, rating_for_score(score),
                             f"{score:.2f}", "https://example.org/synthetic-test-edition"])
    call_command("import_ratings", str(path), stdout=StringIO())
    return rows.count()


@pytest.mark.once
def test_a_later_edition_is_calibrated_on_by_edition_folds_and_ranked_out_of_sample(later_edition):
    assert RatingEdition.objects.get(code=LATER).ratings.count() == later_edition
    out = StringIO()
    call_command("calibrate", "--fit", "PPUA 2023,PPUA 2024,PPUA 2025", "--evaluate", LATER, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["n"] == later_edition
    # Two transitions from published scores in the fit set: whole editions are held out in turn.
    assert report["chosen"]["cv_grouping"] == "editions" and report["folds"]["grouping"] == "editions"
    assert [fold["held_out"] for fold in report["folds"]["folds"]] == ["PPUA 2024", "PPUA 2025"]
    assert report["n_fit_transitions"] == 197 + 198
    # The stored version was fitted on December 2023-2024: the later edition is out of its sample.
    stored = report["models"]["stored_version"]
    assert stored["out_of_sample"] is True and stored["fitted_on"] == ["PPUA 2023", "PPUA 2024"]
    for key in ("mae", "band_agreement", "false_changes", "coverage_90"):
        assert key in report and key in report["persistence"]

    rows, _admitted = signals_backtest()
    later = next(row for row in rows if row["edition"] == LATER)
    assert later["signals"]["compared"] == later_edition
    # Ranked with the active model, which never saw the later edition; December 2024 (which the active version
    # was fitted on) is ranked with a model calibrated without it, on the editions before and after.
    assert later["index_model_fitted_on"] == ["PPUA 2023", "PPUA 2024"]
    december_2024 = next(row for row in rows if row["edition"] == "PPUA 2024")
    assert "PPUA 2024" not in december_2024["index_model_fitted_on"]
