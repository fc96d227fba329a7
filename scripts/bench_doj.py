"""Benchmark: `docmine check` on county-scale DOJ files against Code for America's gogen.

    python scripts/bench_doj.py --gogen-src /path/to/gogen --rows 100000 1000000 --repeat 3

1. Builds gogen from its public source (github.com/codeforamerica/gogen, a checkout given with
   `--gogen-src`) where a Go toolchain is installed (Debian: golang-go,
   golang-github-jessevdk-go-flags-dev, golang-github-tealeg-xlsx-dev); without one, or without
   the source, gogen is skipped with a message and docmine is measured alone.
2. Generates the DOJ files (`docmine synth --doj --rows N --seed S`), cached under `--cache`.
3. Runs gogen (its configurable flow, the CfA fixture's eligibility options) and
   `docmine check --policy P` with a full results folder, alternately, `--repeat` times, and
   prints the medians of wall time, CPU time and peak RSS (the largest process, workers
   included), with docmine's ratio to gogen on the same file in the same run.

Numbers depend on the machine: compare ratios from one run only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = ROOT.parent / "shared" / "external" / "cfa" / "gogen" / "eligibility_options.json"


def _measure(command: list[str]) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of one command and the processes it waited for."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(
            f"failed ({process.returncode}): {' '.join(command)}\n{process.stderr.read().decode()[-2000:]}"
        )
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def build_gogen(source: Path | None, work: Path) -> Path | None:
    if source is None or not (source / "gogen.go").is_file():
        print("gogen: no source (--gogen-src): measuring docmine alone", file=sys.stderr)
        return None
    if shutil.which("go") is None:
        print("gogen: no Go toolchain (apt install golang-go golang-github-jessevdk-go-flags-dev "
              "golang-github-tealeg-xlsx-dev): measuring docmine alone", file=sys.stderr)  # fmt: skip
        return None
    gopath = work / "gopath"
    shutil.copytree(source, gopath / "src" / "gogen", ignore=shutil.ignore_patterns(".git"))
    binary = work / "gogen"
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": f"{gopath}:/usr/share/gocode", "GOFLAGS": ""}
    done = subprocess.run(["go", "build", "-o", str(binary), "."], cwd=gopath / "src" / "gogen", env=env,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        print(f"gogen: build failed, measuring docmine alone:\n{done.stderr[-1500:]}", file=sys.stderr)
        return None
    return binary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--policy", nargs="+", default=["gogen-configurable-2019", "statute"])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--gogen-src", type=Path, help="a checkout of github.com/codeforamerica/gogen")
    parser.add_argument("--county", default="SACRAMENTO", help="gogen's --county (the policy's county)")
    parser.add_argument("--as-of", default="2019-11-11")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/docmine-bench-doj"))
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()

    report: dict = {"machine": {"cores": os.cpu_count()}, "workers": args.workers, "files": []}
    with tempfile.TemporaryDirectory(prefix="bench-doj-") as tmp:
        work = Path(tmp)
        gogen = build_gogen(args.gogen_src, work)
        for rows in args.rows:
            folder = args.cache / f"doj-{rows}-{args.seed}"
            csv_path = folder / "doj_bulk.csv"
            if not csv_path.is_file():
                subprocess.run([sys.executable, "-m", "docmine", "synth", "--doj", "--rows", str(rows), "--seed",
                                str(args.seed), "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
                (folder / "doj_bulk.truth.jsonl").unlink(missing_ok=True)
            runs: dict[str, list[dict]] = {}
            for _ in range(args.repeat):
                if gogen is not None:
                    out = work / "gogen-out"
                    shutil.rmtree(out, ignore_errors=True)
                    out.mkdir()
                    runs.setdefault("gogen", []).append(_measure([
                        str(gogen), "run", f"--input-doj={csv_path}", f"--county={args.county}",
                        f"--compute-at={args.as_of}", f"--eligibility-options={OPTIONS}", f"--outputs={out}",
                    ]))  # fmt: skip
                for policy in args.policy:
                    out = work / f"docmine-{policy}"
                    shutil.rmtree(out, ignore_errors=True)
                    runs.setdefault(policy, []).append(_measure([
                        sys.executable, "-m", "docmine", "check", str(csv_path), "--policy", policy,
                        "--as-of", args.as_of, "--out", str(out), "--workers", str(args.workers),
                    ]))  # fmt: skip
            medians = {
                name: {k: round(statistics.median(r[k] for r in measured), 2) for k in measured[0]}
                for name, measured in runs.items()
            }
            entry = {"rows": rows, "file_mb": round(csv_path.stat().st_size / 1e6), "median": medians}
            if "gogen" in medians:
                base = medians["gogen"]["wall_s"]
                entry["wall_ratio_to_gogen"] = {p: round(medians[p]["wall_s"] / base, 2) for p in args.policy}
            report["files"].append(entry)
            print(f"\n{rows:,} rows ({entry['file_mb']} MB), medians of {args.repeat}:")
            print(f"  {'run':46} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12} {'wall vs gogen':>14}")
            for name, m in medians.items():
                ratio = entry.get("wall_ratio_to_gogen", {}).get(name, "")
                label = "gogen" if name == "gogen" else f"docmine check --policy {name}"
                print(f"  {label:46} {m['wall_s']:8.1f} {m['cpu_s']:8.1f} {m['peak_rss_mb']:12.0f} {ratio!s:>14}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
