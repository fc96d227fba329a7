"""Benchmark the streaming eligibility check over a synthetic DOJ bulk file.

    .venv/bin/python scripts/bench_eligibility.py                  # 1,000,000 rows, statute policy, 3 runs
    .venv/bin/python scripts/bench_eligibility.py --rows 200000 --policy la-pilot-2019 --write
    .venv/bin/python scripts/bench_eligibility.py --baseline before.json   # compare with an earlier report

Generates `docmine synth --doj --rows N --seed S` into a cache folder (reused when present),
then runs `docmine.eligibility.check` over it `--repeat` times and reports the median of:
counts/s and rows/s in CPU time (`time.process_time`: this process's CPU, all threads; the
figure to compare on a shared machine) and in wall time, plus decided counts and the peak RSS
(the largest over the runs). Without --write every decided count gets its relief (tallied) but
no explanation tree is built unless read (`check.Result`); with --write the trees are built and
results.csv/.parquet written as `docmine check` does, which is the cost of a real run.
Targets (issue #6): >= 100,000 counts/s and peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docmine.eligibility import Tally, check, load_policy  # noqa: E402
from docmine.synth.doj import write_doj_file  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--policy", default="statute")
    parser.add_argument("--as-of", default="2019-11-11")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/docmine-bench-eligibility"))
    parser.add_argument(
        "--write",
        action="store_true",
        help="write the full results folder (docmine check --out) instead of only deciding",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs; medians are reported (default 3)")
    parser.add_argument("--baseline", type=Path, help="an earlier report (this script's JSON) to compare with")
    args = parser.parse_args()

    folder = args.cache / f"doj-{args.rows}-{args.seed}"
    csv_path = folder / "doj_bulk.csv"
    if not csv_path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        stats = write_doj_file(csv_path, rows=args.rows, seed=args.seed)
        print(f"generated {stats} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    policy = load_policy(args.policy)
    as_of = date.fromisoformat(args.as_of)
    rss_before = peak_rss_mb()
    runs = []
    for _ in range(args.repeat):
        tally = Tally()
        wall, cpu = time.perf_counter(), time.process_time()
        if args.write:  # the results folder users get: what `docmine check --out` writes
            from docmine.results import check_to_folder

            summary = check_to_folder(
                [csv_path], args.policy, args.as_of, folder / f"out-{args.policy}", use_model=False
            )
            tally.people, tally.counts = summary["people"], summary["counts"]
            tally.considered = sum(summary.get("relief", {}).values())
            tally.relief = dict(summary.get("relief", {}))
        else:
            for _ in check([csv_path], policy, as_of, tally):
                pass
        runs.append((time.process_time() - cpu, time.perf_counter() - wall))
    cpu = statistics.median(c for c, _ in runs)
    wall = statistics.median(w for _, w in runs)
    report = {
        "rows": args.rows,
        "policy": policy.name,
        "write": args.write,
        "people": tally.people,
        "counts": tally.counts,
        "decided": tally.considered,
        "relief": tally.relief,
        "problems": len(tally.problems),
        "runs": len(runs),
        "cpu_s_runs": [round(c, 2) for c, _ in runs],
        "wall_s_runs": [round(w, 2) for _, w in runs],
        "cpu_s": round(cpu, 2),
        "wall_s": round(wall, 2),
        "counts_per_s_cpu": round(tally.counts / cpu),
        "rows_per_s_cpu": round(args.rows / cpu),
        "counts_per_s_wall": round(tally.counts / wall),
        "rows_per_s_wall": round(args.rows / wall),
        "peak_rss_mb": round(peak_rss_mb()),
        "peak_rss_mb_before_check": round(rss_before),
        "target": {"counts_per_s": 100_000, "peak_rss_mb": 1024},
        "target_met": tally.counts / cpu >= 100_000 and peak_rss_mb() < 1024,
    }
    if args.baseline:
        base = json.loads(args.baseline.read_text(encoding="utf-8"))
        report["baseline"] = {
            "file": str(args.baseline),
            "cpu_s": base.get("cpu_s"),
            "counts_per_s_cpu": base.get("counts_per_s_cpu"),
            "peak_rss_mb": base.get("peak_rss_mb"),
            "speedup_cpu": round(base["cpu_s"] / cpu, 2) if base.get("cpu_s") else None,
            "same_tally": all(base.get(k) == report[k] for k in ("people", "counts", "decided", "relief")),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
