"""`docmine review RESULTS`, `docmine review users ...` and `docmine review audit RESULTS`."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from docmine.console import choices
from docmine.errors import DocmineError


class _ServeByDefault(TyperGroup):
    """`docmine review RESULTS [--host H] [--port P]` is `docmine review serve ...`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


review_app = typer.Typer(
    cls=_ServeByDefault,
    help="The review desk: the hand-review queue of a results folder in a browser (docmine review RESULTS).",
    no_args_is_help=True,
)
users_app = typer.Typer(help="The desk's accounts (kept in RESULTS/.docmine/review.sqlite).", no_args_is_help=True)
review_app.add_typer(users_app, name="users")

Role = choices("Role", "reviewer", "approver", "admin")

_RESULTS_OPTION = typer.Option("--results", "-r", help="The results folder (default: the current folder).")


def _folder(positional: Optional[Path], option: Optional[Path]) -> Path:
    folder = positional or option or Path(".")
    if not (folder / "run.json").is_file():
        raise DocmineError(
            f"{folder}: not a results folder (no run.json): run `docmine check` or `docmine batch` first"
        )
    return folder


def _store(folder: Path):
    from docmine.review.store import Store

    return Store(folder)


@review_app.command("serve", hidden=True)
def serve_command(
    results: Annotated[Path, typer.Argument(help="The results folder (written by docmine check or batch).")],
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback unless you say so).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8765,
    annotations: Annotated[
        Optional[Path],
        typer.Option(
            "--annotations", help="Where corrected OCR fields are kept as gold pages (default: RESULTS/annotations)."
        ),
    ] = None,
) -> None:
    """Serve the review desk over RESULTS."""
    import uvicorn

    from docmine.review.app import create_app

    folder = _folder(results, None)
    store = _store(folder)
    if not store.has_users():
        raise DocmineError(
            f"no one can log in to the desk of {folder}: add an account first, e.g. "
            f"`docmine review users add NAME --role admin --results {folder}`"
        )
    store.close()
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        typer.echo(
            f"warning: listening on {host}, not on loopback: anyone who can reach this machine can reach the desk's "
            "log-in page, and traffic is not encrypted (put it behind HTTPS)",
            err=True,
        )
    app = create_app(folder, annotations or folder / "annotations")
    typer.echo(f"review desk for {folder} on http://{host}:{port}/ (Ctrl-C stops it)")
    # No access log: request lines carry count ids and the queue's filters (names).
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user name (one word).")],
    results: Annotated[Optional[Path], typer.Argument(help="The results folder (or --results).")] = None,
    role: Annotated[
        Role, typer.Option("--role", help="reviewer: decides; approver: also approves others'; admin: all.")
    ] = Role.reviewer,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (one line).")
    ] = False,
    results_option: Annotated[Optional[Path], _RESULTS_OPTION] = None,
) -> None:
    """Add an account (asks for its password, or reads it from standard input)."""
    folder = _folder(results, results_option)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)
    user = _store(folder).add_user(name, role.value, password)
    typer.echo(f"added {user.name} ({user.role}) to the desk of {folder}")


@users_app.command("list")
def users_list(
    results: Annotated[Optional[Path], typer.Argument(help="The results folder (or --results).")] = None,
    results_option: Annotated[Optional[Path], _RESULTS_OPTION] = None,
) -> None:
    """List the accounts."""
    folder = _folder(results, results_option)
    users = _store(folder).users()
    if not users:
        typer.echo("no accounts yet: docmine review users add NAME --role admin")
    for u in users:
        typer.echo(f"{u.name}\t{u.role}\t{'disabled' if u.disabled else 'enabled'}\t{u.created}")


@users_app.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(help="The user name.")],
    results: Annotated[Optional[Path], typer.Argument(help="The results folder (or --results).")] = None,
    results_option: Annotated[Optional[Path], _RESULTS_OPTION] = None,
) -> None:
    """Disable an account: it can no longer log in, and its open sessions end."""
    folder = _folder(results, results_option)
    _store(folder).disable_user(name)
    typer.echo(f"disabled {name}")


@review_app.command("audit")
def audit_command(
    results: Annotated[Path, typer.Argument(help="The results folder.")],
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Also write the log to this CSV file.")] = None,
) -> None:
    """Verify the audit log's hash chain (exit 1 when it was tampered with), and export it."""
    folder = _folder(results, None)
    store = _store(folder)
    check = store.verify_audit()
    if csv_file is not None:
        rows = store.export_audit(csv_file)
        typer.echo(f"wrote {rows} audit rows to {csv_file}")
    if check.ok:
        typer.echo(f"audit log of {folder}: {check.rows} rows, hash chain intact")
        return
    typer.echo(f"audit log of {folder}: TAMPERED: {check.problem}", err=True)
    raise typer.Exit(1)
