"""Measure extraction against ground truth: rules alone vs rules + entity model, text layer vs OCR.

    .venv/bin/python scripts/eval_extract.py [--corpus /tmp/docmine-heldout] [--n 60] [--seed 9001]
                                             [--noise heavy|light] [--sources textlayer ocr] [--json results.json]

The corpus (written if missing: `docmine synth` with `--noise` scan noise, a seed the model
and the calibration never saw) is read from its text-layer PDFs and, through Tesseract,
from its scans (cached after the first run). Every RAP sheet and docket is
extracted with the rule layer alone and with rules + the shipped entity model, and scored
with `docmine.extract.evaluate`: marijuana-charge F1, per-field accuracy on every paired
count and on counts not flagged for review, the review rate, look-alikes read as
marijuana, and the same per docket layout (`mixed` is never used in training).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _corpus import documents, ensure_corpus, gold_counts  # noqa: E402

from docmine.contract import count_to_dict  # noqa: E402
from docmine.extract import extract  # noqa: E402
from docmine.extract.confidence import DEFAULT_REVIEW_BELOW, default_calibrator  # noqa: E402
from docmine.extract.evaluate import KEY_FIELDS, score  # noqa: E402

SHOWN_FIELDS = KEY_FIELDS + (
    "arrest_date",
    "offense_date",
    "court",
    "county",
    "sentence",
    "updates",
    "person.name",
    "person.dob",
    "person.cii",
)


def summarise(report) -> dict:
    d = report.as_dict()
    mj = d["families"].get("marijuana", {})
    return {
        "gold": d["gold_counts"],
        "predicted": d["predicted_counts"],
        "paired": d["paired"],
        "marijuana_f1": mj.get("f1"),
        "marijuana_p": mj.get("precision"),
        "marijuana_r": mj.get("recall"),
        "all_families_f1": {k: v["f1"] for k, v in d["families"].items()},
        "fields": {k: d["fields"][k]["accuracy"] for k in SHOWN_FIELDS if k in d["fields"]},
        "fields_trusted": {k: d["fields_trusted"][k]["accuracy"] for k in SHOWN_FIELDS if k in d["fields_trusted"]},
        "fields_marijuana_trusted": {
            k: d["fields_marijuana_trusted"][k]["accuracy"] for k in SHOWN_FIELDS if k in d["fields_marijuana_trusted"]
        },
        "review_rate": d["review_rate"],
        "look_alikes_as_marijuana": d["look_alikes_as_marijuana"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/docmine-heldout"))
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=9001)
    parser.add_argument(
        "--noise",
        default="heavy",
        choices=["light", "heavy"],
        help="Scan noise of a corpus written by this run (a corpus already there keeps its own).",
    )
    parser.add_argument("--sources", nargs="+", default=["textlayer", "ocr"])
    parser.add_argument("--modes", nargs="+", default=["rules", "rules+model"])
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--errors", type=int, default=0, help="Print this many field errors per run.")
    args = parser.parse_args()
    manifest = ensure_corpus(args.corpus, args.n, args.seed, noise=args.noise)
    nlp = None
    if "rules+model" in args.modes:
        from docmine.nlp import load_model

        nlp = load_model()
    calibrator = default_calibrator()
    review_below = calibrator.review_below if calibrator else DEFAULT_REVIEW_BELOW
    results: dict = {"corpus": {"seed": args.seed, "n": args.n, "noise": manifest["noise"]}, "runs": {}}
    for source in args.sources:
        loaded = [(e, d) for e, d in documents(args.corpus, source) if e["doc_type"] in ("rap_sheet", "docket")]
        for mode in args.modes:
            gold, predicted = [], []
            by_layout: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
            pages = 0
            started = time.perf_counter()
            for entry, document in loaded:
                # `extract`: what docmine check and batch run (the second look where counts are worth it)
                result = extract(document, name=entry["stem"], nlp=nlp if mode == "rules+model" else None)
                g = gold_counts(args.corpus, entry)
                p = [count_to_dict(c) for c in result.counts]
                gold += g
                predicted += p
                by_layout[entry["layout"]][0].extend(g)
                by_layout[entry["layout"]][1].extend(p)
                pages += len(document.pages)
            seconds = time.perf_counter() - started
            report = score(gold, predicted, review_threshold=review_below)
            run = summarise(report)
            run["pages"] = pages
            run["pages_per_second"] = round(pages / seconds, 1)
            run["layouts"] = {
                layout: summarise(score(g, p, review_threshold=review_below))
                for layout, (g, p) in sorted(by_layout.items())
            }
            results["runs"][f"{source}/{mode}"] = run
            print(f"\n== {source} / {mode}: {len(loaded)} documents, {pages} pages, {run['pages_per_second']} pages/s")
            print(
                f"marijuana F1 {run['marijuana_f1']} (P {run['marijuana_p']} R {run['marijuana_r']}); "
                f"review rate {run['review_rate']}; look-alikes as marijuana {run['look_alikes_as_marijuana']}; "
                f"gold {run['gold']} predicted {run['predicted']} paired {run['paired']}"
            )
            for name in SHOWN_FIELDS:
                print(
                    f"  {name:18s} all {run['fields'].get(name)}  not flagged {run['fields_trusted'].get(name)}"
                    f"  marijuana not flagged {run['fields_marijuana_trusted'].get(name)}"
                )
            for layout, sub in run["layouts"].items():
                print(
                    f"  layout {layout:8s} marijuana F1 {sub['marijuana_f1']} review {sub['review_rate']} "
                    f"disposition {sub['fields'].get('disposition')} sentence {sub['fields'].get('sentence')} "
                    f"updates {sub['fields'].get('updates')}"
                )
            for error in report.errors[: args.errors]:
                print("   ", error)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
