"""Build the shipped gold entity set `annotations/gold/`: OCR text of synthetic scans,
labelled by aligning the generator's truth onto what Tesseract read.

    nice .venv/bin/python scripts/build_gold_annotations.py [--work /tmp/docmine-gold] [--out annotations/gold]
    nice .venv/bin/python scripts/build_gold_annotations.py --audit 30 > audit.txt   # pages to read by eye

Corpora (seeds no other model or evaluation uses: the shipped model trained on seed 0 and
the seed-777 scans, it was evaluated on seeds 2024 and 777, extraction on 9001):

* `docmine synth --n 150 --seed 4242 --noise heavy` (scanned PDFs)
* `docmine synth --n 50 --seed 4343 --noise light`

Each scanned PDF is read by `docmine.ingest.load` (cached as pickles under `--work`, so a
second run only re-aligns). Every page's truth spans are projected onto the OCR page text
by `docmine.nlp.align.project_spans` (spans whose characters OCR destroyed are dropped, not
guessed). Pages are split by document (never a document across splits) with a keyed hash
of the corpus seed and stem: about 60% train, 20% dev, 20% test. Writes
`{train,dev,test}.jsonl` (one page per line: id, text, spans, meta), `{split}.spacy`
(DocBin over the normalised text, as the model reads it) and `stats.json`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CORPORA = ((4242, 150, "heavy"), (4343, 50, "light"))


def ensure_corpus(folder: Path, n: int, seed: int, noise: str) -> dict:
    from docmine.synth.corpus import generate

    if not (folder / "manifest.json").exists():
        generate(n, seed, folder, noise=noise, formats=("pdf", "scan_pdf"), workers=2)
    return json.loads((folder / "manifest.json").read_text("utf-8"))


def ocr_document(folder: Path, entry: dict):
    from docmine.ingest import load

    cache = folder / "ocr" / f"{entry['stem']}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    cache.parent.mkdir(exist_ok=True)
    document = load(folder / entry["files"]["scan_pdf"], workers=1)
    cache.write_bytes(pickle.dumps(document))
    return document


def split_of(seed: int, stem: str) -> str:
    r = int.from_bytes(hashlib.sha256(f"gold:{seed}:{stem}".encode()).digest()[:8], "big") / 2**64
    return "train" if r < 0.6 else ("dev" if r < 0.8 else "test")


def gold_pages(work: Path):
    """(split, record) for every readable OCR page of both corpora, in a fixed order."""
    from docmine.nlp.align import project_spans

    for seed, n, noise in CORPORA:
        folder = work / f"seed{seed}-{noise}"
        manifest = ensure_corpus(folder, n, seed, noise)
        for entry in manifest["documents"]:
            document = ocr_document(folder, entry)
            truth = json.loads((folder / entry["files"]["pages"]).read_text("utf-8"))
            for page, gold in zip(document.pages, truth["pages"]):
                if page.error or not page.text.strip():
                    continue
                spans = project_spans(
                    gold["text"], page.text, [(s["start"], s["end"], s["label"]) for s in gold["spans"]]
                )
                record = {
                    "id": f"s{seed}-{entry['stem']}-p{page.number}",
                    "text": page.text,
                    "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
                    "meta": {
                        "source": "synthetic-ocr",
                        "seed": seed,
                        "noise": noise,
                        "stem": entry["stem"],
                        "page": page.number,
                        "doc_type": entry["doc_type"],
                        "layout": entry["layout"],
                        "truth_spans": len(gold["spans"]),
                        "projected_spans": len(spans),
                    },
                }
                yield split_of(seed, entry["stem"]), record


def build(work: Path, out: Path) -> dict:
    from docmine.annotate.gold import write_docbin, write_jsonl

    by_split: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    for split, record in gold_pages(work):
        by_split[split].append(record)
    out.mkdir(parents=True, exist_ok=True)
    stats = {}
    for split, records in by_split.items():
        write_jsonl(out / f"{split}.jsonl", records)
        write_docbin(out / f"{split}.spacy", records)
        stats[split] = {
            "pages": len(records),
            "documents": len({r["meta"]["stem"] + str(r["meta"]["seed"]) for r in records}),
            "spans": sum(len(r["spans"]) for r in records),
            "truth_spans": sum(r["meta"]["truth_spans"] for r in records),
        }
    (out / "stats.json").write_text(json.dumps(stats, indent=1, sort_keys=True) + "\n", "utf-8")
    return stats


def audit(out: Path, n: int, seed: int = 1) -> None:
    """Print `n` pages drawn from all splits with their spans marked `[[text|LABEL]]`."""
    import random

    records = []
    for split in ("train", "dev", "test"):
        path = out / f"{split}.jsonl"
        records += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    for record in random.Random(seed).sample(records, n):
        text, pieces, at = record["text"], [], 0
        for s in sorted(record["spans"], key=lambda s: s["start"]):
            pieces += [text[at : s["start"]], f"[[{text[s['start'] : s['end']]}|{s['label']}]]"]
            at = s["end"]
        pieces.append(text[at:])
        meta = record["meta"]
        print(
            f"===== {record['id']} ({meta['doc_type']}/{meta['layout']}, {meta['noise']}) "
            f"spans {meta['projected_spans']}/{meta['truth_spans']}"
        )
        print("".join(pieces))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", default="/tmp/docmine-gold", help="scratch folder: corpora and OCR cache")
    ap.add_argument("--out", default="annotations/gold")
    ap.add_argument("--audit", type=int, default=0, help="print N pages with spans marked instead of building")
    ap.add_argument("--ocr-only", action="store_true", help="only fill the OCR cache")
    args = ap.parse_args(argv)
    if args.audit:
        audit(Path(args.out), args.audit)
        return 0
    work = Path(args.work)
    if args.ocr_only:
        for seed, n, noise in CORPORA:
            folder = work / f"seed{seed}-{noise}"
            for i, entry in enumerate(ensure_corpus(folder, n, seed, noise)["documents"]):
                ocr_document(folder, entry)
                print(seed, i, entry["stem"], flush=True)
        return 0
    print(json.dumps(build(work, Path(args.out)), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
