"""Train the document router (RAP sheet / docket / other) and write models/router.json.

    .venv/bin/python scripts/train_router.py [--n 900] [--seed 1] [--out models/router.json]
                                             [--eval CORPUS_DIR]

Training papers are drawn with `docmine.synth.corpus.text_document` from every layout
except the held-out `mixed` docket, half of them with OCR-like character noise. With
`--eval DIR` (a `docmine synth` corpus) it prints routing accuracy per layout on the
corpus's text-layer PDFs and, when an OCR cache is there, on its OCR'd scans.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docmine.confusions import MISREADS  # noqa: E402
from docmine.extract.route import Router, tokens  # noqa: E402
from docmine.synth import docket as synth_docket  # noqa: E402
from docmine.synth import other as synth_other  # noqa: E402
from docmine.synth.corpus import text_document  # noqa: E402

TRAIN_LAYOUTS = (
    [("rap_sheet", "rap")]
    + [("docket", l) for l in synth_docket.LAYOUTS if l != "mixed"]
    + [("other", l) for l in synth_other.LAYOUTS]
)
_CONFUSIONS = {printed: misread[0] for printed, misread in MISREADS.items()}  # the likeliest misread


def ocr_noise(text: str, rng: random.Random, rate: float) -> str:
    """Character confusions, drops and stray marks at `rate` per character."""
    out = []
    for ch in text:
        r = rng.random()
        if ch.strip() and r < rate:
            choice = rng.random()
            if choice < 0.5:
                out.append(_CONFUSIONS.get(ch, ch))
            elif choice < 0.75:
                continue
            else:
                out.append(ch + rng.choice("'.,:;-~"))
        else:
            out.append(ch)
    return "".join(out)


def training_set(n: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        doc_type, layout = TRAIN_LAYOUTS[i % len(TRAIN_LAYOUTS)]
        doc = text_document(doc_type, layout, seed * 1_000_003 + i)
        text = "\n".join(doc.texts[:2])
        if i % 2:
            text = ocr_noise(text, rng, rng.uniform(0.02, 0.15))
        texts.append(text)
        labels.append(doc_type)
    return texts, labels


def train(n: int, seed: int) -> dict:
    texts, labels = training_set(n, seed)
    vectorizer = TfidfVectorizer(
        tokenizer=tokens, lowercase=False, token_pattern=None, sublinear_tf=True, min_df=3, max_features=3000
    )
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=10.0, max_iter=2000)
    model.fit(matrix, labels)
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # store both rows so the softmax reader works unchanged
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    vocabulary = {token: int(index) for token, index in sorted(vectorizer.vocabulary_.items())}
    return {
        "about": "docmine document router: TF-IDF (sublinear) + logistic regression; scripts/train_router.py",
        "trained_on": {"documents": n, "seed": seed, "layouts": [f"{t}/{l}" for t, l in TRAIN_LAYOUTS]},
        "classes": [str(c) for c in model.classes_],
        "vocabulary": vocabulary,
        "idf": [round(float(x), 6) for x in vectorizer.idf_],
        "coef": [[round(float(x), 6) for x in row] for row in coef],
        "intercept": [round(float(x), 6) for x in intercept],
    }


def evaluate(router: Router, corpus: Path) -> None:
    import pickle
    from collections import Counter, defaultdict

    manifest = json.loads((corpus / "manifest.json").read_text())
    for source in ("textlayer", "ocr"):
        folder = corpus / source
        if not folder.is_dir():
            continue
        totals: dict[str, Counter] = defaultdict(Counter)
        for entry in manifest["documents"]:
            cached = folder / f"{entry['stem']}.pkl"
            if not cached.exists():
                continue
            document = pickle.loads(cached.read_bytes())
            routed = router.route([p.text for p in document.pages])
            key = f"{entry['doc_type']}/{entry['layout']}"
            totals[key]["n"] += 1
            totals[key]["ok"] += routed.doc_type.value == entry["doc_type"]
        right = sum(c["ok"] for c in totals.values())
        total = sum(c["n"] for c in totals.values())
        print(f"{source}: {right}/{total} routed right")
        for key, c in sorted(totals.items()):
            print(f"  {key:28s} {c['ok']}/{c['n']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=900)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "models" / "router.json")
    parser.add_argument("--eval", type=Path, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    data = train(args.n, args.seed)
    args.out.write_text(json.dumps(data, sort_keys=True) + "\n")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB) in {time.perf_counter() - started:.1f} s")
    if args.eval:
        evaluate(Router.load(args.out), args.eval)


if __name__ == "__main__":
    main()
