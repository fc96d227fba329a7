"""`make demo`: the main job, start to end, on a small synthetic archive.

1. `docmine synth` draws fictional records: RAP sheets, dockets and other papers, and a DOJ
   bulk file. An inbox is made of them as an office receives them: scanned PDFs, page images,
   a text-layer PDF, the DOJ file, and one file that cannot be read.
2. `docmine batch INBOX --out RESULTS` reads every file (OCR where scanned), links people,
   decides relief under the statute and writes the results folder, with progress.
3. `docmine report RESULTS` writes the HTML report.
4. A closing summary says where the people, the review queue, the motions and the report are,
   and the next command to run.

Every step is the command a clerk runs; nothing here is a shortcut around it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

POLICY, AS_OF = "statute", "2024-01-01"


def _inbox(archive: Path, inbox: Path) -> list[str]:
    """The files an office would receive, made from the synthetic archive."""
    manifest = json.loads((archive / "manifest.json").read_text("utf-8"))
    made = []
    for i, doc in enumerate(manifest["documents"]):
        files = doc["files"]
        stem = doc["stem"]
        if i % 3 == 0:  # a scanned PDF
            source, name = archive / files["scan_pdf"], f"{stem}-scanned.pdf"
        elif i % 3 == 1:  # page images as a scanner leaves them (the first page here)
            source, name = archive / files["png"][0], f"{stem}-page1.png"
        else:  # a PDF with its text layer
            source, name = archive / files["pdf"], f"{stem}.pdf"
        shutil.copyfile(source, inbox / name)
        made.append(name)
    for doj in archive.glob("*.csv"):
        shutil.copyfile(doj, inbox / "doj_bulk.csv")
        made.append("doj_bulk.csv")
    (inbox / "torn-scan.pdf").write_bytes(b"%PDF-1.4\n% a scan cut off in transfer\n1 0 obj\n<<")
    made.append("torn-scan.pdf")
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("demo"))
    parser.add_argument("--n", type=int, default=6, help="synthetic documents (default 6)")
    parser.add_argument("--rows", type=int, default=2000, help="rows of the DOJ bulk file (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    console = Console()
    docmine = [sys.executable, "-m", "docmine"]
    started = time.perf_counter()

    archive, inbox, results = args.out / "archive", args.out / "inbox", args.out / "results"
    for folder in (archive, inbox, results):
        if folder.exists():
            shutil.rmtree(folder)
    inbox.mkdir(parents=True)

    console.rule("1. docmine synth: fictional records to work on")
    run = dict(check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*docmine, "synth", "--n", str(args.n), "--seed", str(args.seed), "--noise", "light", "--out", str(archive)],
        **run,
    )
    subprocess.run(
        [*docmine, "synth", "--doj", "--rows", str(args.rows), "--seed", str(args.seed), "--out", str(archive)], **run
    )
    made = _inbox(archive, inbox)
    console.print(f"inbox: {len(made)} files in {inbox}: " + ", ".join(made))

    console.rule(f"2. docmine batch {inbox} --out {results} --policy {POLICY}")
    batch = subprocess.run([*docmine, "batch", str(inbox), "--out", str(results), "--policy", POLICY, "--as-of", AS_OF])
    if batch.returncode not in (0, 1):
        console.print(f"[red]docmine batch failed ({batch.returncode})[/red]")
        return batch.returncode

    console.rule(f"3. docmine report {results}")
    subprocess.run([*docmine, "report", str(results)], check=True)

    console.rule("What the job produced")
    summary = json.loads((results / "run.json").read_text("utf-8"))
    table = Table(show_header=True)
    table.add_column("what")
    table.add_column("where")
    table.add_column("how many", justify="right")
    motions = sorted((results / "motions").glob("*.pdf")) if (results / "motions").is_dir() else []
    errors = summary.get("errors", 0)
    table.add_row("people, linked across sources", str(results / "people.csv"), str(summary.get("people", "")))
    table.add_row("counts, each decided and explained", str(results / "counts.csv"), str(summary.get("counts", "")))
    table.add_row("the hand-review queue", str(results / "review.csv"), str(summary.get("review", "")))
    table.add_row("motion exhibits, one per court", str(results / "motions"), str(len(motions)))
    table.add_row("the report", str(results / "report.html"), "")
    table.add_row(
        "files that could not be read",
        str(results / "errors.csv"),
        str(errors if isinstance(errors, int) else len(errors)),
    )
    console.print(table)
    relief = summary.get("final_relief", {})
    console.print("final relief: " + ", ".join(f"{k} {v}" for k, v in sorted(relief.items())))
    console.print(f"done in {time.perf_counter() - started:.0f} s")
    console.print(
        "Next: open the report, then work the review queue: fill in decided_relief in "
        f"{results / 'review.csv'} (or decisions.csv) and run the same command again:\n"
        f"  docmine batch {inbox} --out {results} --policy {POLICY} --as-of {AS_OF}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
