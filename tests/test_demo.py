"""`make demo` runs the main job: a synthetic inbox through `docmine batch` and `docmine report`,
then says where the people, the review queue, the motions and the report are."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_runs_the_job_and_says_where_the_results_are(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py"), "--out", str(tmp_path), "--n", "3", "--rows", "300"],
        capture_output=True,
        text=True,
        timeout=600,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = tmp_path / "results"
    for name in ("people.csv", "counts.csv", "review.csv", "report.html", "errors.csv", "motions"):
        assert (results / name).exists(), name
        assert name in done.stdout, name
    with open(results / "errors.csv", newline="", encoding="utf-8") as f:
        assert [Path(r["path"]).name for r in csv.DictReader(f)] == ["torn-scan.pdf"]
    with open(results / "counts.csv", newline="", encoding="utf-8") as f:
        sources = {r["source"] for r in csv.DictReader(f)}
    assert "doj" in sources and sources & {"rap_sheet", "docket"}
    assert "docmine batch" in done.stdout.split("Next:")[1]
