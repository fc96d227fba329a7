"""Benchmark `docmine batch` end to end against plain Tesseract on the same scanned pages.

N synthetic scanned pages (`docmine.synth`, PNG at 300 dpi, one page per file: RAP sheets,
dockets and other papers) are read, in the same run, by

  tesseract  `tesseract PAGE - --psm 6`, one process per page, 1 and then 2 at a time;
  docmine    `docmine batch ARCHIVE --out NEW --policy statute --workers 1` and `--workers 2`:
             the whole command - start-up, walking and hashing, worker start-up (entity
             model loaded), OCR with its preprocessing, extraction, the manifest, and phase 2
             (linking, decisions, the results folder).

Both run with OMP_THREAD_LIMIT=1 (one core per process: Tesseract's own threads would
otherwise fight the processes). Each run times all four in turn; figures are medians over
--runs. Printed: pages/s of each, the ratio docmine/tesseract with 2 workers (target >= 0.9)
and docmine's speed-up from 1 to 2 workers (target >= 1.8x), beside Tesseract's from 1 to 2
processes. On a machine shared with other work, wall time says as much
about the others as about docmine, so it also prints CPU seconds per page of each whole
command (children's rusage) and their ratio, and the per-page time of docmine's worker
(the manifest's per-document timings) against one Tesseract process's: the rate a long
archive tends to, where start-up and phase 2 are amortised. It checks that 1 and 2
workers gave byte-identical results.

    nice python scripts/bench_batch.py --pages 8 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
PEAK_RSS: list[tuple[float, float]] = []  # a worker's peak RSS after its first document, and the highest


def make_pages(folder: Path, n: int, seed: int, noise: str) -> list[Path]:
    """n scanned pages (PNG), one file each, from synthetic documents of every kind."""
    from docmine.synth import generate

    corpus = folder / "corpus"
    docs = max(2, n // 2)
    while True:
        generate(docs, seed, corpus, formats=("png",), noise=noise, workers=min(2, os.cpu_count() or 1))
        pages = sorted((corpus / "docs").glob("*.png"))
        if len(pages) >= n:
            break
        docs *= 2
    archive = folder / "archive"
    archive.mkdir()
    chosen = []
    for page in pages[:n]:
        shutil.copy(page, archive / page.name)
        chosen.append(archive / page.name)
    return chosen


def children_cpu() -> float:
    """CPU seconds of every finished child process (and theirs): other load on the machine
    changes it far less than wall time."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def tesseract(pages: list[Path], processes: int) -> float:
    def one(page: Path) -> None:
        subprocess.run(
            ["tesseract", str(page), "-", "--psm", "6"],
            env=ENV,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=processes) as pool:
        list(pool.map(one, pages))
    return time.perf_counter() - started


def docmine_batch(archive: Path, out: Path, workers: int) -> float:
    command = [
        sys.executable,
        "-m",
        "docmine",
        "batch",
        str(archive),
        "--out",
        str(out),
        "--policy",
        "statute",
        "--as-of",
        "2024-01-01",
        "--workers",
        str(workers),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"docmine batch failed:\n{done.stderr}")
    return seconds


def worker_seconds(out: Path, n: int) -> float:
    """Seconds workers spent on the documents (the manifest's per-document timings: reading,
    OCR, extraction; not start-up or phase 2), after checking every page was OCR'd."""
    with sqlite3.connect(out / ".docmine" / "manifest.sqlite") as db:
        ocr = db.execute("SELECT COUNT(*) FROM pages WHERE source = 'ocr'").fetchone()[0]
        seconds = db.execute("SELECT SUM(seconds) FROM documents").fetchone()[0]
        peaks = [r[0] for r in db.execute("SELECT max_rss_mb FROM documents ORDER BY rowid")]
    PEAK_RSS.append((peaks[0], max(peaks)))
    if ocr != n:
        raise SystemExit(f"{out}: {ocr} of {n} pages OCR'd")
    return seconds


