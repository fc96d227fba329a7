"""The progress bar of a results run on DOJ files: rows, counts, rows/s and time left."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def doj_rows(paths: Sequence[str | Path]) -> int:
    """Data rows of DOJ files (lines after the header), counted without parsing."""
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 22), b""))
        total += max(lines - 1, 0)
    return total


class RowsProgress:
    """`start(total_rows)`, then `update(rows, counts)` as people are written, then `stop()`."""

    def __init__(self, console: Console):
        self.progress = Progress(
            TextColumn("[bold]deciding"), BarColumn(), MofNCompleteColumn(), TextColumn("rows"),
            TextColumn("{task.fields[counts]} counts"), TextColumn("{task.fields[rate]:,.0f} rows/s"),
            TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=False, refresh_per_second=4,
        )  # fmt: skip
        self.task = None
        self.started_at = time.monotonic()

    def start(self, total_rows: int) -> None:
        self.started_at = time.monotonic()
        self.progress.start()
        self.task = self.progress.add_task("deciding", total=total_rows, counts=0, rate=0.0)

    def update(self, rows: int, counts: int) -> None:
        if self.task is not None:
            rate = rows / max(time.monotonic() - self.started_at, 1e-6)
            self.progress.update(self.task, completed=rows, counts=counts, rate=rate)

    def stop(self) -> None:
        if self.progress.live.is_started:
            self.progress.stop()
