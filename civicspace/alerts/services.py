"""Alerts' changes: the outbox event written inside the publishing transaction, subscriptions (double opt-in,
manage, one-click unsubscribe, export and deletion of a subscriber's data), the fan-out of an event to e-mail
subscribers and webhooks, digests, and webhook delivery with retries, auto-disable and replay.

Nothing is sent twice: an instant alert has its Delivery row (subscriber + event + kind, unique) and its
OutgoingEmail key (the same three), written in one transaction; a digest's e-mail key is subscriber + period; a
webhook delivery is unique per endpoint + event and carries the event's id for the receiver to de-duplicate."""
import datetime as dt
import json
import time
import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicspace.audit.services import audit_event_record
from civicspace.core.throttle import throttle_hit
from civicspace.jobs.models import OutgoingEmail
from civicspace.jobs.services import email_queue, email_queue_many, job_enqueue

from . import messages, payloads, selectors, webhooks
from .models import (Delivery, Event, Subscriber, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookRequest,
                     new_token, new_webhook_secret)

TOPIC_FIELDS = ("countries", "regions", "terms", "bills", "law_countries")
FLAG_FIELDS = ("rating_changes", "watchlist", "findings")


class Throttled(Exception):
    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__(self.message())

    @staticmethod
    def message():
        return _("Too many subscription requests from your network. Please try again later.")


class WebhookThrottled(Throttled):
    @staticmethod
    def message():
        return _("Too many webhook requests from your network. Please try again later.")


# --- the outbox ---------------------------------------------------------------------------------------------

def event_from_signal(sender, *, kind, instance, **_kwargs):
    event_record(kind=kind, instance=instance)


def event_record(*, kind, instance):
    """Write the outbox row in the caller's transaction (it commits or rolls back with the change) and queue
    its fan-out for after the commit. Only public fields are stored (payloads.py reads through published())."""
    try:
        object_id, payload, match = payloads.build(kind, instance)
    except (ObjectDoesNotExist, Http404):  # not public (e.g. an event verified on a case not yet published)
        return None
    related = None
    if kind == "update.retracted":
        related = Event.objects.filter(kind="update.published", object_id=object_id).order_by("-pk").first()
    event = Event.objects.create(kind=kind, object_id=object_id, payload=payload, match=match, related=related)
    from .tasks import alerts_fanout

    job_enqueue(alerts_fanout, event_id=event.pk)
    return event


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def event_fan_out(*, event_id, batch_size=500, max_batches=None):
    """Send an event to its instant subscribers and webhooks. Each batch is one transaction; a run stopped in
    the middle (`max_batches`, or a worker killed) is simply run again: those already sent are skipped.
    Returns the number of e-mails queued by this run."""
    event = Event.objects.get(pk=event_id)
    kind = Delivery.Kind.RETRACTION if event.kind == "update.retracted" else Delivery.Kind.INSTANT
    done = set(Delivery.objects.filter(event=event, kind=kind).values_list("subscriber_id", flat=True))
    todo = sorted(selectors.instant_recipients(event) - done)
    rendered, queued = {}, 0
    for number, batch in enumerate(_chunks(todo, batch_size)):
        if max_batches is not None and number >= max_batches:
            return queued
        with transaction.atomic():
            # The Delivery rows are the idempotency record: unique per subscriber, event and kind, so a second
            # fan-out running at the same moment fails on its batch (rolled back, nothing queued) instead of
            # sending twice.
            sent = set(Delivery.objects.filter(event=event, kind=kind, subscriber_id__in=batch)
                       .values_list("subscriber_id", flat=True))
            subscribers = [s for s in Subscriber.objects.filter(pk__in=batch, confirmed_at__isnull=False)
                           if s.pk not in sent]
            emails = []
            for subscriber in subscribers:
                if subscriber.language not in rendered:
                    rendered[subscriber.language] = messages.event_message(event, subscriber.language)
                subject, text, html = messages.personalise(rendered[subscriber.language], subscriber.token)
                emails.append({"key": f"alerts:{kind}:{event.pk}:{subscriber.pk}", "to": subscriber.email,
                               "subject": subject, "body": text, "html": html,
                               "headers": messages.headers(subscriber.language, subscriber.token)})
            Delivery.objects.bulk_create([Delivery(subscriber=s, event=event, kind=kind, email_key=e["key"])
                                          for s, e in zip(subscribers, emails)])
            queued += len(email_queue_many(emails))
    with transaction.atomic():
        for endpoint in WebhookEndpoint.objects.filter(active=True):
            if endpoint.wants(event.kind):
                delivery, created = WebhookDelivery.objects.get_or_create(endpoint=endpoint, event=event)
                if created:
                    _schedule(delivery)
        Event.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
    return queued


