"""The batch's progress bar (files, pages, pages/s, ETA, failures) and closing table."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from docmine.batch.run import Events, Summary


class RichEvents(Events):
    """Draws a rich progress bar on `console` (stderr) as documents finish."""

    def __init__(self, console: Console):
        self.console = console
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
            TextColumn("{task.fields[pages]} pages"), TextColumn("{task.fields[rate]:.2f} pages/s"),
            TextColumn("[red]{task.fields[failures]} failed"), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, transient=False, refresh_per_second=4,
        )  # fmt: skip
        self.task = None
        self.pages = self.failures = 0
        self.started_at = time.monotonic()

    def started(self, total: int) -> None:
        self.started_at = time.monotonic()
        self.progress.start()
        self.task = self.progress.add_task("reading", total=total, pages=0, rate=0.0, failures=0)

    def item(self, *, pages: int = 0, failed: bool = False, done_before: bool = False) -> None:
        self.pages += pages
        self.failures += int(failed)
        elapsed = max(time.monotonic() - self.started_at, 1e-6)
        if self.task is not None:
            self.progress.update(
                self.task, advance=1, pages=self.pages, rate=self.pages / elapsed, failures=self.failures
            )

    def phase(self, name: str) -> None:
        if self.task is not None:
            self.progress.update(self.task, description=name)

    def warn(self, text: str) -> None:
        self.console.print(f"[yellow]warning:[/] {text}", highlight=False)

    def finished(self) -> None:
        self.progress.stop()

    def stop(self) -> None:
        if self.progress.live.is_started:
            self.progress.stop()


def summary_table(summary: Summary) -> Table:
    table = Table(
        title=f"{summary.archive} -> {summary.out_dir} ({summary.policy}, as of {summary.as_of})", show_header=False
    )
    table.add_column("")
    table.add_column("", justify="right")
    rows = [
        ("files and zip entries", summary.entries),
        ("distinct documents", summary.documents),
        ("duplicates (read once)", summary.duplicates),
        ("done by an earlier run", summary.resumed),
        ("read by this run", summary.read_now),
        ("pages (all documents)", summary.pages),
        ("counts extracted", summary.counts),
        ("could not be read (errors.csv)", summary.failures),
        (
            "seconds (reading + deciding)",
            f"{summary.seconds:.1f} ({summary.reading_seconds:.1f} + {summary.deciding_seconds:.1f})",
        ),
        ("pages/s (this run)", f"{summary.pages_per_second:.2f}"),
    ]
    results = summary.results
    if isinstance(results, dict):
        for key in ("people", "counts", "relief"):
            if key in results:
                value = results[key]
                if isinstance(value, dict):
                    value = ", ".join(f"{k} {v}" for k, v in sorted(value.items())) or "none"
                rows.append((f"results: {key}", value))
    for label, value in rows:
        table.add_row(label, str(value))
    return table
