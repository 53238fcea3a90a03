"""The set-based recomputation (issue #17) gives exactly what the per-incident one gave: the guiding scores'
inputs and results and the Watchlist candidates, for every country, on the real session data plus a few
thousand synthetic incidents (several types per incident, positive ones, none, victims, drafts and retracted
updates, surges), as of several dates. The reference is tests/integration/legacy_recompute.py (the code as it
was); both run on the same rows in the same test."""
import dataclasses
import datetime as dt
import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicspace.countries.models import Country
from civicspace.methodology import config as methodology_config
from civicspace.methodology import engine
from civicspace.monitoring.models import Incident, Organisation, Status, Term, TrendCall, Update, Victim
from civicspace.monitoring.signals import incident_type_ids_refresh
from civicspace.ratings.models import GuidingScore
from civicspace.ratings.services import scoring
from civicspace.watchlist import selectors
from civicspace.watchlist.config import DEFAULT

from . import legacy_recompute as legacy

pytestmark = pytest.mark.django_db

CODES = ["KGZ", "KAZ", "UZB", "TJK", "RUS", "BLR", "GEO", "ARM", "AZE", "UKR", "MDA", "TKM"]
# The real Watchlist of March 2024, mid-2025, the day before and after PPUA 2025 (9 December 2025), a year on.
DATES = [dt.date(2024, 3, 5), dt.date(2025, 6, 1), dt.date(2025, 12, 8), dt.date(2025, 12, 20),
         dt.date(2026, 12, 1)]


@pytest.fixture
def synthetic(db):
    """About 4,000 synthetic incidents over 12 countries from mid-2022 to 2026, with bursts before some of
    the DATES so that surges, severe events and live pressure all occur."""
    rng = random.Random(20261206)
    org = Organisation.objects.create(slug="test-recompute", name="Recompute equivalence (synthetic)")
    countries = list(Country.objects.filter(code__in=CODES))
    violation = list(Term.objects.filter(vocabulary="violation"))
    positive = list(Term.objects.filter(vocabulary="positive"))
    victim_types = list(Term.objects.filter(vocabulary="victim"))
    statuses = [Status.PUBLISHED] * 8 + [Status.DRAFT, Status.RETRACTED]
    updates = Update.objects.bulk_create([
        Update(country=country, date=dt.date(2026, 1, 1), original_language="en", title_en="[SYNTHETIC]",
               organisation=org, status=rng.choice(statuses))
        for country in countries for _ in range(12)])
    start, days = dt.date(2022, 6, 1), (dt.date(2026, 12, 1) - dt.date(2022, 6, 1)).days
    incidents, kinds = [], []
    for update in updates:
        for _ in range(rng.randint(5, 40)):
            if rng.random() < 0.15:  # a burst just before one of the dates
                when = rng.choice(DATES) - dt.timedelta(days=rng.randint(0, 80))
            else:
                when = start + dt.timedelta(days=rng.randint(0, days))
            description = rng.choice(["", f"synthetic incident {len(incidents)}"])
            incidents.append(Incident(update=update, date=when, date_precision="day", description_en=description,
                                      description_ru="" if description else f"синтетический {len(incidents)}"))
            kinds.append(rng.choice(["one", "one", "several", "positive", "mixed", "none"]))
    incidents = Incident.objects.bulk_create(incidents)
    through, victims = [], []
    for incident, kind in zip(incidents, kinds):
        terms = {"one": lambda: rng.sample(violation, 1), "several": lambda: rng.sample(violation, 3),
                 "positive": lambda: rng.sample(positive, rng.randint(1, 2)),
                 "mixed": lambda: rng.sample(violation, 1) + rng.sample(positive, 1), "none": lambda: []}[kind]()
        through += [Incident.types.through(incident_id=incident.pk, term_id=t.pk) for t in terms]
        for _ in range(rng.choice([0, 0, 1, 2])):
            victims.append(Victim(incident=incident, type=rng.choice(victim_types),
                                  count=rng.choice([None, 1, 2, 4, 6, 15])))
    Incident.types.through.objects.bulk_create(through)
    incident_type_ids_refresh(i.pk for i in incidents)  # a bulk write of the relation keeps its copy itself
    Victim.objects.bulk_create(victims)
    TrendCall.objects.bulk_create([
        TrendCall(country=rng.choice(countries), organisation=org, call=rng.choice(["worse", "same", "better"]),
                  period_end=start + dt.timedelta(days=rng.randint(0, days))) for _ in range(150)])
    return incidents


def _score_inputs_json(inputs):
    return {country.code: item.to_json() for country, item in inputs.items()}


# The older level model (2026.2) draws its intervals by simulation, about 30 ms a country: on two of the dates
# (before and after PPUA 2025), which still exercise live evidence, pressure and positive incidents, and its
# engine results for the synthetic countries and every tenth other one (its inputs for every country).
@pytest.mark.parametrize("version, dates", [(methodology_config.ACTIVE_VERSION, DATES), ("2026.2", DATES[2:4])],
                         ids=[methodology_config.ACTIVE_VERSION, "2026.2"])