# --- digests ------------------------------------------------------------------------------------------------

def digest_window(period, day=None):
    """(start, end, label) of the period that ended before `day` (default today, UTC): the day before, or the
    ISO week (Monday to Sunday) before."""
    day = day or timezone.now().date()
    if period == "daily":
        start = day - dt.timedelta(days=1)
        end, label = day, start.isoformat()
    elif period == "weekly":
        end = day - dt.timedelta(days=day.weekday())
        start = end - dt.timedelta(days=7)
        year, week, _weekday = start.isocalendar()
        label = f"{year}-W{week:02d}"
    else:
        raise ValueError(f"unknown period {period!r}")
    tz = dt.timezone.utc
    return (dt.datetime.combine(start, dt.time(), tz), dt.datetime.combine(end, dt.time(), tz), label)


def _still_public(events):
    """Leave out updates retracted since (read through the public door), and retraction events themselves."""
    from civicspace.monitoring.models import Update

    update_ids = [e.object_id for e in events if e.kind == "update.published"]
    public = set(Update.objects.published().filter(pk__in=update_ids).values_list("pk", flat=True))
    return [e for e in events if e.kind != "update.retracted"
            and (e.kind != "update.published" or e.object_id in public)]


def digest_send(*, period, day=None):
    """One digest e-mail per confirmed daily (weekly) subscriber with the matching events of the period, grouped
    by kind. Run again for the same period, it sends nothing more (key: subscriber + period)."""
    start, end, label = digest_window(period, day)
    events = _still_public(list(Event.objects.filter(created_at__gte=start, created_at__lt=end).order_by("pk")))
    wanted = selectors.confirmed({s for e in events for s in selectors.matching_ids(e.kind, e.match)},
                                 frequency=period)
    by_subscriber = {}
    for event in events:
        for subscriber_id in selectors.matching_ids(event.kind, event.match) & wanted:
            by_subscriber.setdefault(subscriber_id, []).append(event)
    emails = []
    for subscriber in Subscriber.objects.filter(frequency=period, confirmed_at__isnull=False).iterator():
        if subscriber.pk not in by_subscriber:
            continue
        parts = messages.digest_message(by_subscriber[subscriber.pk], subscriber.language, period)
        subject, text, html = messages.personalise(parts, subscriber.token)
        emails.append({"key": f"alerts:digest:{period}:{label}:{subscriber.pk}", "to": subscriber.email,
                       "subject": subject, "body": text, "html": html,
                       "headers": messages.headers(subscriber.language, subscriber.token)})
    for batch in _chunks(emails, 500):
        with transaction.atomic():
            email_queue_many(batch)
    return {"period": label, "subscribers": len(by_subscriber), "events": len(events)}


# --- subscriptions --------------------------------------------------------------------------------------------

def _set_topics(subscriber, *, language, frequency, topics):
    subscriber.language, subscriber.frequency = language, frequency
    for flag in FLAG_FIELDS:
        setattr(subscriber, flag, bool(topics.get(flag)))
    subscriber.save()
    for name in TOPIC_FIELDS:
        getattr(subscriber, name).set(topics.get(name) or [])


def _validate_topics(topics):
    if not any(topics.get(name) for name in TOPIC_FIELDS + FLAG_FIELDS):
        raise ValidationError({"countries": _("Choose at least one thing to be alerted about.")})


