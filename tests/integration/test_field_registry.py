"""The field registry (civicspace/core/classification.py): every field of every model of ours has a class, and
every class names a field that exists. A new model field that nobody classified fails here."""
from django.db import models

from civicspace.core import classification
from civicspace.core.classification import CLASSES, NOT_PUBLIC, classify, our_models, registry


def test_every_field_of_every_model_is_classified():
    missing = classification.unclassified()
    assert not missing, ("unclassified fields (add them to the app's classification.py as PUBLIC, PUBLISHED, "
                         f"CONFIDENTIAL or PERSONAL): {missing}")


def test_every_classified_field_exists():
    models_by_key = {(m._meta.app_label, m.__name__): m for m in our_models(include_history=False)}
    stale = []
    for key, fields in registry().items():
        model = models_by_key.get(key)
        if model is None:
            stale.append(f"{key[0]}.{key[1]}")
            continue
        present = set(classification.model_fields(model))
        stale += [f"{key[0]}.{key[1]}.{name}" for name in fields if name not in present]
    assert not stale, f"classified but no such model or field: {stale}"


def test_translated_and_historical_fields_take_their_base_fields_class():
    from civicspace.monitoring.models import Incident, Source, Update

    assert classify(Update, "title_ru") == classify(Update, "title") == classification.PUBLISHED
    assert classify(Source.history.model, "note") == classification.CONFIDENTIAL
    assert classify(Update.history.model, "history_user") == classification.PERSONAL
    assert classify(Incident, "place") == classification.PUBLISHED


def test_a_new_unclassified_field_would_fail(monkeypatch):
    """The detector: a field added to a model without a class is reported by name."""
    from civicspace.monitoring.models import TrendCall

    field = models.CharField(max_length=10, blank=True)
    field.set_attributes_from_name("canary_new_field")
    monkeypatch.setattr(TrendCall._meta, "get_fields", lambda **kw: [*type(TrendCall._meta).get_fields(
        TrendCall._meta, **kw), field])
    assert "monitoring.TrendCall.canary_new_field" in classification.unclassified()


def test_personal_data_fields_are_never_public():
    """Every link to a user account is personal."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    for model in our_models(include_history=False):
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is user_model:
                assert classify(model, field.name) == classification.PERSONAL, f"{model.__name__}.{field.name}"
    assert set(CLASSES) == {classification.PUBLIC, classification.PUBLISHED, *NOT_PUBLIC}


# --- public outputs are checked against the registry -----------------------------------------------------------

def _public_class_problems(model, names):
    """Names of `model`'s fields (translated columns included) that an output shows but the registry says are
    confidential or personal."""
    problems = []
    present = set(classification.model_fields(model))
    for name in names:
        base = classification._base_field_name(model, name)
        if base in present and classify(model, base) in NOT_PUBLIC:
            problems.append(f"{model.__name__}.{name}: {classify(model, base)}")
    return problems


def test_the_export_codebook_publishes_no_confidential_or_personal_field():
    from civicspace.exports.codebook import TABLES
    from civicspace.legislation.models import Bill, StageEvent
    from civicspace.monitoring.models import Incident, Source, Term, Update, Victim
    from civicspace.ratings.models import GuidingScore, PublishedRating, RatingEdition
    from civicspace.countries.models import Country, Region
    from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry

    models_of = {"countries": Country, "regions": Region, "rating_editions": RatingEdition,
                 "ratings": PublishedRating, "guiding_scores": GuidingScore, "updates": Update,
                 "incidents": Incident, "victims": Victim, "sources": Source, "bills": Bill,
                 "stage_events": StageEvent, "watchlist_editions": WatchlistEdition,
                 "watchlist_entries": WatchlistEntry, "taxonomy": Term}
    checked, problems = 0, []
    for table in TABLES:
        model = models_of.get(table.name)
        if model is None:
            continue
        names = [f.name for f in table.fields]
        checked += len(names)
        problems += _public_class_problems(model, names)
    assert checked > 100
    assert not problems, problems


def test_the_api_schemas_carry_no_confidential_or_personal_field():
    from civicspace.api import schemas
    from civicspace.legislation.models import Bill, StageEvent
    from civicspace.monitoring.models import Incident, Source, Update, Victim
    from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry

    pairs = [(schemas.UpdateSummary, Update), (schemas.UpdateDetail, Update), (schemas.Incident, Incident),
             (schemas.PublicSource, Source), (schemas.Victim, Victim), (schemas.LawDetail, Bill),
             (schemas.StageEvent, StageEvent), (schemas.WatchlistEdition, WatchlistEdition),
             (schemas.WatchlistCountry, WatchlistEntry)]
    problems = []
    for schema, model in pairs:
        problems += _public_class_problems(model, list(schema.model_fields))
    assert not problems, problems
    # The detector: a confidential field in a schema would be reported.
    assert _public_class_problems(Source, ["note"]) == ["Source.note: confidential"]