def test_score_inputs_and_results_are_those_of_the_per_incident_path(synthetic, version, dates):
    methodology = methodology_config.load(version)
    every = version == methodology_config.ACTIVE_VERSION
    live_seen = pressure_seen = positive_seen = False
    for as_of in dates:
        new = scoring.score_inputs(as_of=as_of, methodology=methodology)
        old = legacy.score_inputs(as_of=as_of, methodology=methodology)
        assert _score_inputs_json(new) == _score_inputs_json(old), as_of
        lives = [item.live for item in new.values() if item.live is not None]
        live_seen |= bool(lives)
        pressure_seen |= any(live.weighted_incidents > live.expected_incidents > 0 for live in lives)
        positive_seen |= any(live.positive_incidents for live in lives)
        # The all-countries entry point gives each country exactly what compute gives it alone.
        chosen = {country: item for n, (country, item) in enumerate(sorted(new.items(), key=lambda p: p[0].code))
                  if every or country.code in CODES or n % 10 == 0}
        results = engine.compute_all(chosen, methodology)
        for country in chosen:
            item = old[country]
            try:
                expected = engine.compute(item, methodology).to_json()
            except engine.NoEvidence:
                expected = None
            assert (results[country].to_json() if results[country] else None) == expected, (as_of, country.code)
    assert live_seen and pressure_seen and positive_seen  # the data exercised the live evidence


def test_stored_scores_are_those_of_the_per_incident_path(synthetic):
    as_of = dt.date(2025, 12, 20)
    rows, without = scoring.scores_compute_all(as_of=as_of)
    methodology = methodology_config.load()
    old = legacy.score_inputs(as_of=as_of, methodology=methodology)
    stored = {row.country.code: row for row in GuidingScore.objects.filter(as_of=as_of).select_related("country")}
    assert len(stored) == len(rows) and len(rows) + len(without) == Country.objects.count()
    for country, item in old.items():
        if country.code in without:
            with pytest.raises(engine.NoEvidence):
                engine.compute(item, methodology)
            continue
        row = stored[country.code]
        assert row.inputs == _json(item.to_json())
        assert row.result == _json(engine.compute(item, methodology).to_json())


def _json(data):
    """As the JSON field gives it back (tuples become lists)."""
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("config", [DEFAULT, dataclasses.replace(DEFAULT, surge_window_days=60, baseline_days=200,
                                                                 legislative_window_days=400)],
                         ids=["default", "other-windows"])
def test_watchlist_candidates_are_those_of_the_per_incident_path(synthetic, config):
    surged = severe = False
    for as_of in DATES:
        new = selectors.candidates(as_of=as_of, config=config)
        old = legacy.candidates(as_of=as_of, config=config)
        assert [(country.code, candidate) for country, candidate in new] == \
            [(country.code, candidate) for country, candidate in old], as_of
        signals = {s.name: s for _, c in new for s in c.signals if s.value > 0}
        surged |= "violation_surge" in signals
        severe |= "severe_events" in signals
    assert surged and severe  # the data exercised the surge test and its baseline


def test_the_candidates_take_a_fixed_number_of_queries_whatever_the_number_of_incidents(synthetic):
    selectors.candidates(as_of=dt.date(2025, 6, 1))  # the index changes of this date and data, read once
    with CaptureQueriesContext(connection) as before:
        selectors.candidates(as_of=dt.date(2025, 6, 1))
    Incident.objects.filter(pk__in=[i.pk for i in synthetic[::2]]).delete()
    with CaptureQueriesContext(connection) as after:
        selectors.candidates(as_of=dt.date(2025, 6, 1))
    assert len(before) == len(after) <= 10  # 9, and the stamp of the index values behind the index changes


def test_incident_tallies_count_each_published_incident_once_by_its_set_of_types(synthetic):
    after, split, until = dt.date(2024, 12, 1), dt.date(2025, 3, 1), dt.date(2025, 6, 1)
    tallies = selectors.incident_tallies(after=after, until=until, split=split)
    expected = {}
    for incident in (Incident.objects.published().filter(date__gt=after, date__lte=until)
                     .select_related("update").prefetch_related("types")):
        key = (incident.update.country_id, incident.date > split, tuple(sorted(t.code for t in incident.types.all())))
        expected[key] = expected.get(key, 0) + 1
    assert tallies == expected
    assert any(len(types) > 1 for _, _, types in tallies) and any(not types for _, _, types in tallies)
    kgz = Country.objects.get(code="KGZ").pk
    only = selectors.incident_tallies(after=after, until=until, split=split, country_ids=[kgz])
    assert only == {key: n for key, n in expected.items() if key[0] == kgz}


def test_the_score_inputs_take_a_fixed_number_of_queries_whatever_the_number_of_incidents(synthetic):
    methodology = methodology_config.load(methodology_config.ACTIVE_VERSION)
    with CaptureQueriesContext(connection) as before:
        scoring.score_inputs(as_of=dt.date(2025, 6, 1), methodology=methodology)
    Incident.objects.filter(pk__in=[i.pk for i in synthetic[::2]]).delete()
    with CaptureQueriesContext(connection) as after:
        scoring.score_inputs(as_of=dt.date(2025, 6, 1), methodology=methodology)
    assert len(before) == len(after) == 8, [q["sql"][:80] for q in after.captured_queries]
