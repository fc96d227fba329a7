"""`docmine check`'s entry (`check_to_folder`, which writes the results folder through
`docmine.results.build`), and `write_results`: the decided counts alone, streamed to
`results.csv` / `results.parquet` with a `summary.json` (what `scripts/bench_eligibility.py
--write` measures: the cost of writing a million decided DOJ counts).

Each row carries the relief, the reason and clause that decided it, the explanation tree
and the facts with their provenance (both JSON), the policy and its hash, the evaluation date;
for DOJ input, the row's own 95 columns follow under their own names so an office can join
results back to its file (a count spanning several rows keeps its first row's columns and
lists every line in `lines`).
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Iterable

from docmine.eligibility.check import Result, Tally
from docmine.eligibility.policy import Policy
from docmine.reference.doj_layout import HEADER

BASE_COLUMNS = (
    "count_id", "person", "document", "lines", "charge", "charge_text", "attempted", "severity", "disposition",
    "conviction_date", "county", "relief", "reason", "clause", "policy", "policy_sha256", "as_of",
    "explanation", "facts",
)
BATCH = 20_000


def columns_for(with_doj: bool) -> tuple[str, ...]:
    return BASE_COLUMNS + (tuple(HEADER) if with_doj else ())


def row_of(result: Result, policy: Policy, as_of: str, with_doj: bool) -> list[str]:
    c, d = result.count, result.decision
    explanation = json.dumps(d.to_dict(), ensure_ascii=False, separators=(",", ":"))
    facts = json.dumps([f.to_dict() for f in d.all_facts()], ensure_ascii=False, separators=(",", ":"))
    row = [
        c.key, result.history.key, c.document, " ".join(map(str, c.lines)),
        c.charge.canonical if c.charge else "", c.charge_text, "true" if c.charge and c.charge.attempted else "false",
        c.severity.value, c.disposition.value, c.date.isoformat() if c.date else "", c.county or "",
        d.value.value, d.reasoning, d.clause, policy.name, policy.sha256, as_of, explanation, facts,
    ]
    if with_doj:
        if isinstance(c.origin, list):
            first = c.origin[0]
            row.extend(first[i] if i < len(first) else "" for i in range(len(HEADER)))
        else:
            row.extend("" for _ in HEADER)
    return row


def write_results(results: Iterable[Result], out_dir: Path, policy: Policy, as_of: date, tally: Tally,
                  *, with_doj: bool, inputs: list[str]) -> dict:
    """Stream results to CSV and Parquet in `out_dir`; return the summary written beside them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir.mkdir(parents=True, exist_ok=True)
    columns = columns_for(with_doj)
    schema = pa.schema([(name, pa.string()) for name in columns])
    when = as_of.isoformat()
    batch: list[list[str]] = []
    with open(out_dir / "results.csv", "w", newline="", encoding="utf-8") as handle, \
            pq.ParquetWriter(out_dir / "results.parquet", schema, compression="zstd") as parquet:
        writer = csv.writer(handle)
        writer.writerow(columns)

        def flush():
            if batch:
                parquet.write_table(pa.Table.from_arrays([pa.array(col, pa.string()) for col in zip(*batch)],
                                                         schema=schema))
                batch.clear()

        for result in results:
            row = row_of(result, policy, when, with_doj)
            writer.writerow(row)
            batch.append(row)
            if len(batch) >= BATCH:
                flush()
        flush()
    summary = {
        "policy": policy.name, "policy_file": policy.path, "policy_sha256": policy.sha256, "as_of": when,
        "inputs": inputs, "people": tally.people, "counts_read": tally.counts, "counts_decided": tally.considered,
        "relief": dict(sorted(tally.relief.items())), "problems": [str(p) for p in tally.problems],
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def check_to_folder(inputs: list[Path], policy_name: str, as_of_text: str | None, out_dir: Path, *,
                    use_model: bool = True, workers: int = 1, log=None) -> dict:
    """What `docmine check` does: read every input (extracting documents), decide every count
    and write the results folder (`docmine.results.build`); return run.json's content."""
    import tempfile

    from docmine.eligibility.policy import load_policy
    from docmine.errors import DocmineError
    from docmine.results import build, prepare_inputs

    try:
        as_of = date.fromisoformat(as_of_text) if as_of_text else date.today()
    except ValueError:
        raise DocmineError(f"--as-of {as_of_text!r}: not a date (YYYY-MM-DD)") from None
    policy = load_policy(policy_name)
    from docmine.results.decisions import decisions_in_review, read_decisions

    read_decisions(Path(out_dir) / "decisions.csv")  # a reviewer's mistake stops the run before any extraction
    decisions_in_review(Path(out_dir) / "review.csv")
    with tempfile.TemporaryDirectory(prefix="docmine-check-") as work:
        found, errors = prepare_inputs(inputs, Path(work), use_model=use_model, workers=workers, log=log)
        return build(found, out_dir, policy, as_of, errors=errors)
