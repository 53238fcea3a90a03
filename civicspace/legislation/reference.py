"""Loading demo bills (real facts from a cited document). Idempotent: found by key, never overwritten."""
import datetime as dt
import json

from django.conf import settings
from django.db import transaction

from civicspace.audit.services import audit_event_record
from civicspace.core.dates import parse_partial_date
from civicspace.countries.models import Country
from civicspace.monitoring.models import Term, Update

from . import timeline
from .models import Bill, BillSource, StageEvent


def _date(text):
    return parse_partial_date(text, precisions=("day", "month"))


def demo_bills_load(*, path=None):
    path = path or settings.PACKAGE_DIR / "data" / "demo" / "kyrgyzstan-bills-2024-03-05.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        for item in data["bills"]:
            if Bill.objects.filter(import_key=item["key"]).exists():
                continue
            events = [(e["stage"], _date(e["date"])[0]) for e in item["events"]]
            problems = timeline.validate(events)
            if problems:
                raise ValueError(f"{path.name}: {item['key']}: {problems[0].message}")
            bill = Bill(import_key=item["key"], country=Country.objects.get(code=item["country"]),
                        category=item["category"], direction=item["direction"], original_language="en",
                        translation_status={lang: "reviewed" for lang in item["short_title"] if lang != "en"})
            for field in ("short_title", "official_title", "summary"):
                for lang, text in item[field].items():
                    setattr(bill, f"{field}_{lang}", text)
            bill.save()
            bill.freedoms.set(Term.objects.filter(vocabulary="freedom", code__in=item["freedoms"]))
            bill.updates.set(Update.objects.filter(import_key__in=item["updates"]))
            s = data["source"]
            source = BillSource.objects.create(bill=bill, title=s["title"], publisher=s["publisher"],
                                               date=dt.date.fromisoformat(s["date"]), url=s["url"])
            for e in item["events"]:
                when, precision = _date(e["date"])
                event = StageEvent(bill=bill, stage=e["stage"], date=when, date_precision=precision, source=source,
                                   verified=True)
                for lang, text in e["note"].items():
                    setattr(event, f"note_{lang}", text)
                event.save()
            created += 1
            audit_event_record(action="legislation.demo_load", actor_label="load_demo_content", target=bill,
                               data={"file": path.name})
    return created
