"""Observations for calibrating the methodology on the real record: for each country in a scored edition,
the inputs that were public when the edition came out (rebased external indices, the engine's external
stream) and the previous published score, next to the score the edition published."""
from civicspace.methodology import config as methodology_config
from civicspace.methodology import engine
from civicspace.methodology.bands import band_midpoint
from civicspace.methodology import transition
from civicspace.methodology.calibration import Observation

from .models import PublishedRating, RatingEdition
from .services.scoring import score_inputs

PREVIOUS = "previous"
ENGINE = "engine"


def observations(edition_codes, *, methodology=None):
    """[Observation] for the editions named (by code, e.g. "PPUA 2023"); CommandError-friendly ValueError
    names an unknown edition."""
    methodology = methodology or methodology_config.load()
    editions = {e.code: e for e in RatingEdition.objects.filter(code__in=edition_codes)}
    unknown = [c for c in edition_codes if c not in editions]
    if unknown:
        raise ValueError(f"unknown edition(s): {', '.join(unknown)}")
    history = {}
    for row in PublishedRating.objects.select_related("edition").order_by("edition__published"):
        history.setdefault(row.country_id, []).append(row)
    result = []
    for code in edition_codes:
        edition = editions[code]
        inputs = score_inputs(as_of=edition.published, methodology=methodology, live=False)
        by_country = {c.pk: item for c, item in inputs.items()}
        for country_id, rows in history.items():
            current = next((r for r in rows if r.edition_id == edition.pk), None)
            if current is None or current.score is None:
                continue
            before = [r for r in rows if r.edition.published < edition.published]
            previous = before[-1] if before else None
            features = {}
            if previous is not None:
                # Scores are published from December 2023 on; before that only the band is known, so its
                # midpoint stands in (the JSON output says how many rows that concerns).
                features[PREVIOUS] = (float(previous.score) if previous.score is not None
                                      else band_midpoint(previous.rating))
            item = by_country.get(country_id)
            if item is not None:
                external, rebased = engine.external_indicator_scores(item.indices, methodology)
                for r in rebased:
                    features[r["index"]] = r["rebased"]
                if external:
                    features["external"] = sum(external.values()) / len(external)
                try:  # the active methodology as declared, without live evidence (none in the record)
                    features[ENGINE] = engine.compute(item, methodology, simulate_uncertainty=False).guiding
                except engine.NoEvidence:
                    pass
            result.append(Observation(
                country=item.country if item else str(country_id), edition=code, target=float(current.score),
                target_band=current.rating, previous_band=previous.rating if previous else None,
                features=features, previous_estimated=previous is not None and previous.score is None))
    return result




def transition_rows(edition_codes, *, methodology):
    """[transition.Row] for the editions named: each country's published score and band in the edition, the
    previous edition's published score (None when only a band was published: no midpoint stands in) and
    band, and the index deltas and levels as the transition version reads them as of the edition's date."""
    editions = {e.code: e for e in RatingEdition.objects.filter(code__in=edition_codes)}
    unknown = [c for c in edition_codes if c not in editions]
    if unknown:
        raise ValueError(f"unknown edition(s): {', '.join(unknown)}")
    result = []
    for code in edition_codes:
        edition = editions[code]
        inputs = {c.pk: item for c, item in
                  score_inputs(as_of=edition.published, methodology=methodology, live=False).items()}
        for rating in PublishedRating.objects.filter(edition=edition, score__isnull=False).select_related("country"):
            item = inputs.get(rating.country_id)
            if item is None:
                continue
            deltas, levels, _ = engine.transition_features(item, methodology)
            result.append(transition.Row(country=rating.country.code, edition=code, target=float(rating.score),
                              target_band=rating.rating, previous=item.previous_score,
                              previous_band=item.previous_band, deltas=deltas, levels=levels))
    return result


def calibrated_model(fit_codes, *, methodology):
    """The transition model the version's specification gives when calibrated on `fit_codes` alone (every
    hyper-parameter by its cross-validation, as `civicspace calibrate` does): for backtests that must not use
    coefficients fitted on the edition they test."""
    model, _chosen, _trace = transition.calibrate(transition_rows(list(fit_codes), methodology=methodology),
                                                  grid=methodology.model["grid"],
                                                  **transition.spec_options(methodology.model))
    return model