def results_files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] != ".docmine"
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=8, help="scanned pages (one per file)")
    parser.add_argument("--runs", type=int, default=3, help="runs; figures are medians")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--noise", default="light", choices=("none", "light", "heavy"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    if shutil.which("tesseract") is None:
        raise SystemExit("tesseract is not installed")

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        pages = make_pages(folder, args.pages, args.seed, args.noise)
        n = len(pages)
        runs = []
        identical = True
        for r in range(args.runs):
            cpu = children_cpu()
            t1 = tesseract(pages, 1)
            cpu_t1, cpu = children_cpu() - cpu, children_cpu()
            d1 = docmine_batch(folder / "archive", folder / f"out-{r}-1", 1)
            cpu_d1, cpu = children_cpu() - cpu, children_cpu()
            t2 = tesseract(pages, 2)
            cpu_t2, cpu = children_cpu() - cpu, children_cpu()
            d2 = docmine_batch(folder / "archive", folder / f"out-{r}-2", 2)
            cpu_d2 = children_cpu() - cpu
            busy = worker_seconds(folder / f"out-{r}-1", n)
            worker_seconds(folder / f"out-{r}-2", n)
            identical &= results_files(folder / f"out-{r}-1") == results_files(folder / f"out-{r}-2")
            run = {"tesseract_1": n / t1, "tesseract_2": n / t2, "docmine_1": n / d1, "docmine_2": n / d2}
            run["ratio_2"] = run["docmine_2"] / run["tesseract_2"]
            run["scaling"] = (run["docmine_2"] / run["docmine_1"]) / (run["tesseract_2"] / run["tesseract_1"])
            # Per page, the one worker's own time against one Tesseract process's: the rate
            # the batch tends to on a long archive, where start-up and phase 2 are amortised.
            run["per_page_ratio_1"] = (t1 / n) / (busy / n)
            # CPU seconds per page of the whole command against Tesseract's (2 processes/workers).
            run["cpu_per_page_tesseract_2"] = cpu_t2 / n
            run["cpu_per_page_docmine_2"] = cpu_d2 / n
            run["cpu_ratio_2"] = cpu_t2 / cpu_d2
            run["cpu_ratio_1"] = cpu_t1 / cpu_d1
            runs.append(run)
            print(f"run {r + 1}: " + ", ".join(f"{k} {v:.3f}" for k, v in run.items()), flush=True)
            for w in (1, 2):
                shutil.rmtree(folder / f"out-{r}-{w}")

    median = {k: statistics.median(run[k] for run in runs) for k in runs[0]}
    print(f"\n{n} scanned pages ({args.noise} noise), median of {args.runs} runs, pages/s:")
    print(f"  plain tesseract, 1 process:   {median['tesseract_1']:.3f}")
    print(f"  plain tesseract, 2 processes: {median['tesseract_2']:.3f}")
    print(f"  docmine batch, 1 worker:      {median['docmine_1']:.3f}")
    print(f"  docmine batch, 2 workers:     {median['docmine_2']:.3f}")
    print(f"  ratio docmine/tesseract (2):  {median['ratio_2']:.3f}   (target >= 0.9)")
    print(
        f"  scaling 1 -> 2:               docmine x{median['docmine_2'] / median['docmine_1']:.2f} (target >= 1.8), "
        f"tesseract x{median['tesseract_2'] / median['tesseract_1']:.2f} (ratio {median['scaling']:.3f})"
    )
    print(
        f"  CPU s/page, 2 processes/workers: tesseract {median['cpu_per_page_tesseract_2']:.2f}, docmine "
        f"{median['cpu_per_page_docmine_2']:.2f}: ratio {median['cpu_ratio_2']:.3f} "
        f"(1 worker: {median['cpu_ratio_1']:.3f})"
    )
    print(
        f"  per page, worker time against plain tesseract (1 worker, start-up and phase 2 left out): "
        f"{median['per_page_ratio_1']:.3f}"
    )
    print(
        f"  worker peak RSS: {max(p[0] for p in PEAK_RSS):.0f} MB after the first document, "
        f"{max(p[1] for p in PEAK_RSS):.0f} MB at most over {n} documents"
    )
    print(f"  1 and 2 workers gave byte-identical results: {identical}")
    if args.json:
        print(json.dumps({"pages": n, "runs": runs, "median": median, "identical": identical}, indent=2))


if __name__ == "__main__":
    main()
