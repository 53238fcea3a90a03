"""Demo cases (civicspace/cases/demo/*.json): the seed's cases, followed with later public reports, each event and
charge with its source. Loaded by `load_demo_content`; idempotent (cases are found by their key and never
overwritten, so editors' later changes survive a reload). Everything is checked before anything is written."""
import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from civicspace.audit.services import audit_event_record
from civicspace.core.dates import parse_partial_date
from civicspace.countries.models import Country
from civicspace.monitoring.models import Incident, Term, Update

from . import status as rules
from .models import Case, CaseEvent, CaseSource, CaseState, Charge, NameReason

DEMO_DIR = Path(__file__).parent / "demo"


class DemoCasesError(ValueError):
    pass


def _incident_texts():
    """{incident key: English description} from the monitoring demo file (incidents carry no key in the database)."""
    path = settings.PACKAGE_DIR / "data" / "demo" / "kyrgyzstan-2024-03-05.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {i["key"]: i["description"]["en"] for u in data["updates"] for i in u.get("incidents", []) if "key" in i}


def _check(path, data):
    sources = data["sources"]
    for n, case in enumerate(data["cases"], 1):
        where = f"{path.name}: case {n} ({case.get('key', '?')})"
        kinds = rules.PERSON_KINDS if case["subject_type"] == "person" else rules.ORGANISATION_KINDS
        for event in case["events"]:
            if event["kind"] not in kinds:
                raise DemoCasesError(f"{where}: event kind '{event['kind']}' does not apply")
            if event["source"] not in sources:
                raise DemoCasesError(f"{where}: unknown source '{event['source']}'")
            parse_partial_date(event["date"])
        for charge in case["charges"]:
            if charge["source"] not in sources:
                raise DemoCasesError(f"{where}: unknown source '{charge['source']}' of a charge")
        if case.get("publish_name") and case["publish_name"]["reason"] not in NameReason.values:
            raise DemoCasesError(f"{where}: unknown reason to name '{case['publish_name']['reason']}'")


def demo_cases_load(*, path=None):
    """Create the demo cases that do not exist yet; return how many were created."""
    path = path or DEMO_DIR / "kyrgyzstan-cases.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    _check(path, data)
    texts = _incident_texts()
    created = 0
    with transaction.atomic():
        for item in data["cases"]:
            if Case.objects.filter(import_key=item["key"]).exists():
                continue
            try:
                country = Country.objects.get(code=item["country"])
            except Country.DoesNotExist:
                raise DemoCasesError(f"{path.name}: case {item['key']}: unknown country '{item['country']}'") from None
            victim = Term.objects.filter(vocabulary="victim", code=item.get("victim_type") or "").first()
            case = Case.objects.create(
                import_key=item["key"], country=country, subject_type=item["subject_type"], victim_type=victim,
                organisation=item.get("organisation", ""), subject_name=item.get("subject_name", ""),
                summary=item.get("summary", ""), state=CaseState.PUBLISHED, published_at=timezone.now())
            if item.get("publish_name"):
                case.name_published = True
                case.name_reason = item["publish_name"]["reason"]
                case.name_reason_note = item["publish_name"]["note"]
                case.name_published_at = timezone.now()
                case.published_name = case.subject_name
                case.save(update_fields=["name_published", "name_reason", "name_reason_note", "name_published_at",
                                         "published_name"])
            sources = {}

            def source(key):
                if key not in sources:
                    s = data["sources"][key]
                    sources[key] = CaseSource.objects.create(
                        case=case, title=s["title"], publisher=s.get("publisher", ""), url=s["url"],
                        date=dt.date.fromisoformat(s["date"]) if s.get("date") else None)
                return sources[key]

            for charge in item["charges"]:
                Charge.objects.create(case=case, provision=charge["provision"],
                                      description=charge.get("description", ""), source=source(charge["source"]),
                                      verified=True)
            for event in item["events"]:
                date, precision = parse_partial_date(event["date"])
                CaseEvent.objects.create(
                    case=case, kind=event["kind"], date=date, date_precision=precision,
                    sentence=event.get("sentence", ""), sentence_text=event.get("sentence_text", ""),
                    outcome=event.get("outcome", ""), note=event.get("note", ""), source=source(event["source"]),
                    verified=True)
            update = Update.objects.filter(import_key=item.get("update") or "-").first()
            if update:
                case.updates.add(update)
                text = texts.get(item.get("incident") or "")
                if text:
                    case.incidents.add(*Incident.objects.filter(update=update, description_en=text))
            audit_event_record(action="cases.demo_load", actor_label="load_demo_content", target=case,
                               data={"file": path.name, "key": item["key"]})
            created += 1
    return created
