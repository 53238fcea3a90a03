"""Alerts fan-out benchmark (issue 19, item 6): `python -m bench.alerts_fanout [--subscribers 100000]`.

In its own SQLite file (var/bench/alerts.sqlite3, rebuilt: migrations + reference data; never the demo database)
it creates N synthetic subscribers ("bench-…@synthetic.invalid": 90% instant, 7% daily, 3% weekly; each follows
1–3 countries, every one follows Kyrgyzstan or Central Asia so that all of them match), publishes one synthetic
Kyrgyz update and measures, with the production settings' database task queue:

1. fan-out: the outbox event to every instant subscriber (Delivery + OutgoingEmail + queued job per e-mail,
   in batches of 500), e-mails queued per second;
2. sending: the queued e-mails handed to a local SMTP sink (aiosmtpd on loopback) by the job the worker runs
   (jobs.tasks.send_email: row lock, idempotency check, one SMTP connection per message), e-mails per second,
   against the sink's own rate (smtplib sending the same message over one connection per message);
3. the daily digest of the daily subscribers (grouped per subscriber, one e-mail each, queued).
Prints one JSON object. `--send-limit` caps phase 2 (default: all) for a quick run on a busy machine.
"""
import argparse
import json
import os
import random
import smtplib
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench" / "alerts.sqlite3"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def setup_django():
    DB.parent.mkdir(parents=True, exist_ok=True)
    if DB.exists():
        DB.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_reference_data", verbosity=0)


def make_subscribers(n, seed=20261206):
    from django.utils import timezone

    from civicspace.alerts.models import Subscriber
    from civicspace.countries.models import Country, Region

    rng = random.Random(seed)
    countries = list(Country.objects.values_list("pk", flat=True))
    kgz = Country.objects.get(code="KGZ")
    now = timezone.now()
    langs = ["en", "ru", "fr", "es", "ar"]
    rows = []
    for i in range(n):
        r = rng.random()
        frequency = "instant" if r < 0.90 else "daily" if r < 0.97 else "weekly"
        rows.append(Subscriber(email=f"bench-{i:06d}@synthetic.invalid", language=rng.choice(langs),
                               frequency=frequency, confirmed_at=now, token=f"synthetic-bench-token-{i:06d}"))
    Subscriber.objects.bulk_create(rows, batch_size=5000)
    ids = list(Subscriber.objects.values_list("pk", flat=True))
    through_c = Subscriber.countries.through
    through_r = Subscriber.regions.through
    links_c, links_r = [], []
    for sid in ids:
        if rng.random() < 0.2:
            links_r.append(through_r(subscriber_id=sid, region_id=kgz.region_id))
        else:
            links_c.append(through_c(subscriber_id=sid, country_id=kgz.pk))
        for other in rng.sample(countries, rng.randint(0, 2)):
            if other != kgz.pk:
                links_c.append(through_c(subscriber_id=sid, country_id=other))
    through_c.objects.bulk_create(links_c, batch_size=10000, ignore_conflicts=True)
    through_r.objects.bulk_create(links_r, batch_size=10000, ignore_conflicts=True)
    assert Region.objects.filter(pk=kgz.region_id).exists()
    return ids


def publish_synthetic_update():
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from civicspace.alerts.models import Event
    from civicspace.alerts.services import event_record
    from civicspace.countries.models import Country
    from civicspace.monitoring.models import Organisation, Term, Update

    org = Organisation.objects.create(slug="synthetic-bench-alerts", name="Synthetic benchmark data")
    with transaction.atomic():
        update = Update.objects.create(country=Country.objects.get(code="KGZ"), date=dt.date(2025, 10, 1),
                                       original_language="en", title_en="[SYNTHETIC] Alerts benchmark update",
                                       summary_en="[SYNTHETIC] summary", organisation=org, status="published",
                                       published_at=timezone.now())
        update.freedoms.set(Term.objects.filter(vocabulary="freedom", code="expression"))
        from django.db import connection

        callbacks_before = len(connection.run_on_commit)
        event = event_record(kind="update.published", instance=update)
        del connection.run_on_commit[callbacks_before:]  # the bench runs the fan-out itself, timed
    return Event.objects.get(pk=event.pk)


def sink_rate(port, seconds=5.0):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "bench@synthetic.invalid", "x@synthetic.invalid", "s"
    message.set_content("[SYNTHETIC] " + "x" * 1500)
    sent, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(message)
        sent += 1
    return sent / (time.perf_counter() - started)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--send-limit", type=int, default=None)
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:  # run as a script by bench/run.py, PYTHONPATH names the code measured first
        sys.path.append(str(ROOT))
    started = time.perf_counter()
    setup_django()
    from aiosmtpd.controller import Controller
    from django.conf import settings

    from civicspace.alerts.services import digest_send, event_fan_out
    from civicspace.jobs.models import OutgoingEmail
    from civicspace.jobs.tasks import send_email

    print(f"set-up {time.perf_counter() - started:.1f}s; creating {args.subscribers} subscribers", file=sys.stderr)
    make_subscribers(args.subscribers)
    event = publish_synthetic_update()

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port

    t = time.perf_counter()
    queued = event_fan_out(event_id=event.pk)
    fan_out_s = time.perf_counter() - t
    print(f"fan-out: {queued} e-mails queued in {fan_out_s:.1f}s", file=sys.stderr)
    rerun = event_fan_out(event_id=event.pk)  # a second run (worker restarted): nothing more

    keys = list(OutgoingEmail.objects.filter(key__startswith="alerts:instant:").values_list("key", flat=True))
    keys = keys[: args.send_limit] if args.send_limit else keys
    t = time.perf_counter()
    for n, key in enumerate(keys, 1):
        send_email.call(key=key)
        if n % 5000 == 0:
            print(f"  sent {n}/{len(keys)}", file=sys.stderr)
    send_s = time.perf_counter() - t
    sink_per_s = sink_rate(controller.port)

    import datetime as dt

    from django.utils import timezone

    t = time.perf_counter()
    digest = digest_send(period="daily", day=timezone.now().date() + dt.timedelta(days=1))
    digest_s = time.perf_counter() - t
    controller.stop()
    result = {
        "subscribers": args.subscribers, "instant_emails_queued": queued, "second_run_queued": rerun,
        "fan_out_seconds": round(fan_out_s, 2), "fan_out_per_second": round(queued / fan_out_s, 1),
        "sent": len(keys), "sink_received": sink.count, "send_seconds": round(send_s, 2),
        "send_per_second": round(len(keys) / send_s, 1) if keys else None,
        "sink_own_rate_per_second": round(sink_per_s, 1),
        "send_vs_sink": round((len(keys) / send_s) / sink_per_s, 3) if keys else None,
        "daily_digest_subscribers": digest["subscribers"], "daily_digest_seconds": round(digest_s, 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