def _limit(name, default):
    return int(getattr(settings, name, default))


@transaction.atomic
def subscriber_subscribe(*, email, ip, language, frequency, topics):
    """The public subscribe form. Always the same outcome for the caller whether the address is known or not:
    a new or unconfirmed address gets a confirmation link (its choices saved), a confirmed one gets its manage
    link (its choices unchanged: only the owner of the inbox may change them). Per-IP limit: Throttled. Per-
    address limit: silently nothing sent (the answer stays the same)."""
    _validate_topics(topics)
    wait = throttle_hit("alerts-subscribe-ip", ip, limit=_limit("ALERTS_SUBSCRIBE_PER_IP_PER_HOUR", 20),
                        window_seconds=3600)
    if wait:
        raise Throttled(wait)
    email = email.strip().lower()
    if throttle_hit("alerts-subscribe-address", email, limit=_limit("ALERTS_SUBSCRIBE_PER_ADDRESS_PER_DAY", 3),
                    window_seconds=86400):
        return
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is not None and subscriber.confirmed_at:
        subject, body = messages.already_message(subscriber.language, subscriber.token)
    else:
        if subscriber is None:
            subscriber = Subscriber(email=email)
        _set_topics(subscriber, language=language, frequency=frequency, topics=topics)
        subject, body = messages.confirmation_message(language, subscriber.token)
    audit_event_record(action="alerts.subscriber_subscribe", target=subscriber, data={})
    email_queue(key=f"alerts:subscribe:{subscriber.pk}:{uuid.uuid4().hex}", to=email, subject=subject, body=body,
                headers={"Content-Language": subscriber.language}, audit=False)


def _by_token(token):
    subscriber = Subscriber.objects.select_for_update().filter(token=token).first()
    if subscriber is None:
        raise ValidationError({"token": _("This link is no longer valid: the subscription does not exist.")})
    return subscriber


@transaction.atomic
def subscriber_confirm(*, token):
    subscriber = _by_token(token)
    if not subscriber.confirmed_at:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
        audit_event_record(action="alerts.subscriber_confirm", target=subscriber, data={})
    return subscriber


@transaction.atomic
def subscriber_edit(*, token, language, frequency, topics):
    subscriber = _by_token(token)
    _validate_topics(topics)
    _set_topics(subscriber, language=language, frequency=frequency, topics=topics)
    if not subscriber.confirmed_at:  # the manage link came by e-mail: it proves the address too
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    audit_event_record(action="alerts.subscriber_edit", target=subscriber, data={"frequency": frequency})
    return subscriber


def _erase(subscriber):
    """Delete a subscriber and every alert e-mail kept for the address (queued ones are then not sent)."""
    OutgoingEmail.objects.filter(to=subscriber.email, key__startswith="alerts:").delete()
    subscriber_id = subscriber.pk
    subscriber.delete()
    return subscriber_id


@transaction.atomic
def subscriber_unsubscribe(*, token):
    """One click: the subscription and the address are deleted. An unknown token (already unsubscribed) changes
    nothing and is not an error."""
    subscriber = Subscriber.objects.select_for_update().filter(token=token).first()
    if subscriber is None:
        return False
    audit_event_record(action="alerts.subscriber_unsubscribe", data={"subscriber": _erase(subscriber)})
    return True


