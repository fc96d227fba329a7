"""Shared by the extraction scripts: a synthetic corpus with its documents read once and cached.

`ensure_corpus(dir, n, seed, noise)` writes a `docmine synth` corpus (text-layer PDFs and
scanned PDFs) unless one is there; `documents(dir, source)` yields (manifest entry,
Document) for `source` "textlayer" (the PDFs' text layers) or "ocr" (Tesseract over the
scans), reading each file once and keeping the result under `dir/textlayer/` and `dir/ocr/`
(pickles: a scratch cache for these scripts, never shipped).
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docmine.ingest import load  # noqa: E402
from docmine.records import Document  # noqa: E402
from docmine.synth.corpus import generate  # noqa: E402


def ensure_corpus(folder: Path, n: int, seed: int, noise: str = "heavy") -> dict:
    if not (folder / "manifest.json").exists():
        generate(n, seed, folder, noise=noise, formats=("pdf", "scan_pdf"), workers=os.cpu_count() or 1)
    return json.loads((folder / "manifest.json").read_text())


def documents(
    folder: Path, source: str, splits: tuple[str, ...] | None = None, workers: int = 2
) -> Iterator[tuple[dict, Document]]:
    manifest = json.loads((folder / "manifest.json").read_text())
    cache = folder / source
    cache.mkdir(exist_ok=True)
    for entry in manifest["documents"]:
        if splits and entry["split"] not in splits:
            continue
        cached = cache / f"{entry['stem']}.pkl"
        if cached.exists():
            document = pickle.loads(cached.read_bytes())
        else:
            path = folder / entry["files"]["pdf" if source == "textlayer" else "scan_pdf"]
            document = load(path, workers=workers)
            cached.write_bytes(pickle.dumps(document))
        yield entry, document


def gold_counts(folder: Path, entry: dict) -> list[dict]:
    path = folder / entry["files"]["counts"]
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
