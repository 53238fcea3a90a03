"""Which subscribers an event concerns. Matching runs on the many-to-many tables with sets of ids (a few queries
per event, whatever the number of subscribers), then keeps confirmed subscribers only.

Rules:
- an update: subscribers whose places (countries, regions) include its country AND whose themes (freedoms,
  violation types) include one of its own; an empty side does not restrict, but at least one side must be chosen;
- a law's stage: subscribers of that law or of every law of its country;
- a rating edition: subscribers of rating changes whose places include a changed country (no places: any change);
- a Watchlist edition, findings: their subscribers; a case: subscribers of its country or region.
"""
from .models import Delivery, Event, Subscriber, WebhookDelivery, WebhookEndpoint, WebhookRequest

M2M = {name: getattr(Subscriber, name).through for name in ("countries", "regions", "terms", "bills",
                                                              "law_countries")}
COLUMN = {"countries": "country_id", "regions": "region_id", "terms": "term_id", "bills": "bill_id",
          "law_countries": "country_id"}


def _ids(name, values=None):
    queryset = M2M[name].objects.all()
    if values is not None:
        queryset = queryset.filter(**{f"{COLUMN[name]}__in": list(values)})
    return set(queryset.values_list("subscriber_id", flat=True))


def _places(match):
    return _ids("countries", match.get("countries", [])) | _ids("regions", match.get("regions", []))


def _has_places():
    return _ids("countries") | _ids("regions")


def matching_ids(event_kind, match):
    """Ids of every subscriber (confirmed or not, any frequency) whose choices match the event."""
    if event_kind == "update.published":
        places, themes = _places(match), _ids("terms", match.get("terms", []))
        has_places, has_themes = _has_places(), _ids("terms")
        return (places - (has_themes - themes)) | (themes - has_places)
    if event_kind == "law.stage_verified":
        return _ids("bills", match.get("bills", [])) | _ids("law_countries", match.get("countries", []))
    if event_kind == "rating.edition_published":
        if not match.get("countries"):
            return set()
        flagged = set(Subscriber.objects.filter(rating_changes=True).values_list("pk", flat=True))
        return flagged - (_has_places() - _places(match))
    if event_kind == "watchlist.edition_published":
        return set(Subscriber.objects.filter(watchlist=True).values_list("pk", flat=True))
    if event_kind == "findings.published":
        return set(Subscriber.objects.filter(findings=True).values_list("pk", flat=True))
    if event_kind in ("case.published", "case.event_verified"):
        return _places(match)
    return set()


def confirmed(ids, *, frequency=None):
    """The confirmed ones among `ids` (intersected in Python: a list of 100,000 ids is no SQL parameter list)."""
    queryset = Subscriber.objects.filter(confirmed_at__isnull=False)
    if frequency:
        queryset = queryset.filter(frequency=frequency)
    return set(queryset.values_list("pk", flat=True)) & set(ids)


def instant_recipients(event):
    """Confirmed instant subscribers for an event; for a retraction, those who were sent the instant alert of
    the publication it retracts (and are still subscribed)."""
    if event.kind == "update.retracted":
        published = (Event.objects.filter(kind="update.published", object_id=event.object_id, pk__lt=event.pk)
                     .order_by("-pk").first())
        if published is None:
            return set()
        alerted = Delivery.objects.filter(event=published, kind=Delivery.Kind.INSTANT)
        return confirmed(alerted.values_list("subscriber_id", flat=True))
    return confirmed(matching_ids(event.kind, event.match), frequency=Subscriber.Frequency.INSTANT)


def subscriber_by_token(token):
    return Subscriber.objects.filter(token=token).first() if token else None


def webhook_request_by_token(token):
    return WebhookRequest.objects.filter(token=token).first() if token else None


def webhook_endpoint_by_token(token):
    """A self-service endpoint by its manage token (endpoints an administrator made have none)."""
    return WebhookEndpoint.objects.filter(manage_token=token).first() if token else None


def webhook_log(endpoint, limit=50):
    """The endpoint's latest deliveries, newest first, each with its attempts (two queries)."""
    return list(WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event")
                .prefetch_related("log").order_by("-pk")[:limit])
