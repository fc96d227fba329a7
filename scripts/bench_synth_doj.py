"""Time the synthetic DOJ bulk-file generator: rows per second, seconds, peak memory.

    python scripts/bench_synth_doj.py --rows 1000000
    python scripts/bench_synth_doj.py --rows 20000 --runs 5 --truth --quirks

Each run writes into a temporary folder (removed afterwards unless --keep). With several
runs the median is reported, with the CPU seconds beside the wall-clock ones (on a shared
machine the CPU time is the steadier number). Peak RSS is this process's high-water mark
(Linux ru_maxrss), so it covers the generator plus the interpreter and its imports; worker
processes (--workers) are not included.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docmine.synth.doj import write_doj_file  # noqa: E402


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--runs", type=int, default=None, help="timed runs (default: 5 below 100,000 rows, 3 below 1,000,000, else 1)"
    )
    parser.add_argument("--truth", action="store_true", help="also write the ground-truth JSON Lines")
    parser.add_argument("--quirks", action="store_true", help="add the real files' untidiness")
    parser.add_argument("--workers", type=int, default=1, help="processes drawing blocks of subjects")
    parser.add_argument("--out", type=Path, default=None, help="folder to write into (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the files written")
    args = parser.parse_args(argv)
    runs = args.runs or (5 if args.rows < 100_000 else 3 if args.rows < 1_000_000 else 1)

    base = args.out or Path(tempfile.mkdtemp(prefix="bench_doj_"))
    base.mkdir(parents=True, exist_ok=True)
    seconds: list[float] = []
    cpu: list[float] = []
    stats = None
    try:
        for _ in range(runs):
            csv_path = base / "doj_bulk.csv"
            truth_path = base / "doj_bulk.truth.jsonl" if args.truth else None
            cpu_before = _cpu_seconds()
            started = time.perf_counter()
            stats = write_doj_file(
                csv_path, rows=args.rows, seed=args.seed, truth_path=truth_path, quirks=args.quirks,
                workers=args.workers,
            )  # fmt: skip
            seconds.append(time.perf_counter() - started)
            cpu.append(_cpu_seconds() - cpu_before)
        assert stats is not None
        median = statistics.median(seconds)
        truth_mb = Path(stats.truth_path).stat().st_size / 1e6 if stats.truth_path else 0.0
        print(f"rows            {stats.rows:,}  ({stats.subjects:,} subjects, {stats.counts:,} counts)")
        print(f"runs            {runs}  (each: {', '.join(f'{s:.2f}s' for s in seconds)})")
        print(
            f"median seconds  {median:.2f}  (CPU {statistics.median(cpu):.2f}s, workers {args.workers}, "
            f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})"
        )
        print(f"rows/s          {stats.rows / median:,.0f}")
        print(
            f"csv             {stats.bytes / 1e6:.1f} MB  ({stats.bytes / 1e6 / median:.1f} MB/s)"
            + (f", truth {truth_mb:.1f} MB" if stats.truth_path else "")
        )
        print(f"peak RSS        {_peak_rss_mib():.1f} MiB")
    finally:
        if not args.keep and args.out is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
