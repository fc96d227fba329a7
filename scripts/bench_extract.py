"""Extraction speed on page text, per process: rule layer alone and rules + entity model.

    .venv/bin/python scripts/bench_extract.py [--docs 40] [--seed 31] [--runs 3]

Page texts of synthetic RAP sheets and dockets (drawn in memory, no files, no OCR) are run
through `extract_text` (normalise, route, parse, calibrate) in this one process; the
median over `--runs` runs is reported as pages/s, beside normalisation alone as a
baseline measured in the same run. Target: >= 20 pages/s per process. The model is forced
onto every page here (in use it runs only on OCR'd documents), so "rules + model" is its
worst case. Rates are per second of this process's CPU time, so other load on the machine
does not skew them.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docmine.extract import extract_text  # noqa: E402
from docmine.doctext import DocText  # noqa: E402
from docmine.normalize import normalize  # noqa: E402
from docmine.synth.corpus import text_document  # noqa: E402

KINDS = (("rap_sheet", "rap"), ("rap_sheet", "rap"), ("docket", "table"), ("docket", "minute"), ("docket", "mixed"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rules-only", action="store_true")
    args = parser.parse_args()
    texts = []
    for i in range(args.docs):
        doc_type, layout = KINDS[i % len(KINDS)]
        texts.append(text_document(doc_type, layout, args.seed * 10_007 + i).texts)
    pages = sum(len(t) for t in texts)
    nlp = None
    if not args.rules_only:
        from docmine.nlp import load_model

        nlp = load_model()

    def run(model) -> float:
        started = time.process_time()
        for i, page_texts in enumerate(texts):
            doc = DocText.from_texts(f"bench-{i}", hashlib.sha256(str(i).encode()).hexdigest(), page_texts)
            extract_text(doc, nlp=model, model_on_text_layers=model is not None)
        return pages / (time.process_time() - started)

    def baseline() -> float:
        started = time.process_time()
        for page_texts in texts:
            for text in page_texts:
                normalize(text)
        return pages / (time.process_time() - started)

    results = {"normalise only": [], "rules": [], "rules + model": []}
    for _ in range(args.runs):
        results["normalise only"].append(baseline())
        results["rules"].append(run(None))
        if nlp is not None:
            results["rules + model"].append(run(nlp))
    print(f"{args.docs} documents, {pages} pages, median of {args.runs} runs, one process")
    for name, values in results.items():
        if values:
            print(f"  {name:15s} {statistics.median(values):8.1f} pages/s")


if __name__ == "__main__":
    main()
