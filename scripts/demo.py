"""`make demo`: build a small synthetic archive and run every pipeline stage that exists on it.

Each stage is the real one; the summary says what ran. Later stages (ingest, extraction,
eligibility, batch) join this script as they land.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from docmine.contract import read_counts, validate_count, count_to_dict

PROP64_SECTIONS = {"HS 11357", "HS 11358", "HS 11359", "HS 11360"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("demo"))
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    console = Console()
    docmine = [sys.executable, "-m", "docmine"]

    archive = args.out / "archive"
    if archive.exists():
        shutil.rmtree(archive)
    console.rule("1. synth: a synthetic archive of RAP sheets, dockets and other papers")
    subprocess.run(
        [*docmine, "synth", "--n", str(args.n), "--seed", str(args.seed), "--noise", "light", "--out", str(archive)],
        check=True,
    )
    subprocess.run(
        [*docmine, "synth", "--doj", "--rows", "2000", "--seed", str(args.seed), "--out", str(archive)], check=True
    )

    console.rule("2. ingest: every scanned PDF OCR'd page by page, scored against the text drawn")
    from statistics import median

    from docmine import ingest
    from docmine.ingest.cer import cer

    manifest = json.loads((archive / "manifest.json").read_text("utf-8"))
    page_errors, sources = [], Counter()
    for doc in manifest["documents"]:
        truth = json.loads((archive / doc["files"]["pages"]).read_text("utf-8"))
        for variant in ("pdf", "scan_pdf"):
            document = ingest.load(archive / doc["files"][variant], workers=2)
            for page, drawn in zip(document.pages, truth["pages"]):
                sources[(variant, page.source.value)] += 1
                if variant == "scan_pdf":
                    page_errors.append(cer(drawn["text"], page.text))
    for (variant, source), n in sorted(sources.items()):
        console.print(f"  {variant}: {n} pages read from {source}")
    console.print(
        f"  OCR character error rate on scanned pages: median {median(page_errors):.1%}, worst {max(page_errors):.1%}"
    )

    console.rule("3. the output contract: every ground-truth count validated against the shipped schema")
    manifest = json.loads((archive / "manifest.json").read_text("utf-8"))
    files = Counter()
    for doc in manifest["documents"]:
        for kind, names in doc["files"].items():
            if kind not in ("counts", "pages"):
                files[kind] += len(names) if isinstance(names, list) else 1
    counts = [c for path in sorted((archive / "truth").glob("*.counts.jsonl")) for c in read_counts(path)]
    for count in counts:
        validate_count(count_to_dict(count))

    table = Table(title="demo archive")
    table.add_column("what")
    table.add_column("how many", justify="right")
    kinds = Counter(doc["doc_type"] for doc in manifest["documents"])
    for kind, n in sorted(kinds.items()):
        table.add_row(f"documents: {kind}", str(n))
    for suffix, n in sorted(files.items()):
        table.add_row(f"files: {suffix}", str(n))
    table.add_row("layouts", ", ".join(sorted({doc["layout"] for doc in manifest["documents"]})))
    table.add_row("counts (ground truth, schema-valid)", str(len(counts)))
    table.add_row("convictions", str(sum(c.convicted for c in counts)))
    table.add_row(
        "marijuana convictions (HS 11357-11360)",
        str(sum(c.convicted and c.charge is not None and c.charge.base in PROP64_SECTIONS for c in counts)),
    )
    doj_rows = sum(1 for _ in (archive / "doj_bulk.csv").open(encoding="utf-8")) - 1
    table.add_row("DOJ bulk file rows", str(doj_rows))
    console.print(table)
    console.print(f"archive: {archive.resolve()}")
    console.print("Stages still to come in this demo: extract, check (eligibility), batch, report.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