def subscriber_export(*, email):
    """Everything held about an address (a data subject's request): its subscription, the webhook endpoints it
    owns or asked for, and the alert e-mails kept for it. None when nothing is held."""
    email = email.strip().lower()
    subscriber = Subscriber.objects.filter(email=email).first()
    requests = list(WebhookRequest.objects.filter(email__iexact=email).order_by("pk"))
    endpoints = list(WebhookEndpoint.objects.filter(owner_email__iexact=email).order_by("pk"))
    if subscriber is None and not requests and not endpoints:
        return None
    data = {"email": email, "subscribed": subscriber is not None}
    if subscriber is not None:
        data.update({
            "language": subscriber.language, "frequency": subscriber.frequency,
            "created_at": subscriber.created_at.isoformat(),
            "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
            "countries": sorted(c.code for c in subscriber.countries.all()),
            "regions": sorted(r.code for r in subscriber.regions.all()),
            "themes": sorted(f"{t.vocabulary}:{t.code}" for t in subscriber.terms.all()),
            "laws": sorted(b.pk for b in subscriber.bills.all()),
            "every_law_of": sorted(c.code for c in subscriber.law_countries.all()),
            "rating_changes": subscriber.rating_changes, "watchlist": subscriber.watchlist,
            "findings": subscriber.findings})
    data["webhook_requests"] = [{"name": r.name, "url": r.url, "event_types": r.event_types, "language": r.language,
                                 "created_at": r.created_at.isoformat()} for r in requests]
    data["webhook_endpoints"] = [{"name": e.name, "url": e.url, "event_types": e.event_types, "active": e.active,
                                  "language": e.language, "created_at": e.created_at.isoformat()}
                                 for e in endpoints]
    data["emails"] = [{"subject": e.subject, "status": e.status, "created_at": e.created_at.isoformat()}
                      for e in OutgoingEmail.objects.filter(to__iexact=email, key__startswith="alerts:")
                      .order_by("created_at")]
    return data


@transaction.atomic
def subscriber_delete(*, email=None, subscriber=None, actor=None):
    """Erase a subscriber on request (the command and the admin). Asked by address (the command), everything
    held about it goes: the subscription, the webhook endpoints it owns (with their delivery logs) or asked for,
    and the alert e-mails kept for it. False when nothing was held."""
    if subscriber is not None:  # the admin's row: re-read and locked, gone already if someone was quicker
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()
        if subscriber is None:
            return False
        audit_event_record(action="alerts.subscriber_delete", actor=actor, data={"subscriber": _erase(subscriber)})
        return True
    email = email.strip().lower()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    requests = WebhookRequest.objects.select_for_update().filter(email__iexact=email)
    endpoints = WebhookEndpoint.objects.select_for_update().filter(owner_email__iexact=email)
    request_ids, endpoint_ids = list(requests.values_list("pk", flat=True)), list(endpoints.values_list("pk", flat=True))
    if subscriber is None and not request_ids and not endpoint_ids:
        return False
    erased = _erase(subscriber) if subscriber is not None else None
    OutgoingEmail.objects.filter(to__iexact=email, key__startswith="alerts:").delete()
    WebhookRequest.objects.filter(pk__in=request_ids).delete()
    WebhookEndpoint.objects.filter(pk__in=endpoint_ids).delete()
    audit_event_record(action="alerts.subscriber_delete", actor=actor,
                       data={"subscriber": erased, "webhook_requests": request_ids, "webhook_endpoints": endpoint_ids})
    return True


# --- webhooks -------------------------------------------------------------------------------------------------

def retry_delay(attempts):
    """Back-off after the n-th failed attempt: ALERTS_WEBHOOK_RETRY_BASE_SECONDS × 2^(n-1), at most 6 h."""
    base = float(getattr(settings, "ALERTS_WEBHOOK_RETRY_BASE_SECONDS", 60))
    return dt.timedelta(seconds=min(6 * 3600, base * 2 ** (attempts - 1)))


def _schedule(delivery, run_after=None):
    from .tasks import webhook_deliver

    if run_after is None:
        job_enqueue(webhook_deliver, delivery_id=delivery.pk)
    elif webhook_deliver.get_backend().supports_defer:
        transaction.on_commit(lambda: webhook_deliver.using(run_after=run_after).enqueue(delivery_id=delivery.pk))
    # else (embedded mode): `civicspace alerts_webhooks --retry-due` (cron) sends what is due.


def webhook_body(event):
    return json.dumps({"id": event.uid, "type": event.kind, "timestamp": event.created_at.isoformat(),
                       "data": event.payload}, ensure_ascii=False, sort_keys=True).encode()


