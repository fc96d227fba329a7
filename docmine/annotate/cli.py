"""`docmine annotate export|import`: the command line shell over `docmine.annotate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from docmine.console import choices
from docmine.errors import DocmineError

annotate_app = typer.Typer(help="Export pages for annotators and take their corrections back.", no_args_is_help=True)


Tool = choices("Tool", "label-studio", "prodigy", "doccano")


Selection = choices("Selection", "all", "uncertain")


def _consoles():
    from rich.console import Console

    return Console(soft_wrap=True), Console(stderr=True, soft_wrap=True)


@annotate_app.command("export")
def export_command(
    inputs: Annotated[list[Path], typer.Argument(help="Scans/PDFs/images, or gold pages (.jsonl).")],
    to: Annotated[Tool, typer.Option("--to", help="The annotation tool's import format.")],
    out_file: Annotated[Path, typer.Option("--out", help="File to write (Label Studio: .json, others: .jsonl).")],
    select: Annotated[
        Selection, typer.Option("--select", help="all (input order) or uncertain (the model's least sure pages first).")
    ] = Selection.all,
    limit: Annotated[
        Optional[int], typer.Option("--limit", min=1, help="Keep this many pages (after ordering).")
    ] = None,
    redact: Annotated[
        bool, typer.Option("--redact", help="Replace names, DOBs, CII/case numbers and addresses by keyed fakes.")
    ] = False,
    key: Annotated[
        Optional[Path],
        typer.Option("--key", help="Redaction key file (default annotations/.redaction.key, created if missing)."),
    ] = None,
    model: Annotated[
        Optional[Path], typer.Option("--model", help="Entity model folder (default: the shipped model).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="OCR processes.")] = 1,
    images: Annotated[
        Optional[Path],
        typer.Option("--images", help="Folder for the pages' images (redacted with --redact); tasks name them."),
    ] = None,
) -> None:
    """Write annotation tasks with the model's spans as pre-annotations."""
    from docmine.annotate.workflow import export

    out, err = _consoles()
    result = export(
        inputs, to.value, out_file, select=select.value, limit=limit, redact=redact, key_path=key, model=model,
        log=lambda m: err.print(f"[yellow]warning:[/] {m}", highlight=False), workers=workers, images=images,
    )  # fmt: skip
    out.print(
        f"{result.out}: {result.pages} of {result.of} pages for {to.value}"
        + (" (most uncertain first)" if select is Selection.uncertain else ""),
        highlight=False,
    )
    if result.config is not None:
        out.print(f"{result.config}: the Label Studio labeling interface for the project", highlight=False)
    if result.sidecar is not None:
        out.print(
            f"{result.sidecar}: redaction map with the original text: keep it in the office (import --restore uses it)",
            highlight=False,
        )


@annotate_app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(help="The tool's export file(s); several files = several annotators.")],
    from_: Annotated[Tool, typer.Option("--from", help="The annotation tool the file comes from.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the gold pages (JSON Lines + spaCy DocBin).")
    ] = Path("annotations/imported"),
    name: Annotated[
        Optional[str], typer.Option("--name", help="File name (default: <tool>-<first file's name>).")
    ] = None,
    restore: Annotated[
        Optional[Path],
        typer.Option("--restore", help="The export's .office-only.jsonl: put spans back on the unredacted text."),
    ] = None,
) -> None:
    """Validate annotations, keep them as gold pages, and report annotator agreement."""
    from rich.table import Table

    from docmine.annotate.workflow import import_annotations

    out, err = _consoles()
    result = import_annotations(files, from_.value, out_dir, name=name, restore=restore)
    for line in result.rejected:
        err.print(f"[yellow]rejected:[/] {line}", highlight=False)
    out.print(
        f"{result.jsonl}: {result.pages} pages, {result.spans} spans from {result.annotations} annotations "
        f"({len(result.rejected)} rejected); {result.docbin}",
        highlight=False,
    )
    if result.agreement:
        table = Table(title="annotator agreement (pairwise F1, exact spans)")
        for column in ("label", "pages", "spans A", "spans B", "matched", "F1"):
            table.add_column(column)
        for row in result.agreement:
            table.add_row(row.label, str(row.pages), str(row.first), str(row.second), str(row.matched), f"{row.f1:.3f}")
        out.print(table)
    if result.rejected and not result.pages:
        raise DocmineError("every annotation was rejected")
