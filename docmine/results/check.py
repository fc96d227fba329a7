"""What `docmine check` does, start to end: read every input (extracting documents), decide
every count and write the results folder (`docmine.results.build`)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from docmine.eligibility.policy import load_policy
from docmine.errors import DocmineError
from docmine.results.build import build
from docmine.results.decisions import decisions_in_review, read_decisions
from docmine.results.prepare import prepare_inputs
from docmine.results.progress import doj_rows


def check_to_folder(
    inputs: list[Path],
    policy_name: str,
    as_of_text: str | None,
    out_dir: Path,
    *,
    use_model: bool = True,
    workers: int = 1,
    log=None,
    progress=None,
) -> dict:
    """What `docmine check` does: read every input (extracting documents), decide every count
    and write the results folder (`docmine.results.build`); return run.json's content.
    `workers`: processes for OCR and for deciding DOJ files; `progress`: a `RowsProgress` to
    show while DOJ files are decided."""
    try:
        as_of = date.fromisoformat(as_of_text) if as_of_text else date.today()
    except ValueError:
        raise DocmineError(f"--as-of {as_of_text!r}: not a date (YYYY-MM-DD)") from None
    policy = load_policy(policy_name)
    read_decisions(Path(out_dir) / "decisions.csv")  # a reviewer's mistake stops the run before any extraction
    decisions_in_review(Path(out_dir) / "review.csv")
    # The counts read from documents are kept in the folder: the review desk decides again from them.
    work = Path(out_dir) / ".docmine" / "extracted"
    if work.is_dir():
        shutil.rmtree(work)
    found, errors = prepare_inputs(inputs, work, use_model=use_model, workers=workers, log=log)
    update = None
    doj_files = [i.counts_path or i.path for i in found if i.kind == "doj"]
    if progress is not None and doj_files:
        progress.start(doj_rows(doj_files))
        update = progress.update
    try:
        return build(found, out_dir, policy, as_of, errors=errors, workers=workers, progress=update)
    finally:
        if progress is not None:
            progress.stop()
