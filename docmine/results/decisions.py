"""Reviewers' decisions: `decisions.csv` in the results folder, an input the run keeps.

One row per decided count: count_id, relief, decided_by, decided_on (YYYY-MM-DD), note, and
optionally corrections (a JSON object of fields set by hand, `corrections.py`). A run
reads it, applies each decision over the policy's relief (`final_relief`), and never rewrites
what is there: it creates the file with only its header when missing, and appends decisions a
reviewer wrote into review.csv's decided_* columns (which the run is about to rewrite), so no
decision is ever lost. A row with no relief is a count not decided yet, and is passed over.
Mistakes (an unknown relief, a bad date, no reviewer, a count decided twice) are one-line
errors naming the file and line."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

from docmine.eligibility.decision import Relief
from docmine.errors import DocmineError
from docmine.results.columns import DECISION_ALL_COLUMNS, DECISION_COLUMNS, REVIEW_COLUMNS
from docmine.results.corrections import parse as parse_corrections
from docmine.results.files import csv_text, write_text

# A reviewer decides; sending the count back to review is not a decision.
DECIDABLE = tuple(r.value for r in Relief if r is not Relief.HAND_REVIEW)


@dataclass(frozen=True)
class ReviewDecision:
    count_id: str
    relief: str
    decided_by: str
    decided_on: str  # ISO date
    note: str = ""
    line: int = 0
    corrections: tuple[tuple[str, str], ...] = ()  # (field, value), as `corrections.parse` checked them

    def row(self) -> list[str]:
        fixed = json.dumps(dict(self.corrections), ensure_ascii=False, sort_keys=True) if self.corrections else ""
        return [self.count_id, self.relief, self.decided_by, self.decided_on, self.note, fixed]


def _validate(
    path: Path, line: int, count_id: str, relief: str, by: str, on: str, note: str, fixed: str = ""
) -> ReviewDecision:
    where = f"{path}: line {line}"
    if not count_id:
        raise DocmineError(f"{where}: no count_id")
    if relief not in DECIDABLE:
        raise DocmineError(f"{where}: unknown relief {relief!r} for {count_id} (one of {', '.join(DECIDABLE)})")
    if not by:
        raise DocmineError(f"{where}: decision for {count_id} has no decided_by (who decided)")
    try:
        date.fromisoformat(on)
    except ValueError:
        raise DocmineError(f"{where}: decided_on {on!r} for {count_id} is not a date (YYYY-MM-DD)") from None
    if len(on) != 10:
        raise DocmineError(f"{where}: decided_on {on!r} for {count_id} is not a date (YYYY-MM-DD)")
    corrections = tuple(sorted(parse_corrections(fixed, f"{where}: {count_id}").items()))
    return ReviewDecision(count_id, relief, by, on, note, line, corrections)


def _rows(path: Path, required: Iterable[str]) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DocmineError(f"{path}: cannot read ({exc.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise DocmineError(f"{path}: line 1: the header lacks column(s) {', '.join(missing)}")
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}


def read_decisions(path: Path) -> dict[str, ReviewDecision]:
    """The decisions in `path`, by count_id (an empty mapping when the file does not exist)."""
    if not path.is_file():
        return {}
    found: dict[str, ReviewDecision] = {}
    for line, row in _rows(path, DECISION_COLUMNS[:4]):
        if not row.get("relief"):
            continue
        d = _validate(
            path, line, row["count_id"], row["relief"], row["decided_by"], row["decided_on"], row.get("note", ""),
            row.get("corrections", ""),
        )  # fmt: skip
        if d.count_id in found:
            raise DocmineError(
                f"{path}: line {line}: {d.count_id} is decided twice (also line {found[d.count_id].line}): keep one"
            )
        found[d.count_id] = d
    return found


def decisions_in_review(path: Path) -> list[ReviewDecision]:
    """Decisions a reviewer wrote straight into review.csv's decided_* columns."""
    if not path.is_file():
        return []
    found = []
    for line, row in _rows(path, REVIEW_COLUMNS[:1]):
        if row.get("decided_relief"):
            found.append(
                _validate(
                    path,
                    line,
                    row.get("count_id", ""),
                    row["decided_relief"],
                    row.get("decided_by", ""),
                    row.get("decided_on", ""),
                    row.get("decision_note", ""),
                )
            )
    return found


def keep_decisions(out_dir: Path) -> tuple[dict[str, ReviewDecision], list[str]]:
    """Read (and create, or extend) `out_dir/decisions.csv`; return the decisions and the
    count_ids taken over from review.csv this run."""
    path = out_dir / "decisions.csv"
    if not path.is_file():
        write_text(path, csv_text(DECISION_COLUMNS, []))
    decisions = read_decisions(path)
    imported = [d for d in decisions_in_review(out_dir / "review.csv") if d.count_id not in decisions]
    if imported:  # appended after what is there, under the file's own header (its order, its extra columns)
        text = path.read_text(encoding="utf-8-sig")
        if text and not text.endswith("\n"):
            text += "\n"
        header = next(csv.reader([text.split("\n", 1)[0]]))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, header, lineterminator="\n", extrasaction="ignore")
        writer.writerows(dict(zip(DECISION_ALL_COLUMNS, d.row())) for d in imported)
        write_text(path, text + buffer.getvalue())
        decisions = read_decisions(path)
    return decisions, [d.count_id for d in imported]


def corrections_of(decisions: dict[str, ReviewDecision]) -> dict[str, tuple[dict[str, str], str]]:
    """count key -> (corrected fields, who corrected them), for the decisions that correct any."""
    return {k: (dict(d.corrections), d.decided_by) for k, d in decisions.items() if d.corrections}


def record_decision(out_dir: Path, decision: ReviewDecision) -> None:
    """Write one decision into `out_dir/decisions.csv` (replacing the count's row if there is
    one), atomically: the review desk's approved decisions reach every later run this way."""
    path = Path(out_dir) / "decisions.csv"
    header = list(DECISION_COLUMNS)
    rows: list[dict[str, str]] = []
    if path.is_file():
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or header)
            rows = [dict(r) for r in reader]
    for name in DECISION_COLUMNS + (("corrections",) if decision.corrections else ()):
        if name not in header:
            header.append(name)
    mine = dict(zip(DECISION_ALL_COLUMNS, decision.row()))
    rows = [r for r in rows if (r.get("count_id") or "").strip() != decision.count_id] + [mine]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n", extrasaction="ignore", restval="")
    writer.writeheader()
    writer.writerows(rows)
    write_text(path, buffer.getvalue())
