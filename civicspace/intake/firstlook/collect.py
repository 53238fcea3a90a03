"""Append the suggestions an older engine made for texts it had not seen to predictions.jsonl (see README.md).

    git worktree add --detach /tmp/engine-COMMIT COMMIT
    PYTHONPATH=/tmp/engine-COMMIT python civicspace/intake/firstlook/collect.py BATCH COMMIT DIR NAME...

DIR holds the annotated texts (NAME.txt / NAME.json); the engine and its lexicons come from PYTHONPATH, so the
suggestions are those the engine of COMMIT made. Run from the repository's root."""
import inspect
import json
import sys
from pathlib import Path

import civicspace.intake.evaluation as evaluation
from civicspace.intake.engine import suggest

KEYS = ("violation_types", "victims", "perpetrators")


def main(batch, commit, folder, *names):
    folder = Path(folder)
    path = Path(__file__).with_name("predictions.jsonl")
    known = {json.loads(line)["name"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    if known & set(names):
        sys.exit(f"already in {path.name} (first looks are collected once): {', '.join(sorted(known & set(names)))}")
    items = {item["name"]: item for item in evaluation.read_folder(folder)}
    missing = sorted(set(names) - set(items))
    if missing:
        sys.exit(f"not annotated in {folder} (NAME.txt with NAME.json): {', '.join(missing)}")
    with open(path, "a", encoding="utf-8") as out:
        for name in names:
            item = items[name]
            text, date, source, annotation = item["text"], item["date"], item["source"], item["annotation"]
            # Every code the rules suggest, including those a later engine offers only as "also possible":
            # the weak codes are chosen from these (engines before the weak codes ignore the parameter).
            # Engines before the source address was read take no source_url.
            extra = {"source_url": source} if "source_url" in inspect.signature(suggest).parameters else {}
            prediction = evaluation.prediction_of(suggest(text, source_date=date, **extra,
                                                          params={"withhold_weak_codes": False}))
            row = {"name": name, "batch": batch, "engine": commit}
            for key in KEYS:
                row[key] = {"annotated": sorted(evaluation.codes(annotation["incidents"], key)),
                            "suggested": sorted(evaluation.codes(prediction["incidents"], key))}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