def webhook_delivery_attempt(*, delivery_id, now=None):
    """One attempt of a pending delivery that is due (the row locked meanwhile, so two runs never both send).
    Success resets the endpoint's failure count; a failure schedules the next attempt with back-off until
    ALERTS_WEBHOOK_RETRY_HOURS after the first, and ALERTS_WEBHOOK_DISABLE_AFTER failures in a row disable the
    endpoint and tell its owner. Returns the delivery's state."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update().select_related("event", "endpoint")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
            return delivery.state if delivery else "gone"
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        now = now or timezone.now()
        if not endpoint.active:
            return "endpoint disabled"
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return "not due"
        body = webhook_body(delivery.event)
        timestamp = str(int(now.timestamp()))
        headers = {"content-type": "application/json", "user-agent": "CivicSpaceMonitor-Webhooks/1",
                   "webhook-id": delivery.event.uid, "webhook-timestamp": timestamp,
                   "webhook-signature": webhooks.signature_header(endpoint.signing_secrets(now), delivery.event.uid,
                                                                  timestamp, body)}
        started = time.monotonic()
        status, error = webhooks.post(endpoint.url, body, headers)
        WebhookAttempt.objects.create(delivery=delivery, at=now, status_code=status, error=error,
                                      duration_ms=int((time.monotonic() - started) * 1000))
        delivery.attempts += 1
        delivery.first_attempt_at = delivery.first_attempt_at or now
        delivery.last_attempt_at, delivery.last_status_code, delivery.last_error = now, status, error
        if not error:
            delivery.state, delivery.delivered_at, delivery.next_attempt_at = WebhookDelivery.State.SUCCEEDED, now, None
            endpoint.consecutive_failures = 0
        else:
            endpoint.consecutive_failures += 1
            give_up = now - delivery.first_attempt_at >= dt.timedelta(
                hours=float(getattr(settings, "ALERTS_WEBHOOK_RETRY_HOURS", 24)))
            if give_up:
                delivery.state, delivery.next_attempt_at = WebhookDelivery.State.FAILED, None
            else:
                delivery.next_attempt_at = now + retry_delay(delivery.attempts)
                _schedule(delivery, run_after=delivery.next_attempt_at)
            if endpoint.consecutive_failures >= int(getattr(settings, "ALERTS_WEBHOOK_DISABLE_AFTER", 10)):
                endpoint.active, endpoint.disabled_at = False, now
                endpoint.disabled_reason = f"{endpoint.consecutive_failures} failed attempts in a row; last: {error}"[:300]
                audit_event_record(action="alerts.webhook_delivery_attempt", target=endpoint,
                                   data={"disabled": True, "failures": endpoint.consecutive_failures})
                subject, text = messages.webhook_disabled_message(endpoint, error)
                email_queue(key=f"alerts:webhook-disabled:{endpoint.pk}:{int(now.timestamp())}",
                            to=endpoint.owner_email, subject=subject, body=text,
                            headers={"Content-Language": endpoint.language})
        delivery.save()
        endpoint.save(update_fields=["consecutive_failures", "active", "disabled_at", "disabled_reason"])
        return delivery.state


def webhook_retry_due(*, now=None):
    """Queue every pending delivery whose next attempt is due (cron in the embedded mode; the worker's deferred
    jobs do the same under `make stack`)."""
    now = now or timezone.now()
    due = list(WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, endpoint__active=True,
                                              next_attempt_at__lte=now).values_list("pk", flat=True))
    for delivery_id in due:
        webhook_delivery_attempt(delivery_id=delivery_id, now=now)
    return len(due)


@transaction.atomic
def webhook_delivery_replay(*, delivery, actor):
    """Send a delivery again (an administrator, from the delivery log): same event id, new attempts."""
    delivery = WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if not delivery.endpoint.active:
        raise ValidationError({"endpoint": _("Reactivate the endpoint before replaying its deliveries.")})
    delivery.state, delivery.next_attempt_at, delivery.first_attempt_at = WebhookDelivery.State.PENDING, None, None
    delivery.save(update_fields=["state", "next_attempt_at", "first_attempt_at"])
    audit_event_record(action="alerts.webhook_delivery_replay", actor=actor, target=delivery,
                       data={"event": delivery.event_id})
    _schedule(delivery)
    return delivery


@transaction.atomic
def webhook_endpoint_save(*, endpoint, actor):
    """Create or change an endpoint (the admin): the URL passes the SSRF check; reactivating clears the count."""
    creating = endpoint.pk is None
    if not creating and not WebhookEndpoint.objects.select_for_update().filter(pk=endpoint.pk).exists():
        raise ValidationError({"endpoint": _("This endpoint was deleted while you were editing it.")})
    webhooks.endpoint_address(endpoint.url)
    if endpoint.active:
        endpoint.consecutive_failures, endpoint.disabled_at, endpoint.disabled_reason = 0, None, ""
    endpoint.save()
    audit_event_record(action="alerts.webhook_endpoint_save", actor=actor, target=endpoint,
                       data={"created": creating, "event_types": endpoint.event_types})
    return endpoint


# --- self-service webhooks (a confirmed e-mail, no account) ----------------------------------------------------

def _event_types(event_types):
    from civicspace.core.events import KINDS

    if set(event_types) - set(KINDS):
        raise ValidationError({"event_types": _("Choose event types from the list.")})
    return [kind for kind in KINDS if kind in event_types]


def webhook_request_expiry():
    return dt.timedelta(days=float(getattr(settings, "ALERTS_WEBHOOK_CONFIRM_DAYS", 7)))


@transaction.atomic
def webhook_requests_expire(*, now=None, actor_label="expiry"):
    """Unconfirmed webhook requests older than the link's life are deleted with their confirmation e-mails (the
    address was never confirmed: nothing about it is kept; the audit event names only the ids, as
    corrections.requests_expired_delete does). Returns how many."""
    expired = list(WebhookRequest.objects.select_for_update()
                   .filter(created_at__lt=(now or timezone.now()) - webhook_request_expiry())
                   .values_list("pk", flat=True))
    if expired:
        OutgoingEmail.objects.filter(key__in=[f"alerts:webhook-request:{pk}" for pk in expired]).delete()
        WebhookRequest.objects.filter(pk__in=expired).delete()
        audit_event_record(action="alerts.webhook_requests_expire", actor=None, actor_label=actor_label,
                           data={"requests": expired})
    return len(expired)


@transaction.atomic
def webhook_request_submit(*, email, url, event_types, name, language, ip):
    """The public webhook form. The answer is the same whether or not the address is known or already owns
    endpoints: a confirmation link goes to the address, and nothing exists before it is followed. Per-IP limit:
    WebhookThrottled. Per-address limit: silently nothing sent (the answer stays the same). The URL passes the
    SSRF check here (the form names the problem) and again on confirmation and at every sending."""
    event_types = _event_types(event_types)
    wait = throttle_hit("alerts-webhook-ip", ip, limit=_limit("ALERTS_WEBHOOK_REQUESTS_PER_IP_PER_HOUR", 10),
                        window_seconds=3600)
    if wait:
        raise WebhookThrottled(wait)
    webhooks.endpoint_address(url)
    email = email.strip().lower()
    webhook_requests_expire()
    if throttle_hit("alerts-webhook-address", email, limit=_limit("ALERTS_WEBHOOK_REQUESTS_PER_ADDRESS_PER_DAY", 3),
                    window_seconds=86400):
        return None
    request = WebhookRequest.objects.create(email=email, url=url, event_types=event_types, name=name.strip(),
                                            language=language)
    audit_event_record(action="alerts.webhook_request_submit", target=request, data={"event_types": event_types})
    subject, body = messages.webhook_confirmation_message(language, request.token)
    email_queue(key=f"alerts:webhook-request:{request.pk}", to=email, subject=subject, body=body,
                headers={"Content-Language": language}, audit=False)
    return request


def _gone(what):
    return ValidationError({"token": what})


@transaction.atomic
def webhook_request_confirm(*, token):
    """The link from the inbox: the endpoint is created (URL checked again: its name may resolve elsewhere now)
    with a new secret, the request is deleted (the link works once), and the manage link is e-mailed. Returns the
    endpoint, whose secret the confirmation page shows once."""
    request = WebhookRequest.objects.select_for_update().filter(token=token).first() if token else None
    if request is None or request.created_at < timezone.now() - webhook_request_expiry():
        raise _gone(_("This link is no longer valid: the endpoint was already created, or the request expired."))
    webhooks.endpoint_address(request.url)
    from urllib.parse import urlsplit

    endpoint = WebhookEndpoint.objects.create(
        name=(request.name or urlsplit(request.url).hostname or request.url)[:200], owner_email=request.email,
        url=request.url, event_types=request.event_types, manage_token=new_token(), language=request.language)
    language = request.language
    request.delete()
    audit_event_record(action="alerts.webhook_request_confirm", target=endpoint,
                       data={"event_types": endpoint.event_types})
    subject, body = messages.webhook_created_message(language, endpoint)
    email_queue(key=f"alerts:webhook-created:{endpoint.pk}", to=endpoint.owner_email, subject=subject, body=body,
                headers={"Content-Language": language}, audit=False)
    return endpoint


def _own_endpoint(token):
    endpoint = (WebhookEndpoint.objects.select_for_update().filter(manage_token=token).first() if token else None)
    if endpoint is None:
        raise _gone(_("This link is no longer valid: the endpoint does not exist."))
    return endpoint


@transaction.atomic
def webhook_endpoint_edit(*, token, event_types, reactivate=False):
    """The owner changes the event types (none: all) and may reactivate an endpoint disabled after failures
    (its URL is checked again)."""
    endpoint = _own_endpoint(token)
    endpoint.event_types = _event_types(event_types)
    data = {"event_types": endpoint.event_types}
    if reactivate and not endpoint.active:
        webhooks.endpoint_address(endpoint.url)
        endpoint.active, endpoint.consecutive_failures = True, 0
        endpoint.disabled_at, endpoint.disabled_reason = None, ""
        data["reactivated"] = True
    endpoint.save(update_fields=["event_types", "active", "consecutive_failures", "disabled_at", "disabled_reason"])
    audit_event_record(action="alerts.webhook_endpoint_edit", target=endpoint, data=data)
    return endpoint


@transaction.atomic
def webhook_secret_rotate(*, token, overlap=False, now=None):
    """A new signing secret (shown once to the owner). With `overlap`, the old one keeps signing every request
    beside it for ALERTS_WEBHOOK_SECRET_OVERLAP_HOURS, while the owner changes the receiver; without, it signs
    nothing from now on (a secret that may have been seen). Rotating again ends any earlier overlap."""
    endpoint = _own_endpoint(token)
    now = now or timezone.now()
    if overlap:
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_until = now + dt.timedelta(hours=settings.ALERTS_WEBHOOK_SECRET_OVERLAP_HOURS)
    else:
        endpoint.previous_secret, endpoint.previous_secret_until = "", None
    endpoint.secret = new_webhook_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    audit_event_record(action="alerts.webhook_secret_rotate", target=endpoint,
                       data={"previous_signs_until": endpoint.previous_secret_until.isoformat() if overlap else None})
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, token):
    """The owner deletes the endpoint with its delivery log and the e-mails kept about it; nothing more is sent."""
    endpoint = _own_endpoint(token)
    endpoint_id = endpoint.pk
    OutgoingEmail.objects.filter(to=endpoint.owner_email).filter(
        key__in=[f"alerts:webhook-created:{endpoint_id}"]).delete()
    OutgoingEmail.objects.filter(to=endpoint.owner_email,
                                 key__startswith=f"alerts:webhook-disabled:{endpoint_id}:").delete()
    endpoint.delete()
    audit_event_record(action="alerts.webhook_endpoint_delete", data={"endpoint": endpoint_id})
    return endpoint_id
