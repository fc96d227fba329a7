"""`docmine batch`: the command line shell over `docmine.batch`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from docmine.errors import DocmineError


def batch_command(
    archive: Annotated[
        Path, typer.Argument(help="A folder or zip archive of records (zip archives inside folders are read too).")
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", help="The results folder (its .docmine/ keeps the manifest for resuming).")
    ],
    policy: Annotated[str, typer.Option("--policy", help="A shipped policy name or a policy .toml file.")],
    as_of: Annotated[
        Optional[str],
        typer.Option("--as-of", help="Evaluation date YYYY-MM-DD (default: today); a resumed batch keeps its first."),
    ] = None,
    workers: Annotated[
        Optional[int],
        typer.Option(
            "--workers",
            min=1,
            help="Local worker processes (default: all cores); results are the same whatever the number.",
        ),
    ] = None,
    scheduler: Annotated[
        Optional[str],
        typer.Option(
            "--scheduler", help="A Dask scheduler (tcp://host:port) to read documents on instead of local workers."
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with status 1 when any file or page could not be read.")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds per document before it is stopped and reported.")
    ] = 600,
    memory_mb: Annotated[
        int, typer.Option("--memory-mb", min=0, help="Memory (address space) per local worker, MB; 0: no cap.")
    ] = 4096,
    use_model: Annotated[
        bool, typer.Option("--use-model/--rules-only", help="Use the entity model on OCR'd documents.")
    ] = True,
) -> None:
    """Process a whole archive: extract every document, link people, decide relief, write the results folder.

    Stop it at any time (Ctrl-C) and run the same command again: it resumes where it stopped.
    """
    from docmine.batch.progress import RichEvents, summary_table
    from docmine.batch.run import Options, run_batch
    from docmine.console import console, out

    if scheduler is not None and not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise DocmineError(f"--scheduler {scheduler!r}: give the scheduler's address, e.g. tcp://host:8786")
    options = Options(
        workers=workers or os.cpu_count() or 1,
        scheduler=scheduler,
        timeout=timeout,
        memory_mb=memory_mb,
        use_model=use_model,
    )
    events = RichEvents(console)
    try:
        summary = run_batch(archive, out_dir, policy, as_of=as_of, options=options, events=events)
    except KeyboardInterrupt:
        events.stop()
        console.print(
            f"stopped: run the same command again to resume ({out_dir}/.docmine/manifest.sqlite keeps what is done)",
            highlight=False,
        )
        raise typer.Exit(130) from None
    finally:
        events.stop()
    out.print(summary_table(summary))
    if summary.failures:
        console.print(
            f"{summary.failures} file(s) or page(s) could not be read: see {out_dir / 'errors.csv'}", highlight=False
        )
        if strict:
            raise typer.Exit(1)
