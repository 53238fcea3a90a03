import json

from django.core.management.base import BaseCommand, CommandError

from civicspace.methodology import calibration as fitting
from civicspace.methodology import config as methodology_config
from civicspace.ratings.calibration import ENGINE, PREVIOUS, observations


def _codes(text):
    return [c.strip() for c in (text or "").split(",") if c.strip()]


class Command(BaseCommand):
    help = (
        "Fit non-negative weights of the open inputs (rebased external indices and the previous published "
        "score) to published scores, evaluate them on another edition next to the persistence baseline "
        "(the previous band carried forward), and print the result. Example: "
        'civicspace calibrate --fit "PPUA 2023,PPUA 2024" --evaluate "PPUA 2025" --json'
    )

    def add_arguments(self, parser):
        parser.add_argument("--fit", help="editions to fit on, comma-separated codes")
        parser.add_argument("--evaluate", help="editions to evaluate on, comma-separated codes")
        parser.add_argument("--leave-one-out", dest="loo",
                            help="editions for leave-one-edition-out: fit on the others, evaluate on each")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, fit=None, evaluate=None, loo=None, json=False, **options):
        methodology = methodology_config.load()
        indices = list(methodology.indices)
        models = {
            "indices_and_previous": [PREVIOUS, *indices],
            "indices_only": indices,
            "previous_only": [PREVIOUS],
        }
        if loo:
            editions = _codes(loo)
            if len(editions) < 2:
                raise CommandError("--leave-one-out needs at least two editions")
            obs = self._observations(editions, methodology)
            report = {"mode": "leave-one-edition-out", "editions": editions,
                      "models": {name: fitting.leave_one_edition_out(obs, features, editions)
                                 for name, features in models.items()}}
        else:
            fit_codes, eval_codes = _codes(fit), _codes(evaluate)
            if not fit_codes or not eval_codes:
                raise CommandError("give --fit and --evaluate (or --leave-one-out)")
            obs = self._observations(list(dict.fromkeys(fit_codes + eval_codes)), methodology)
            results = {name: fitting.fit_and_evaluate(obs, features, fit_codes, eval_codes)
                       for name, features in models.items()}
            main = results["indices_and_previous"]
            evaluated = [o for o in obs if o.edition in eval_codes]
            declared = fitting.evaluate({"external": 1.0}, evaluated)
            active = fitting.evaluate({ENGINE: 1.0}, evaluated)
            report = {
                "mode": "fit-evaluate", "methodology_version": methodology.version,
                "fit": fit_codes, "evaluate": eval_codes,
                "mae": main["mae"], "band_agreement": main["band_agreement"], "n": main["n"],
                "persistence": main["persistence"], "weights": main["weights"], "n_fit": main["n_fit"],
                "models": results,
                "declared_external_stream": declared,
                "active_methodology": {"version": methodology.version, **active},
                "notes": self._notes(obs, fit_codes),
            }
        self.stdout.write(_dump(report) if json else self._text(report))

    def _observations(self, editions, methodology):
        try:
            return observations(editions, methodology=methodology)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _notes(self, obs, fit_codes):
        midpoint = sum(1 for o in obs if o.edition in fit_codes and o.previous_estimated)
        return [
            "Only open inputs are used: external indices and the previous published score. Partner and "
            "in-house analyses are not public, so their weights cannot be fitted on the record.",
            f"{midpoint} fitted rows have no previous published score (scores start in December 2023); the "
            "previous band's midpoint stands in.",
            "V-Dem values are from version 15, a later vintage than the one public at the edition's date.",
            "'declared_external_stream' evaluates the engine's external stream with its declared rules, "
            "unfitted; 'active_methodology' evaluates the whole active version as declared (without live "
            "evidence, which the record does not hold).",
        ]

    def _text(self, report):
        if report["mode"] == "leave-one-edition-out":
            lines = ["Leave one edition out:"]
            for name, folds in report["models"].items():
                for fold in folds:
                    lines.append(f"  {name:22} held out {fold['evaluate'][0]}: mae {fold['mae']}, band agreement "
                                 f"{fold['band_agreement']} (persistence {fold['persistence']['band_agreement']}), "
                                 f"n {fold['n']}")
            return "\n".join(lines)
        lines = [f"Fitted on {', '.join(report['fit'])}; evaluated on {', '.join(report['evaluate'])}."]
        for name, r in report["models"].items():
            lines.append(f"  {name:22} mae {r['mae']}, band agreement {r['band_agreement']}, n {r['n']}; "
                         f"weights {r['weights']}")
        active = report["active_methodology"]
        lines.append(f"  methodology {active['version']:10} mae {active['mae']}, band agreement "
                     f"{active['band_agreement']}, n {active['n']} (as declared, not fitted)")
        lines.append(f"  persistence baseline   band agreement {report['persistence']['band_agreement']}, "
                     f"mae {report['persistence']['mae']}")
        return "\n".join(lines + [""] + [f"- {n}" for n in report["notes"]])


def _dump(data):
    return json.dumps(data, indent=2, ensure_ascii=False)
