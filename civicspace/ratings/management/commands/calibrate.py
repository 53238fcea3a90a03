import json
import math

from django.core.management.base import BaseCommand, CommandError

from civicspace.methodology import calibration as fitting
from civicspace.methodology import config as methodology_config
from civicspace.methodology import engine
from civicspace.methodology import transition
from civicspace.ratings.calibration import PREVIOUS, observations, transition_rows


def _codes(text):
    return [c.strip() for c in (text or "").split(",") if c.strip()]


KEYS = ("n", "mae", "band_agreement", "changes_caught", "false_changes", "coverage_90", "mean_log_score")


class Command(BaseCommand):
    help = (
        "Calibrate the active (transition) methodology on the --fit editions alone, choosing every "
        "hyper-parameter by cross-validation on them, and evaluate it on the --evaluate editions next to "
        "persistence (the previous published score carried forward) and the level model. Example: "
        'civicspace calibrate --fit "PPUA 2023,PPUA 2024" --evaluate "PPUA 2025" --json'
    )

    def add_arguments(self, parser):
        parser.add_argument("--fit", help="editions to fit on, comma-separated codes")
        parser.add_argument("--evaluate", help="editions to evaluate on, comma-separated codes")
        parser.add_argument("--methodology", dest="version", default=methodology_config.ACTIVE_VERSION,
                            help="a transition methodology version (default: the active one)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, fit=None, evaluate=None, version=None, json=False, **options):
        fit_codes, eval_codes = _codes(fit), _codes(evaluate)
        if not fit_codes or not eval_codes:
            raise CommandError("give --fit and --evaluate, e.g. --fit \"PPUA 2023,PPUA 2024\" --evaluate \"PPUA 2025\"")
        if set(fit_codes) & set(eval_codes):
            raise CommandError("--evaluate: an edition cannot be both fitted on and evaluated on")
        try:
            methodology = methodology_config.load(version)
        except methodology_config.ConfigError as exc:
            raise CommandError(f"--methodology: {exc}") from exc
        if not methodology.is_transition:
            raise CommandError(f"--methodology: {methodology.version} is not a transition version")
        try:
            fit_rows = transition_rows(fit_codes, methodology=methodology)
            eval_rows = transition_rows(eval_codes, methodology=methodology)
            level_pairs, level_fit_pairs, level_weights = self._level_model(fit_codes, eval_codes, fit_rows, eval_rows)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        stored = engine.transition_model(methodology)
        result = transition.report(fit_rows, eval_rows, spec=methodology.model, stored=stored,
                                   level_pairs=level_pairs, level_fit_pairs=level_fit_pairs)
        models = result["models"]
        active = models["transition"]
        stored_fit = list((methodology.model.get("calibration") or {}).get("fit", []))
        report = {
            "methodology_version": methodology.version, "fit": fit_codes, "evaluate": eval_codes,
            **{k: active.get(k) for k in ("mae", "band_agreement", "n", "false_changes", "coverage_90",
                                          "changes_caught", "mean_log_score")},
            "persistence": {k: models["persistence"].get(k) for k in KEYS},
            "models": {
                "persistence": models["persistence"],
                "level": {**models["level"], "weights": level_weights,
                          "description": "the 2026.2 level model refitted on the fit editions: non-negative "
                                         "weights of the previous score (band midpoint where no score was "
                                         "published) and the rebased index levels"},
                "transition": active,
                "stored_version": {**models["stored_version"], "fitted_on": stored_fit,
                                   "out_of_sample": not set(stored_fit) & set(eval_codes)},
            },
            "against_persistence": _verdict(active, models["persistence"]),
            "chosen": result["chosen"],
            "cross_validation": result["trace"],
            "folds": {"grouping": result["fold_grouping"], "folds": result["folds"]},
            "reliability": result["reliability"],
            "n_fit_transitions": result["n_fit_transitions"],
            "n_fit_without_previous_score": result["n_fit_without_previous_score"],
            "notes": self._notes(result, methodology, stored_fit, eval_codes),
        }
        self.stdout.write(_dump(report) if json else self._text(report))

    def _level_model(self, fit_codes, eval_codes, fit_rows, eval_rows):
        """The level model of 2026.2, refitted on the fit editions, as [(row, prediction)] pairs."""
        level = methodology_config.load("2026.2")
        features = [PREVIOUS, *level.indices]
        obs = observations(list(dict.fromkeys(fit_codes + eval_codes)), methodology=level)
        fitted = fitting.fit([o for o in obs if o.edition in fit_codes], features)
        by_key = {(o.country, o.edition): o for o in obs}

        def pairs(rows):
            out = []
            for r in rows:
                o = by_key.get((r.country, r.edition))
                value = fitting.predict(fitted["weights"], o) if o is not None else None
                if value is not None:
                    out.append((r, value))
            return out
        return pairs(eval_rows), pairs(fit_rows), {f: round(w, 4) for f, w in fitted["weights"].items()}

    def _notes(self, result, methodology, stored_fit, eval_codes):
        vintaged = [f"{r.code} ({r.vintage}, counted from {r.vintage_public_from})"
                    for r in methodology.indices.values() if r.vintage_public_from]
        notes = [
            f"{result['n_fit_transitions']} fit rows are transitions from a published score; "
            f"{result['n_fit_without_previous_score']} fit rows have only a published band before them: they "
            "enter the implied-level map (a level fit needs no previous score) but never the transition fit.",
            f"Hyper-parameters were chosen by cross-validation over {result['fold_grouping']} of the fit rows: "
            + ("each fit edition held out in turn." if result["fold_grouping"] == "editions" else
               "the fit editions hold a single transition edition with a published previous score, so "
               "leave-one-edition-out is impossible; fixed country folds of that edition stand in."),
            "Index vintages: only the vintage held in the reference data is used, and only from the date it was "
            "public: " + ", ".join(vintaged) + ". Earlier editions therefore have no V-Dem input (V-Dem v13 and "
            "v14 values of these variables are not in the data); its coefficient can only be fitted where v15 "
            "was public. Freedom House, RSF and PTS values are from their latest releases; those sources rarely "
            "revise past values (the FIW 2025 release changed one row, Eastern Donbas 2024).",
            "Partner and in-house analyses and live evidence are not public, so they are not in the fit.",
        ]
        if set(stored_fit) & set(eval_codes):
            notes.append("The stored version was fitted on an edition evaluated here: its row is in-sample.")
        return notes

    def _text(self, report):
        lines = [f"Methodology {report['methodology_version']}: fitted on {', '.join(report['fit'])}; "
                 f"evaluated on {', '.join(report['evaluate'])}."]
        c = report["chosen"]
        how = (f"loss {c['loss']}, drift {'fitted' if c['intercept'] else 'none'}, " if "loss" in c else "")
        repeats = f", {c['cv_repeats']} repeats" if c.get("cv_repeats") else ""
        up = f" (h_up={c['hysteresis_up']} above the band)" if c.get("hysteresis_up") is not None else ""
        lines.append(f"Chosen by cross-validation ({c['cv_grouping']}{repeats}): {how}mean reversion "
                     f"a={c['mean_reversion']}, penalty {c['penalty']}, hysteresis h={c['hysteresis']}{up}, "
                     f"interval multiplier {c['interval_multiplier']}")
        v = report["against_persistence"]
        lines.append("Against persistence: " + "; ".join(v["statements"]))
        for fold in report["folds"]["folds"]:
            lines.append(f"  fold {fold['held_out']:16} n {fold['n']:3}: mae {fold['mae']} (persistence "
                         f"{fold['persistence']['mae']}), band agreement {fold['band_agreement']} (persistence "
                         f"{fold['persistence']['band_agreement']}), false changes {fold['false_changes']}")
        for name, m in report["models"].items():
            lines.append(f"  {name:15} " + ", ".join(f"{k} {m.get(k)}" for k in KEYS))
        lines.append("Reliability (predicted band probability against observed frequency):")
        for b in report["reliability"]:
            lines.append(f"  {b['predicted']}: n {b['n']}, predicted {b['mean_predicted']}, observed {b['observed']}")
        return "\n".join(lines + [""] + [f"- {n}" for n in report["notes"]])


def _verdict(model, persistence):
    """Whether the model beats carrying the previous score forward, on each measure, said in words too."""
    error = model["mae"] < persistence["mae"]
    bands = model["band_agreement"] > persistence["band_agreement"]
    statements = [
        f"mean absolute error {model['mae']} against {persistence['mae']}: "
        + ("wins" if error else "LOSES"),
        f"band agreement {model['band_agreement']} against {persistence['band_agreement']} "
        f"({model['changes_caught']} real band changes caught, {model['false_changes']} false): "
        + ("wins" if bands else "does NOT win"),
    ]
    return {"wins_on_error": error, "wins_on_bands": bands, "statements": statements}


def _dump(data):
    return json.dumps(data, indent=2, ensure_ascii=False, default=lambda v: None if v == math.inf else str(v))
