"""Evaluate the entity model: pattern rules alone vs rules + NER, per label, and its speed.

    .venv/bin/python scripts/eval_model.py [--model DIR] [--seed 2024] [--n 300]
        [--ocr /tmp/eval/corpus] [--out report.md] [--scores models/docmine-ner/scores.json]

Sets (none used in training):
  clean    the exact page text of the dev and test documents of a synthetic corpus drawn
           in memory (`--seed`, `--n`; `mixed` dockets are always test);
  ocr      Tesseract's text of heavy-noise scans (pickled Documents in `OCR/ocr/*.pkl`, dev
           and test split), gold spans projected onto it by character alignment;
  entries  the dated free-text docket entries (proceedings paragraphs) of the clean set's
           dockets, all and `mixed` only, and of the OCR set's dockets.
Speed: `entities()` over the clean set's pages, pages per second, one process.
`--scores` writes the measured per-label precision (OCR set) that `entities()` uses as score.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

from docmine.doctext import DocText
from docmine.nlp import align
from docmine.nlp.evaluate import Tally, entry_regions, format_table, gold_on_normalized, gold_on_ocr, page_predictions
from docmine.nlp.evaluate import within
from docmine.nlp.model import entities, load_model
from docmine.nlp.train import synthetic_pages  # noqa: F401  (documents the data source)


def clean_documents(n: int, seed: int):
    from docmine.synth.corpus import derive_seed, plan, split_for, text_document

    for index, (doc_type, layout) in enumerate(plan(n, seed), start=1):
        if split_for(seed, index, layout) == "train":
            continue
        doc = text_document(doc_type, layout, derive_seed(seed, "doc", index))
        spans = [[(s["start"], s["end"], s["label"]) for s in page] for page in doc.spans]
        yield f"doc-{index:05d}", doc_type, layout, doc.texts, spans


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--ocr", default="/tmp/eval/corpus")
    ap.add_argument("--out", default=None)
    ap.add_argument("--scores", default=None)
    args = ap.parse_args(argv)
    nlp = load_model(args.model)

    tallies = {
        name: {"rules": Tally(), "rules+NER": Tally()}
        for name in ("clean", "ocr", "entries_clean", "entries_clean_mixed", "entries_ocr")
    }
    source_tally = {"rules": Tally(), "model": Tally()}
    pages = 0
    texts_for_speed = []
    for _stem, doc_type, layout, texts, spans in clean_documents(args.n, args.seed):
        doc = DocText.from_texts("x", "0" * 64, texts)
        gold = gold_on_normalized(doc, spans)
        texts_for_speed.append(doc)
        for mode, rules_only in (("rules", True), ("rules+NER", False)):
            predicted = page_predictions(nlp, doc, rules_only=rules_only)
            for page, g, p in zip(doc.pages, gold, predicted):
                tallies["clean"][mode].add(g, p)
                if doc_type == "docket":
                    regions = entry_regions(page.normalized.text)
                    tallies["entries_clean"][mode].add(within(g, regions), within(p, regions))
                    if layout == "mixed":
                        tallies["entries_clean_mixed"][mode].add(within(g, regions), within(p, regions))
        pages += len(texts)

    ocr_root = Path(args.ocr)
    manifest = (
        json.loads((ocr_root / "manifest.json").read_text())
        if (ocr_root / "manifest.json").is_file()
        else {"documents": []}
    )
    ocr_docs = 0
    for entry in manifest["documents"]:
        path = ocr_root / "ocr" / f"{entry['stem']}.pkl"
        if entry["split"] not in ("dev", "test") or not path.is_file():
            continue
        with path.open("rb") as f:
            document = pickle.load(f)
        truth = json.loads((ocr_root / "truth" / f"{entry['stem']}.pages.json").read_text())
        truth_texts = [p["text"] for p in truth["pages"]]
        truth_spans = [[(s["start"], s["end"], s["label"]) for s in p["spans"]] for p in truth["pages"]]
        doc = DocText.from_document(document)
        if len(doc.pages) != len(truth_texts):
            continue
        ocr_docs += 1
        gold = gold_on_ocr(doc, truth_texts, truth_spans)
        for mode, rules_only in (("rules", True), ("rules+NER", False)):
            predicted = page_predictions(nlp, doc, rules_only=rules_only)
            for page, text, g, p in zip(doc.pages, truth_texts, gold, predicted):
                tallies["ocr"][mode].add(g, p)
                if entry["doc_type"] == "docket":
                    mapping = align.char_map(text, page.normalized.text)
                    regions = [(mapping[a], mapping[b]) for a, b in entry_regions(text)]
                    tallies["entries_ocr"][mode].add(within(g, regions), within(p, regions))
        # Per-source precision on OCR text: the score entities() reports.
        for page_entities, g in _by_page(doc, entities(nlp, doc), gold):
            for source in ("rules", "model"):
                mine = [s for s, src in page_entities if src == source]
                source_tally[source].add([x for x in g if x in mine], mine)

    # Wall clock and CPU time of this process (the machine may be shared: CPU time is
    # what one process needs, wall time what it got).
    started, cpu = time.perf_counter(), time.process_time()
    for doc in texts_for_speed:
        entities(nlp, doc)
    full_speed = pages / (time.perf_counter() - started)
    full_cpu = pages / (time.process_time() - cpu)
    started, cpu = time.perf_counter(), time.process_time()
    for doc in texts_for_speed:
        page_predictions(nlp, doc, rules_only=True)
    rules_speed = pages / (time.perf_counter() - started)
    rules_cpu = pages / (time.process_time() - cpu)

    titles = {
        "clean": f"Clean text, held-out synthetic documents (seed {args.seed}, dev+test of n={args.n}; {pages} pages)",
        "ocr": f"Real Tesseract OCR of heavy-noise scans ({ocr_docs} dev/test documents of {args.ocr})",
        "entries_clean": "Free-text docket entries, clean text (all held-out dockets)",
        "entries_clean_mixed": "Free-text docket entries, clean text, `mixed` layout only (never in training)",
        "entries_ocr": "Free-text docket entries, OCR text",
    }
    report = [format_table(titles[k], v) for k, v in tallies.items()]
    report.append(
        f"**Speed** (one process, `entities()` on clean page text, {pages} pages): rules + NER "
        f"{full_speed:.1f} pages/s wall, {full_cpu:.1f} pages/s of CPU time; rules alone "
        f"{rules_speed:.1f} pages/s wall, {rules_cpu:.1f} pages/s of CPU time"
    )
    text = "\n\n".join(report) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, "utf-8")
    if args.scores:
        scores = {
            source: {label: round(t.prf(label)[0], 3) for label in t.labels() if t.tp[label] + t.fp[label] >= 5}
            for source, t in source_tally.items()
        }
        Path(args.scores).write_text(json.dumps(scores, indent=1, sort_keys=True) + "\n", "utf-8")
    return 0


def _by_page(doc: DocText, found, gold):
    per_page = [[] for _ in doc.pages]
    for e in found:
        page = doc.page_at(e.start)
        index = doc.pages.index(page)
        per_page[index].append(((e.start - page.offset, e.end - page.offset, e.label), e.source))
    return zip(per_page, gold)


if __name__ == "__main__":
    sys.exit(main())
