"""The `docmine` command line. Each subcommand is a thin shell over a library function.

A mistake in the user's input (a missing file, a bad option, an unreadable document)
ends with a one-line message naming the file and exit status 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from docmine.errors import DocmineError

app = typer.Typer(
    name="docmine",
    help="Read scanned and PDF California criminal-court records, extract convictions, "
    "and decide Prop 64 relief (HS 11361.8), offline, with every decision traced to its page.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


class Noise(str, Enum):
    none = "none"
    light = "light"
    heavy = "heavy"


@app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the synthetic archive into.")],
    n: Annotated[int, typer.Option("--n", min=0, help="Number of documents (RAP sheets, dockets, other papers).")] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, byte-identical files.")] = 0,
    noise: Annotated[Noise, typer.Option("--noise", help="Scan degradation of the image versions.")] = Noise.light,
    doj: Annotated[bool, typer.Option("--doj", help="Write a DOJ bulk research file (95 columns) instead.")] = False,
    rows: Annotated[int, typer.Option("--rows", min=1, help="Rows of the DOJ bulk file (with --doj).")] = 1000,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Processes (default: all cores); output is the same whatever the number.")] = None,
) -> None:
    """Generate synthetic records with exact ground truth (no real person's data)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if doj:
        from docmine.synth.doj import write_doj_file

        stats = write_doj_file(
            out_dir / "doj_bulk.csv", rows=rows, seed=seed, truth_path=out_dir / "doj_bulk.truth.jsonl", workers=workers or 1
        )
        out.print(f"wrote {out_dir / 'doj_bulk.csv'}: {stats}")
        return
    from docmine.synth import generate

    generate(n=n, seed=seed, out=out_dir, noise=noise.value, workers=workers)
    _print_synth_summary(out_dir)


def _print_synth_summary(out_dir: Path) -> None:
    data = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    table = Table(title=f"synthetic archive in {out_dir}")
    for column in ("document", "type", "layout", "split", "pages", "counts"):
        table.add_column(column)
    for doc in data["documents"]:
        table.add_row(
            doc["stem"], doc["doc_type"], str(doc.get("layout", "")), doc.get("split", ""),
            str(doc.get("pages", "")), str(doc.get("counts", "")),
        )
    out.print(table)


class OcrFormat(str, Enum):
    text = "text"
    json = "json"
    hocr = "hocr"


@app.command()
def ocr(
    file: Annotated[Path, typer.Argument(help="A PDF, PNG, JPEG or TIFF (the type is read from the content).")],
    format: Annotated[OcrFormat, typer.Option("--format", help="text, json (words, boxes, confidence, source) or hocr.")] = OcrFormat.text,
    workers: Annotated[int, typer.Option("--workers", min=1, help="OCR processes (pages in parallel).")] = 1,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds per page before it becomes a page error.")] = 120,
) -> None:
    """Read a document: text layer where genuine, OCR where not; page by page, errors kept."""
    from docmine import ingest

    if not file.is_file():
        raise DocmineError(f"{file}: no such file")
    document = ingest.load(file, workers=workers, ocr_timeout=timeout)
    rendered = {"text": ingest.to_text, "json": ingest.to_json, "hocr": ingest.to_hocr}[format.value](document)
    sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    for page in document.pages:
        if page.error:
            console.print(f"[yellow]warning:[/] {file}, page {page.number}: {page.error}", highlight=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one count in the output contract."""
    from docmine.contract import counts_schema

    out.print_json(json.dumps(counts_schema()))


@app.command()
def validate(
    counts_file: Annotated[Path, typer.Argument(help="A counts JSON Lines file.", exists=True, dir_okay=False)],
) -> None:
    """Check a counts JSON Lines file against the output contract."""
    from docmine.contract import ContractError, validate_count

    n = 0
    with counts_file.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                validate_count(json.loads(line))
            except (ValueError, ContractError) as exc:
                raise DocmineError(f"{counts_file}: line {line_number}: {exc}") from exc
            n += 1
    out.print(f"{counts_file}: {n} counts follow the output contract")


def main(argv: Optional[list[str]] = None) -> None:
    try:
        app(args=argv, standalone_mode=True)
    except DocmineError as exc:
        console.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        console.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
