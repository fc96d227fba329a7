"""`docmine report RESULTS`: the command line shell over `docmine.report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def report_command(
    results: Annotated[Path, typer.Argument(help="A results folder written by `docmine check` or `docmine batch`.")],
    out: Annotated[
        Optional[Path], typer.Option("--out", help="HTML file to write (default: RESULTS/report.html).")
    ] = None,
) -> None:
    """Write a self-contained HTML report with charts for a results folder."""
    from rich.console import Console

    from docmine.report import write_report

    path = write_report(results, out)
    Console(soft_wrap=True).print(f"wrote {path}", highlight=False)
