"""Train the shipped entity model, reproducibly: models/docmine-ner.

    OMP_NUM_THREADS=1 nice .venv/bin/python scripts/train_model.py \
        [--out models/docmine-ner] [--seed 0] [--docs 600] [--max-steps 2400] \
        [--ocr-dir DIR --ocr-truth DIR]

Same as `docmine train` with these defaults. Data: the train split of 600 synthetic
documents drawn from seed 0 (each page clean and twice OCR-damaged), `annotations/*.jsonl`,
and, when given, real OCR pages of train-split heavy scans with gold projected by alignment.
The shipped model used `--ocr-dir` = Tesseract output (docmine.ingest.load, pickled
Documents) of 23 train documents of `docmine synth --n 150 --seed 777 --noise heavy`
(the first 10 RAP sheets, 5 table and 5 minute dockets and 1 of each other layout in
manifest order; 45 pages) and `--ocr-truth` = that corpus's truth/ folder.
Writes training.json (time, pages, dev scores) beside the model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from docmine.nlp.train import train  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="models/docmine-ner")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--max-steps", type=int, default=2400)
    ap.add_argument("--annotations", default="annotations")
    ap.add_argument("--ocr-dir", default=None)
    ap.add_argument("--ocr-truth", default=None)
    args = ap.parse_args(argv)
    annotations = args.annotations if Path(args.annotations).is_dir() else None
    result = train(
        args.out, seed=args.seed, n_docs=args.docs, annotations=annotations, ocr_dir=args.ocr_dir,
        ocr_truth=args.ocr_truth, max_steps=args.max_steps,
    )  # fmt: skip
    info = {
        "seconds": round(result.seconds, 1),
        "train_pages": result.train_pages,
        "dev_pages": result.dev_pages,
        "spans_lost_to_tokenization": result.lost_spans,
        "seed": args.seed,
        "docs": args.docs,
        "max_steps": args.max_steps,
        "ocr_pages": bool(args.ocr_dir),
        "dev_scores": {k: v for k, v in result.scores.items() if k in ("ents_f", "ents_p", "ents_r")},
    }
    (Path(args.out) / "training.json").write_text(json.dumps(info, indent=1) + "\n", "utf-8")
    print(json.dumps(info, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
