"""Where the command line writes: `out` for results (stdout), `console` for progress, warnings
and errors (stderr), so that `docmine ... > file` keeps only what was asked for."""

from __future__ import annotations

from enum import Enum

from rich.console import Console

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def choices(name: str, *values: str) -> type[Enum]:
    """An option's fixed choices, as typer wants them (a `str` Enum; `label-studio` is `label_studio`)."""
    return Enum(name, {value.replace("-", "_"): value for value in values}, type=str)


__all__ = ["choices", "console", "out"]
