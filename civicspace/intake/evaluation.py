"""Scoring the intake assistant on annotated texts (the format of shared/intake/ANNOTATION.md). Pure Python.

A folder holds pairs NAME.txt / NAME.json. NAME.txt starts with `Source: URL`, then optionally `date YYYY-MM-DD`
(a date known from outside the text), then the text.
"""
import datetime as dt
import json
import re
from pathlib import Path

from .engine import FIRSTLOOK_DIR, suggest

SET_SCORES = {"violation_f1": "violation_types", "victim_f1": "victims", "freedom_f1": "freedoms",
              "perpetrator_f1": "perpetrators"}


class AnnotationError(ValueError):
    pass


def parse_text_file(raw):
    """(source_url, source_date, text) from an annotated .txt file's content (Windows line ends and a byte-order
    mark are read as the form reads a pasted text)."""
    lines = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    source, date = "", None
    if lines and lines[0].startswith("Source:"):
        source = lines.pop(0)[len("Source:"):].strip()
    if lines and re.fullmatch(r"date \d{4}-\d{2}-\d{2}\s*", lines[0]):
        date = dt.date.fromisoformat(lines.pop(0).split()[1])
    return source, date, "\n".join(lines)


def read_folder(folder):
    folder = Path(folder)
    items = []
    for txt in sorted(folder.glob("*.txt")):
        ann_path = txt.with_suffix(".json")
        if not ann_path.exists():
            continue
        try:
            annotation = json.loads(ann_path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as exc:
            raise AnnotationError(f"{ann_path.name}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
        source, date, text = parse_text_file(txt.read_text(encoding="utf-8"))
        items.append({"name": txt.stem, "source": source, "date": date, "text": text, "annotation": annotation})
    if not items:
        raise AnnotationError(f"{folder}: no annotated text (NAME.txt with NAME.json) in this folder")
    return items


def codes(incidents, key):
    out = set()
    for inc in incidents:
        for value in inc.get(key) or []:
            out.add(value["type"] if isinstance(value, dict) else value)
    return out


def prediction_of(result):
    """The engine's suggestions in the annotation's shape."""
    return {
        "language": result["language"]["value"],
        "country_iso3": [c["code"] for c in result["countries"]],
        "published_date": result["published_date"]["value"],
        "incidents": [{k: inc[k] for k in ("date", "date_precision", "country_iso3", "freedoms",
                                           "violation_types", "victims", "perpetrators")}
                      for inc in result["incidents"]],
        "laws": [{"country_iso3": law["country_iso3"], "stage": law["stage"]} for law in result["laws"]],
    }


def _date_matches(annotated, suggested):
    """Annotated 'YYYY-MM' matches any suggested date in that month; 'YYYY-MM-DD' needs the day."""
    if suggested is None:
        return False
    return suggested[:len(annotated)] == annotated


def score_one(annotation, prediction):
    row = {
        "language_ok": annotation["language"] == prediction["language"],
        "country_ok": set(annotation["country_iso3"]) == set(prediction["country_iso3"]),
        "date_ok": annotation.get("published_date") == prediction["published_date"],
        "incident_count_error": abs(len(annotation["incidents"]) - len(prediction["incidents"])),
    }
    for score, key in SET_SCORES.items():
        gold, pred = codes(annotation["incidents"], key), codes(prediction["incidents"], key)
        row[score] = (len(gold & pred), len(pred), len(gold))
    gold_dates = [i["date"] for i in annotation["incidents"] if i.get("date")]
    sugg = [i["date"] for i in prediction["incidents"]]
    row["incident_dates"] = (sum(any(_date_matches(g, s) for s in sugg) for g in gold_dates), len(gold_dates))
    gold_laws = {(l["country_iso3"], l["stage"]) for l in annotation.get("laws", []) if l.get("stage")}
    pred_laws = {(l["country_iso3"], l["stage"]) for l in prediction["laws"] if l.get("stage")}
    row["law_stage_f1"] = (len(gold_laws & pred_laws), len(pred_laws), len(gold_laws))
    return row


def _f1(triples):
    tp = sum(t[0] for t in triples)
    npred = sum(t[1] for t in triples)
    ngold = sum(t[2] for t in triples)
    precision = tp / npred if npred else (1.0 if not ngold else 0.0)
    recall = tp / ngold if ngold else (1.0 if not npred else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(f1, 3), round(precision, 3), round(recall, 3)


def aggregate(rows):
    n = len(rows)
    out = {
        "texts": n,
        "language_accuracy": round(sum(r["language_ok"] for r in rows) / n, 3),
        "country_accuracy": round(sum(r["country_ok"] for r in rows) / n, 3),
        "published_date_accuracy": round(sum(r["date_ok"] for r in rows) / n, 3),
        "incident_count_mae": round(sum(r["incident_count_error"] for r in rows) / n, 3),
    }
    for score in (*SET_SCORES, "law_stage_f1"):
        f1, precision, recall = _f1([r[score] for r in rows])
        out[score] = f1
        out[score.replace("_f1", "_precision")] = precision
        out[score.replace("_f1", "_recall")] = recall
    hits = sum(r["incident_dates"][0] for r in rows)
    total = sum(r["incident_dates"][1] for r in rows)
    out["incident_date_accuracy"] = round(hits / total, 3) if total else None
    return out


def evaluate(items, *, params=None, details=False):
    rows = []
    for item in items:
        result = suggest(item["text"], source_date=item["date"], source_url=item["source"], params=params)
        prediction = prediction_of(result)
        row = score_one(item["annotation"], prediction)
        row["name"], row["lang"] = item["name"], item["annotation"]["language"]
        if details:
            row["prediction"] = prediction
        rows.append(row)
    report = {"overall": aggregate(rows), "per_language": {}}
    for lang in sorted({r["lang"] for r in rows}):
        report["per_language"][lang] = aggregate([r for r in rows if r["lang"] == lang])
    if details:
        report["texts"] = [{"name": r["name"], "country_ok": r["country_ok"], "date_ok": r["date_ok"],
                            "prediction": r["prediction"]} for r in rows]
    return report


PARAM_GRID = {
    "country_ratio": [0.3, 0.4, 0.5, 0.6, 0.7],
    "headline_weight": [1.0, 1.5, 2.0, 3.0],
    "adjective_weight": [0.5, 0.75, 1.0],
    "place_weight": [0.25, 0.5, 1.0],
}


def _objective(rows):
    agg = aggregate(rows)
    return agg["country_accuracy"]


def leave_one_out(items):
    """Choose the country parameters by leave-one-out: for each text, the grid point that does best on the others
    is scored on the held-out text. Returns the LOO accuracy and how often each grid point was chosen."""
    import itertools

    keys = list(PARAM_GRID)
    grid = [dict(zip(keys, values)) for values in itertools.product(*(PARAM_GRID[k] for k in keys))]
    # The country suggestion depends only on the text and the parameters: compute each text once per point.
    from .engine import detect_language, split_sentences, suggest_countries

    prepared = []
    for item in items:
        lang = detect_language(item["text"])[0]
        prepared.append((item, lang, split_sentences(item["text"])))
    ok = [[set(item["annotation"]["country_iso3"]) == {c["code"] for c in suggest_countries(
        item["text"], lang, sentences, params, source_url=item["source"])} for item, lang, sentences in prepared]
          for params in grid]
    held_out_hits, chosen = 0, {}
    for i in range(len(items)):
        best = max(range(len(grid)), key=lambda g: (sum(ok[g]) - ok[g][i], -g))
        held_out_hits += ok[best][i]
        key = json.dumps(grid[best], sort_keys=True)
        chosen[key] = chosen.get(key, 0) + 1
    full_best = max(range(len(grid)), key=lambda g: (sum(ok[g]), -g))
    return {"loo_country_accuracy": round(held_out_hits / len(items), 3),
            "chosen_per_fold": chosen, "best_on_all": grid[full_best],
            "best_on_all_accuracy": round(sum(ok[full_best]) / len(items), 3)}


# --- codes suggested but not pre-selected ----------------------------------------------------------------------
# firstlook/predictions.jsonl holds what earlier engines suggested for texts they had not seen (each blind batch
# scored before anyone read it). A code the assistant was right about less often than WEAK_CODE_GRID's chosen
# share there is offered to the partner as "also possible" instead of being pre-selected: in micro-F1 a suggestion
# that is right with probability p helps only when p is above about half the F1 itself.
WEAK_CODE_KEYS = ("violation_types", "victims")
WEAK_CODE_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
WEAK_CODE_MIN_SUGGESTED = 3  # a code suggested fewer times than this is never judged


def read_firstlook(path=None):
    path = Path(path) if path else FIRSTLOOK_DIR / "predictions.jsonl"
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise AnnotationError(f"{path.name}: line {number}: not valid JSON ({exc.msg})") from None
    return rows


def codes_right_less_than(rows, key, threshold, *, leave_out=None):
    """The codes of `key` suggested at least WEAK_CODE_MIN_SUGGESTED times in `rows` (but row `leave_out`) and
    right (in the text's annotated set) less than `threshold` of those times."""
    right, suggested = {}, {}
    for index, row in enumerate(rows):
        if index == leave_out:
            continue
        annotated = set(row[key]["annotated"])
        for code in row[key]["suggested"]:
            suggested[code] = suggested.get(code, 0) + 1
            right[code] = right.get(code, 0) + (code in annotated)
    return sorted(code for code, n in suggested.items()
                  if n >= WEAK_CODE_MIN_SUGGESTED and right[code] / n < threshold)


def _micro_f1(rows, key, withheld_of):
    tp = npred = ngold = 0
    for index, row in enumerate(rows):
        annotated = set(row[key]["annotated"])
        suggested = set(row[key]["suggested"]) - set(withheld_of(index))
        tp, npred, ngold = tp + len(annotated & suggested), npred + len(suggested), ngold + len(annotated)
    return round(2 * tp / (npred + ngold), 3) if npred + ngold else 1.0


def choose_weak_codes(rows):
    """Per vocabulary, the threshold whose leave-one-out micro-F1 is best (each text's withheld codes judged on
    the other texts alone; ties go to the lower threshold, i.e. fewer codes withheld), and the codes it
    withholds when judged on every row. Judged on each text's set of codes: the engine withholds a code from an
    incident only when the incident keeps another."""
    report = {}
    for key in WEAK_CODE_KEYS:
        folds = {t: _micro_f1(rows, key, lambda i, t=t: codes_right_less_than(rows, key, t, leave_out=i))
                 for t in WEAK_CODE_GRID}
        best = max(WEAK_CODE_GRID, key=lambda t: (folds[t], -t))
        report[key] = {"threshold": best, "codes": codes_right_less_than(rows, key, best),
                       "leave_one_out_f1": {str(t): f1 for t, f1 in folds.items()}}
    return report
