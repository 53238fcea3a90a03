"""Public events: what a domain announces when something becomes public (or stops being public), sent INSIDE
the transaction that made the change, so that a listener writing to its own table (the alerts outbox) commits or
rolls back with it. Domains send; they never import a listener (low coupling: civicspace/alerts connects to the
signal in its AppConfig.ready()).

Kinds (the `kind` argument) and the instance they carry:
    update.published, update.retracted   monitoring.Update
    law.stage_verified                    legislation.StageEvent
    rating.edition_published              ratings.RatingEdition
    watchlist.edition_published           watchlist.WatchlistEdition
    findings.published                    ratings.RatingEdition (a complete edition: its global findings)
    case.published, case.event_verified   cases.Case
Listeners must read the instance again through the domain's published() door and keep only public fields.
"""
from django.dispatch import Signal

public_event_signal = Signal()

KINDS = ("update.published", "update.retracted", "law.stage_verified", "rating.edition_published",
         "watchlist.edition_published", "findings.published", "case.published", "case.event_verified")


def public_event(*, kind, instance):
    """Announce a public change from inside the service's transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown public event kind {kind!r}")
    public_event_signal.send(sender=type(instance), kind=kind, instance=instance)
