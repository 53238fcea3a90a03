"""Loading the taxonomy (reference data) and the demo content (real, published facts) from files."""
import datetime as dt
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from civicspace.audit.services import audit_event_record
from civicspace.core.csvfiles import CsvValidationError, RowError, read_rows
from civicspace.core.dates import parse_partial_date
from civicspace.core.upsert import LoadReport, upsert
from civicspace.countries.models import Country

from .models import (
    Incident,
    Organisation,
    Source,
    Status,
    Term,
    TranslationStatus,
    Update,
    Victim,
    Vocabulary,
)

LANGS = [code for code, _ in settings.LANGUAGES]


def taxonomy_load(*, path=None):
    path = path or settings.REFERENCE_DATA_DIR / "taxonomy.csv"
    label_fields = [f"label_{lang}" for lang in LANGS]
    errors, rows, seen = [], [], set()
    for line, row in read_rows(path, ["vocabulary", "code", "position", "freedom", *label_fields]):
        if row["vocabulary"] not in Vocabulary.values:
            errors.append(RowError(path.name, line, "vocabulary", f"unknown vocabulary '{row['vocabulary']}'"))
        if not row["code"]:
            errors.append(RowError(path.name, line, "code", "is empty"))
        if (row["vocabulary"], row["code"]) in seen:
            errors.append(RowError(path.name, line, "code", f"duplicate code '{row['code']}'"))
        seen.add((row["vocabulary"], row["code"]))
        if not row["position"].isdigit():
            errors.append(RowError(path.name, line, "position", "is not a whole number"))
        for field in label_fields:
            if not row[field]:
                errors.append(RowError(path.name, line, field, "is empty"))
        rows.append((line, row))
    freedoms = {r["code"] for _, r in rows if r["vocabulary"] == Vocabulary.FREEDOM}
    for line, row in rows:
        if row["freedom"] and row["freedom"] not in freedoms:
            errors.append(RowError(path.name, line, "freedom", f"unknown freedom '{row['freedom']}'"))
    if errors:
        raise CsvValidationError(errors)

    report = LoadReport()
    with transaction.atomic():
        # Freedoms first: the other rows point at them.
        for _, row in sorted(rows, key=lambda item: item[1]["vocabulary"] != Vocabulary.FREEDOM):
            freedom = (Term.objects.get(vocabulary=Vocabulary.FREEDOM, code=row["freedom"])
                       if row["freedom"] else None)
            values = {"position": int(row["position"]), "freedom": freedom,
                      **{field: row[field] for field in label_fields}}
            upsert(Term, {"vocabulary": row["vocabulary"], "code": row["code"]}, values, report)
        if report.changed:
            audit_event_record(action="monitoring.taxonomy_load", actor_label="load_reference_data",
                               data={"terms": str(report)})
    return report


class DemoContentError(ValueError):
    pass


def demo_load(*, path=None):
    """Load published demo content (real facts from a cited document). Idempotent: records are found by
    their key and never overwritten, so editors' later changes survive a reload."""
    path = path or settings.PACKAGE_DIR / "data" / "demo" / "kyrgyzstan-2024-03-05.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    terms = {(t.vocabulary, t.code): t for t in Term.objects.all()}

    def term(vocabulary, code, where):
        try:
            return terms[(vocabulary, code)]
        except KeyError:
            raise DemoContentError(f"{path.name}: {where}: unknown {vocabulary} code '{code}'") from None

    def type_term(code, where):
        return terms.get(("violation", code)) or term("positive", code, where)

    created = 0
    with transaction.atomic():
        orgs = {}
        for item in data["organisations"]:
            org, _ = Organisation.objects.get_or_create(slug=item["slug"], defaults={
                "name": item["name"],
                **{f"description_{lang}": item.get(f"description_{lang}", "") for lang in LANGS},
            })
            org.countries.add(*Country.objects.filter(code__in=item["countries"]))
            orgs[item["slug"]] = org
        for item in data["updates"]:
            if Update.objects.filter(import_key=item["key"]).exists():
                continue
            lang = item["original_language"]
            update = Update(
                import_key=item["key"], country=Country.objects.get(code=item["country"]),
                date=dt.date.fromisoformat(item["date"]), original_language=lang,
                organisation=orgs[item["organisation"]], status=Status.PUBLISHED,
                published_at=timezone.make_aware(dt.datetime.fromisoformat(item["date"])),
                translation_status={l: TranslationStatus.REVIEWED for l in item["title"] if l != lang},
            )
            for field in ("title", "summary", "body"):
                for l, text in item[field].items():
                    setattr(update, f"{field}_{l}", text)
            update.save()
            update.freedoms.set([term("freedom", c, item["key"]) for c in item["freedoms"]])
            sources = {}
            for s in item["sources"]:
                sources[s["key"]] = Source.objects.create(
                    update=update, title=s["title"], publisher=s["publisher"],
                    date=dt.date.fromisoformat(s["date"]) if s["date"] else None, url=s["url"],
                    language=s.get("language", ""), confidential=s["confidential"])
            for i in item["incidents"]:
                where = f"incident {i['key']}"
                date, precision = parse_partial_date(i["date"])
                incident = Incident(update=update, date=date, date_precision=precision,
                                    place_precision=i["place_precision"])
                # A place is a string in the original language, or {language: place} with its translations.
                places = i["place"] if isinstance(i["place"], dict) else {lang: i["place"]}
                for l, text in places.items():
                    setattr(incident, f"place_{l}", text)
                for field in ("description", "outcome"):
                    for l, text in i[field].items():
                        setattr(incident, f"{field}_{l}", text)
                incident.save()
                incident.freedoms.set([term("freedom", c, where) for c in i["freedoms"]])
                incident.types.set([type_term(c, where) for c in i["types"]])
                incident.perpetrators.set([term("perpetrator", c, where) for c in i["perpetrators"]])
                incident.sources.set([sources[k] for k in i["sources"]])
                for v in i["victims"]:
                    names = [n["name"] for n in v["names"]]
                    Victim.objects.create(incident=incident, type=term("victim", v["type"], where), count=v["count"],
                                          names="\n".join(names),
                                          names_sensitive=any(n["sensitive"] for n in v["names"]))
            created += 1
            audit_event_record(action="monitoring.demo_load", actor_label="load_demo_content", target=update,
                               data={"file": path.name})
    return created
