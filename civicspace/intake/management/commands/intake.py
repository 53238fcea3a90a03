"""`civicspace intake evaluate DIR [--json]`: score the assistant on annotated texts (shared/intake/ANNOTATION.md).
`civicspace intake tune DIR`: leave-one-out choice of the country parameters.
`civicspace intake weak-codes [--write]`: leave-one-out choice of the codes offered rather than pre-selected,
on the suggestions earlier engines made for texts they had not seen (firstlook/README.md).
`civicspace intake suggest FILE`: the suggestions for one text, as JSON.
`civicspace intake build-country-names`: regenerate lexicons/country_names.csv and lexicons/domains.csv from the
registry's inputs."""
import csv
import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civicspace.intake.engine import WEAK_CODES_FILE, as_plain, suggest
from civicspace.intake.evaluation import (AnnotationError, choose_weak_codes, evaluate, leave_one_out, parse_text_file,
                                          read_firstlook, read_folder)
from civicspace.intake.lexicon import LEXICON_DIR, country_domains

SHOWN = ("country_accuracy", "published_date_accuracy", "violation_f1", "victim_f1", "freedom_f1",
         "perpetrator_f1", "incident_count_mae", "incident_date_accuracy", "law_stage_f1")


class Command(BaseCommand):
    help = "The intake assistant: evaluate it on annotated texts, tune it, or run it on one text."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("evaluate", help="score the assistant on a folder of annotated texts")
        ev.add_argument("directory")
        ev.add_argument("--json", action="store_true", help="print the scores as JSON")
        ev.add_argument("--details", action="store_true", help="include each text's suggestions")
        tune = sub.add_parser("tune", help="leave-one-out choice of the country parameters")
        tune.add_argument("directory")
        weak = sub.add_parser("weak-codes", help="choose the codes offered rather than pre-selected")
        weak.add_argument("--write", action="store_true", help=f"store the choice in {WEAK_CODES_FILE.name}")
        one = sub.add_parser("suggest", help="suggestions for one text file (the annotation .txt format)")
        one.add_argument("file")
        sub.add_parser("build-country-names", help="regenerate lexicons/country_names.csv and domains.csv")

    def handle(self, *args, action, **options):
        try:
            if action == "evaluate":
                report = evaluate(read_folder(options["directory"]), details=options["details"])
                if options["json"]:
                    self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
                else:
                    self._table(report)
            elif action == "tune":
                self.stdout.write(json.dumps(leave_one_out(read_folder(options["directory"])), indent=2))
            elif action == "weak-codes":
                rows = read_firstlook()
                chosen = choose_weak_codes(rows)
                self.stdout.write(json.dumps({"texts": len(rows), **chosen}, indent=2))
                if options["write"]:
                    chosen = {key: {"threshold": entry["threshold"], "codes": entry["codes"]}
                              for key, entry in chosen.items()}
                    WEAK_CODES_FILE.write_text(json.dumps(chosen, indent=2) + "\n", encoding="utf-8")
                    self.stdout.write(f"Written to {WEAK_CODES_FILE}")
            elif action == "suggest":
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError(f"{path}: no such file")
                source, date, text = parse_text_file(path.read_text(encoding="utf-8"))
                result = as_plain(suggest(text, source_date=date, source_url=source), text)
                self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str))
            else:
                self._build_names()
        except AnnotationError as error:
            raise CommandError(str(error)) from None

    def _table(self, report):
        rows = [("overall", report["overall"])] + list(report["per_language"].items())
        self.stdout.write("group    texts " + " ".join(f"{k[:14]:>14}" for k in SHOWN))
        for name, scores in rows:
            values = " ".join(f"{scores[k] if scores[k] is not None else '-':>14}" for k in SHOWN)
            self.stdout.write(f"{name:8} {scores['texts']:5} {values}")

    def _build_names(self):
        from civicspace.countries import services

        ref = settings.REFERENCE_DATA_DIR
        regions, errors = services._read_regions(ref / "regions.csv")
        records, more = services._read_countries(ref / "civicus" / "countries.csv", ref / "country_overrides.csv",
                                                 {r["monitor_name"]: r["code"] for r in regions},
                                                 {r["code"] for r in regions})
        if errors or more:
            raise CommandError("the registry's reference files have errors; run load_reference_data first")
        path = LEXICON_DIR / "country_names.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "lang", "name"])
            for record in sorted(records, key=lambda r: r["code"]):
                for lang, _label in settings.LANGUAGES:
                    writer.writerow([record["code"], lang, re.sub(r"\s*\(.*?\)\s*", " ",
                                                                  record[f"name_{lang}"]).strip()])
        self.stdout.write(f"{path}: {len(records)} countries")
        path = LEXICON_DIR / "domains.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "suffix"])
            rows = sorted((r["code"], d) for r in records for d in country_domains(r["iso2"]))
            writer.writerows(rows)
        self.stdout.write(f"{path}: {len(rows)} country-code domains")
