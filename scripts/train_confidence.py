"""Fit the count-confidence calibration and write models/confidence.json.

    .venv/bin/python scripts/train_confidence.py [--corpus /tmp/docmine-calib] [--n 150] [--seed 777]
                                                 [--noise heavy] [--extra OTHER_CORPUS ...]
                                                 [--target 0.99] [--out models/confidence.json]

On a synthetic corpus (written if missing; its scans OCR'd once and cached), every
document is extracted from its text layer and from its OCR'd scan, with the rule layer
alone and with the entity model; each extracted count is paired with its gold count and
labelled right when every key field (`docmine.extract.evaluate.KEY_FIELDS`) matches (an
extracted count with no gold partner is wrong). Gradient-boosted trees over
`docmine.extract.confidence.FEATURES` are fitted to those labels and exported as plain
numbers. `review_below` is the lowest threshold at which, on the OCR'd counts of
`--threshold-noise` scans kept
(cross-validated confidence at or above it, folds by document), each trusted field
(`TRUSTED_FIELDS`: the issue's list) on its own reaches `--target` accuracy. The documents
used here must not be the ones extraction is scored on.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
import json
import sys
import time
import zlib
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold, cross_val_predict

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _corpus import documents, ensure_corpus, gold_counts  # noqa: E402

from docmine.contract import count_to_dict  # noqa: E402
from docmine.extract import extract_text  # noqa: E402
from docmine.extract.confidence import FEATURES, Calibrator, Tree, count_features, failed_hard_check  # noqa: E402
from docmine.extract.evaluate import KEY_FIELDS, charge_family, pair, value_of  # noqa: E402
from docmine.doctext import DocText  # noqa: E402

TRUSTED_FIELDS = ("attempted", "severity", "disposition", "disposition_date", "event_date", "case_number")
NO_CALIBRATION = Calibrator(tuple(0.0 for _ in FEATURES), 0.0)


def rows(folder: Path, nlp) -> tuple[list[list[float]], list[list[int]]]:
    """Features of every extracted count, and per count whether each key field is right
    (`KEY_FIELDS`, in order), whether it is a marijuana count, whether it came from OCR, and
    its document (a number, for folds that keep a document's counts together)."""
    features, labels = [], []
    for source in ("textlayer", "ocr"):
        for entry, document in documents(folder, source):
            if entry["doc_type"] == "other":
                continue
            gold = gold_counts(folder, entry)
            group = zlib.crc32(f"{folder.resolve()}/{entry['stem']}".encode())
            doc = DocText.from_document(document, name=entry["stem"])
            for model in [None, nlp] if nlp is not None else [None]:
                result = extract_text(doc, nlp=model, calibrator=NO_CALIBRATION)
                entities = None
                # As extract_text does: the model runs on OCR'd documents only.
                if model is not None and source == "ocr":
                    from docmine.nlp import entities as model_entities

                    entities = model_entities(model, doc)
                predicted = {id(c): c for c in result.counts}
                as_dicts = [dict(count_to_dict(c), _id=id(c)) for c in result.counts]
                as_dicts_by_id = {d["_id"]: d for d in as_dicts}
                pairs, _, lone = pair(gold, as_dicts)
                right = {p["_id"]: [int(value_of(g, f) == value_of(p, f)) for f in KEY_FIELDS] for g, p in pairs}
                for p in lone:
                    right[p["_id"]] = [0] * len(KEY_FIELDS)
                for key, fields_right in right.items():
                    f = count_features(predicted[key], doc, entities)
                    features.append([f[name] for name in FEATURES])
                    marijuana = charge_family(value_of(as_dicts_by_id[key], "charge")) == "marijuana"
                    labels.append(fields_right + [int(marijuana), int(source == "ocr"), group])
    return features, labels


def new_model() -> HistGradientBoostingClassifier:
    # Fixed size and no early stopping: the same rows give the same trees.
    return HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.05, max_leaf_nodes=15, early_stopping=False, random_state=0
    )


