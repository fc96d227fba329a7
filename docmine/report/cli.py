"""`docmine report RESULTS`: the command line shell over `docmine.report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from docmine.errors import DocmineError


def report_command(
    results: Annotated[Path, typer.Argument(help="A results folder written by `docmine check` or `docmine batch`.")],
) -> None:
    """Write a self-contained HTML report with charts for a results folder."""
    raise DocmineError("docmine report: not built yet (issue #10)")
