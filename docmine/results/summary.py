"""The short summary `docmine check` prints at the end, read back from the folder itself
(run.json and people.csv), so any results folder can be summarised the same way."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rich.table import Table


def folder_summary(out_dir: Path) -> dict:
    """The figures of a results folder: people, counts, reliefs, outcomes, review, errors."""
    out_dir = Path(out_dir)
    try:
        run = json.loads((out_dir / "run.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        from docmine.errors import DocmineError

        raise DocmineError(f"{out_dir}: not a results folder (run.json: {exc})") from None
    no_felony = no_conviction = 0
    with open(out_dir / "people.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            no_felony += row.get("no_felony_left") == "true"
            no_conviction += row.get("no_conviction_left") == "true"
    return {
        "people": run["people"],
        "counts": run["counts"],
        "counts_decided": run["counts_decided"],
        "final_relief": run["final_relief"],
        "no_felony_left": no_felony,
        "no_conviction_left": no_conviction,
        "review": run["review"],
        "decisions_applied": run["decisions"]["applied"],
        "decisions_orphaned": len(run["decisions"]["orphaned"]),
        "errors": run["errors"],
        "motions": len(run["motions"]),
        "policy": run["policy"],
        "as_of": run["as_of"],
    }


def summary_table(out_dir: Path) -> Table:
    s = folder_summary(out_dir)
    table = Table(title=f"{out_dir}: {s['policy']} as of {s['as_of']}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("people", str(s["people"]))
    table.add_row("counts read", str(s["counts"]))
    table.add_row("counts decided", str(s["counts_decided"]))
    for relief, n in s["final_relief"].items():
        table.add_row(f"  {relief}", str(n))
    table.add_row("people with no felony left", str(s["no_felony_left"]))
    table.add_row("people with no conviction left", str(s["no_conviction_left"]))
    table.add_row("counts to review (review.csv)", str(s["review"]))
    table.add_row("reviewers' decisions applied", str(s["decisions_applied"]))
    if s["decisions_orphaned"]:
        table.add_row("decisions for counts not read (kept)", str(s["decisions_orphaned"]))
    table.add_row("court motion exhibits", str(s["motions"]))
    table.add_row("unreadable inputs or pages (errors.csv)", str(s["errors"]))
    return table
