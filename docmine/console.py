"""Where the command line writes: `out` for results (stdout), `console` for progress, warnings
and errors (stderr), so that `docmine ... > file` keeps only what was asked for."""

from __future__ import annotations

from rich.console import Console

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

__all__ = ["console", "out"]