def to_calibrator(model: HistGradientBoostingClassifier) -> Calibrator:
    """The fitted trees as plain numbers (`docmine.extract.confidence.Tree`)."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append(
            Tree(
                tuple(int(v) for v in nodes["feature_idx"]),
                tuple(float(v) for v in nodes["num_threshold"]),
                tuple(int(v) for v in nodes["left"]),
                tuple(int(v) for v in nodes["right"]),
                tuple(float(v) for v in nodes["value"]),
                tuple(bool(v) for v in nodes["is_leaf"]),
            )
        )
    return Calibrator((), float(model._baseline_prediction.ravel()[0]), trees=tuple(trees))


def _describe(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text())
    return {"seed": manifest["seed"], "documents": manifest["n"], "noise": manifest["noise"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/docmine-calib"))
    parser.add_argument("--n", type=int, default=150)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument(
        "--noise", default="heavy", choices=["light", "heavy"], help="Scan noise of a corpus written by this run."
    )
    parser.add_argument(
        "--extra",
        type=Path,
        nargs="*",
        default=[],
        help="More corpora (folders `docmine synth` wrote, e.g. another noise level) to fit on.",
    )
    parser.add_argument(
        "--target", type=float, default=0.99, help="Accuracy each key field must reach on the OCR'd counts not flagged."
    )
    parser.add_argument(
        "--threshold-noise",
        default="light",
        choices=["light", "heavy"],
        help="Scans whose counts choose the threshold: light (photocopy-grade, the issue's target).",
    )
    parser.add_argument("--no-model", action="store_true", help="Fit on the rule layer alone.")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "models" / "confidence.json")
    args = parser.parse_args()
    started = time.perf_counter()
    ensure_corpus(args.corpus, args.n, args.seed, noise=args.noise)
    nlp = None
    if not args.no_model:
        from docmine.nlp import load_model

        nlp = load_model()
    x, y, noise = [], [], []
    for folder in (args.corpus, *args.extra):
        more_x, more_y = rows(folder, nlp)
        x, y = x + more_x, y + more_y
        noise += [_describe(folder)["noise"]] * len(more_y)
    x, table, noise = np.asarray(x), np.asarray(y), np.asarray(noise)
    fields, marijuana, ocr = table[:, :-3], table[:, -3].astype(bool), table[:, -2].astype(bool)
    groups = table[:, -1]
    y = fields.min(axis=1)  # every key field right
    # The fields the issue asks to be trusted on counts not flagged (the charge is scored by F1).
    trusted = [i for i, name in enumerate(KEY_FIELDS) if name in TRUSTED_FIELDS]
    model = new_model()
    model.fit(x, y)
    calibrator = to_calibrator(model)
    check = np.array([calibrator.raw(dict(zip(FEATURES, row))) for row in x[:500]])
    assert np.allclose(check, model.decision_function(x[:500]), atol=1e-6), "exported trees disagree with scikit-learn"
    # The threshold is chosen on probabilities from models that did not see the document
    # (5 folds by document), on OCR'd marijuana counts alone (text layers are right and would
    # flatter it): the lowest at which each trusted field, on its own, is right on
    # `--target` of the counts kept.
    p = cross_val_predict(new_model(), x, y, groups=groups, cv=GroupKFold(n_splits=5), method="predict_proba")[:, 1]
    # All counts, not only marijuana ones: the stricter reading of the measure.
    chosen = ocr & (noise == args.threshold_noise)
    # Counts failing a hard check are reviewed whatever their probability (`calibrate`).
    hard = np.array([failed_hard_check(dict(zip(FEATURES, row))) for row in x])
    review_below = 0.99
    for threshold in sorted(set(np.round(p[chosen], 4))):
        kept = chosen & (p >= threshold) & ~hard
        if kept.any() and fields[kept][:, trusted].mean(axis=0).min() >= args.target:
            review_below = float(threshold)
            break
    kept = (p >= review_below) & ~hard
    kept_ocr = kept & chosen
    chosen_marijuana = chosen & marijuana
    data = {
        "about": "docmine count confidence: gradient-boosted trees over features; scripts/train_confidence.py",
        "trained_on": {
            "corpus_seed": args.seed,
            "documents": args.n,
            "noise": args.noise,
            "extra": [_describe(e) for e in args.extra],
            "counts": int(len(y)),
            "right": int(y.sum()),
            "model": nlp is not None,
        },
        "features": list(FEATURES),
        "baseline": calibrator.intercept,
        "review_below": review_below,
        "threshold_noise": args.threshold_noise,
        "fit": {
            "cross_validated": True,
            "kept_accuracy": round(float(y[kept].mean()), 4) if kept.any() else None,
            "flagged_share": round(float(1 - kept.mean()), 4),
            "ocr_marijuana_flagged_share_" + args.threshold_noise: round(
                float(1 - (kept & chosen_marijuana).sum() / max(chosen_marijuana.sum(), 1)), 4
            ),
            "ocr_kept_field_accuracy_" + args.threshold_noise: {
                f: round(float(a), 4) for f, a in zip(KEY_FIELDS, fields[kept_ocr].mean(axis=0))
            }
            if kept_ocr.any()
            else None,
            "brier": round(float(np.mean((p - y) ** 2)), 5),
        },
        "trees": [asdict(tree) for tree in calibrator.trees],
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n")
    print(json.dumps({k: data[k] for k in ("trained_on", "review_below", "fit")}, indent=1))
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
