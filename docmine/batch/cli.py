"""`docmine batch`: the command line shell over `docmine.batch`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from docmine.errors import DocmineError


def batch_command(
    archive: Annotated[Path, typer.Argument(help="A folder or zip archive of records.")],
    out_dir: Annotated[Path, typer.Option("--out", help="The results folder.")],
) -> None:
    """Process a whole archive: extract every document, link people, decide relief, write the results folder."""
    raise DocmineError("docmine batch: not built yet (issue #8)")
