"""`docmine annotate export|import`: the command line shell over `docmine.annotate`."""

from __future__ import annotations

import typer

annotate_app = typer.Typer(help="Export pages for annotators and take their corrections back.", no_args_is_help=True)
