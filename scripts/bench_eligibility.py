"""Benchmark the streaming eligibility check over a synthetic DOJ bulk file.

    .venv/bin/python scripts/bench_eligibility.py                  # 1,000,000 rows, statute policy
    .venv/bin/python scripts/bench_eligibility.py --rows 200000 --policy la-pilot-2019 --write

Generates `docmine synth --doj --rows N --seed S` into a cache folder (reused when present),
then runs `docmine.eligibility.check` over it and reports rows/s, counts/s, decided counts and
peak RSS. With --write it also writes results.csv/.parquet as `docmine check` does.
Targets (issue #6): >= 100,000 rows/s and peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
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
    parser.add_argument("--write", action="store_true", help="also write results.csv and results.parquet")
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
    tally = Tally()
    wall, cpu = time.perf_counter(), time.process_time()
    if args.write:
        from docmine.eligibility.output import write_results

        write_results(check([csv_path], policy, as_of, tally), folder / f"out-{args.policy}", policy, as_of, tally,
                      with_doj=True, inputs=[str(csv_path)])
    else:
        for _ in check([csv_path], policy, as_of, tally):
            pass
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    report = {
        "rows": args.rows, "policy": policy.name, "write": args.write, "people": tally.people,
        "counts": tally.counts, "decided": tally.considered, "relief": tally.relief,
        "problems": len(tally.problems), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
        "rows_per_s_wall": round(args.rows / wall), "rows_per_s_cpu": round(args.rows / cpu),
        "counts_per_s_cpu": round(tally.counts / cpu), "peak_rss_mb": round(peak_rss_mb()),
        "peak_rss_mb_before_check": round(rss_before),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
