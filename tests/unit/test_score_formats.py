"""How the country page writes the guiding score's numbers and terms: a difference always with its sign, an
interval level as people write it, and the index terms grouped under one heading each."""
from django.utils import translation

from civicspace.methodology import config as methodology_config
from civicspace.publishing.templatetags.civicspace import level_percent, percent, score, signed
from civicspace.ratings.selectors.public import term_groups


def test_a_difference_always_shows_its_sign_with_a_real_minus():
    with translation.override("en"):
        assert signed(4.25) == "+4.25"
        assert signed(-4.25) == "\u22124.25"
        assert signed(0.0) == "0.00" and signed(-0.001) == "0.00"  # no sign on what rounds to zero
        assert signed(None) == "—"
    with translation.override("fr"):
        assert signed(-1.5) == "\u22121,50"  # the language's decimal separator


def test_shares_and_scores_are_rounded_not_cut_off():
    # Django's number_format cuts a float's extra decimals off: 0.9086 was shown as "90.8%" beside a
    # persistence of 0.9091 shown as "90.9%", and 12.349 as "12.34".
    with translation.override("en"):
        assert percent(0.9086) == "90.9%" and percent(0.9091) == "90.9%" and percent(0.90849) == "90.8%"
        assert score(12.349) == "12.35" and score(60.0) == "60.00" and percent(None) == "—"
    with translation.override("fr"):
        assert percent(0.9086) == "90,9%"


def test_an_interval_level_is_written_as_people_write_it():
    with translation.override("en"):
        assert level_percent(0.9) == "90%" and level_percent(0.975) == "97.5%" and level_percent(None) == "—"
    with translation.override("es"):
        assert level_percent(0.975) == "97,5%"


def test_index_terms_are_grouped_under_one_heading_each_in_their_order():
    methodology = methodology_config.load("2026.4")
    terms = [{"term": "previous", "weight": 0.8, "value": 60.0, "points": 48.0},
             {"term": "level_intercept", "weight": 0.2, "value": -12.0, "points": -2.4},
             {"term": "level", "index": "fh_e", "weight": 0.08, "value": 100.0, "points": 8.0},
             {"term": "level", "index": "rsf", "weight": 0.12, "value": 78.0, "points": 9.36},
             {"term": "change_intercept", "weight": 1, "value": 0.0, "points": 0.0},
             {"term": "delta", "index": "rsf", "weight": 0.05, "value": 2.0, "points": 0.1}]
    with translation.override("en"):
        groups = term_groups(terms, methodology)
    assert [heading for heading, _rows in groups] == [None, "Level implied by the indices", None,
                                                      "Change since the previous edition"]
    assert [[row["row_label"] for row in rows] for _heading, rows in groups] == [
        ["Previous published score"],
        ["constant", "Freedom House: Freedom in the World, subcategory E (Associational and Organizational Rights)",
         "Reporters Without Borders: World Press Freedom Index, score (method since 2022)"],
        ["Average change between editions"],
        ["Reporters Without Borders: World Press Freedom Index, score (method since 2022)"]]
    # Every term is kept, with its numbers, in its order.
    flat = [row for _heading, rows in groups for row in rows]
    assert [{k: v for k, v in row.items() if k != "row_label"} for row in flat] == terms
    # An index the version does not describe (a term from an older stored result) is named by its code.
    with translation.override("en"):
        (_heading, rows), = term_groups([{"term": "delta", "index": "xyz", "weight": 0.1, "value": 1.0,
                                          "points": 0.1}], methodology)
    assert rows[0]["row_label"] == "xyz"
