"""The `docmine` command line. Each subcommand is a thin shell over a library function.

A mistake in the user's input (a missing file, a bad option, an unreadable document)
ends with a one-line message naming the file and exit status 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from docmine.console import choices, console, out
from docmine.errors import DocmineError

app = typer.Typer(
    name="docmine",
    help="Read scanned and PDF California criminal-court records, extract convictions, "
    "and decide Prop 64 relief (HS 11361.8), offline, with every decision traced to its page.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


Noise = choices("Noise", "none", "light", "heavy")


@app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the synthetic archive into.")],
    n: Annotated[int, typer.Option("--n", min=0, help="Number of documents (RAP sheets, dockets, other papers).")] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, byte-identical files.")] = 0,
    noise: Annotated[Noise, typer.Option("--noise", help="Scan degradation of the image versions.")] = Noise.light,
    doj: Annotated[bool, typer.Option("--doj", help="Write a DOJ bulk research file (95 columns) instead.")] = False,
    rows: Annotated[int, typer.Option("--rows", min=1, help="Rows of the DOJ bulk file (with --doj).")] = 1000,
    workers: Annotated[
        Optional[int],
        typer.Option(
            "--workers", min=1, help="Processes (default: all cores); output is the same whatever the number."
        ),
    ] = None,
) -> None:
    """Generate synthetic records with exact ground truth (no real person's data)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if doj:
        from docmine.synth.doj import write_doj_file

        stats = write_doj_file(
            out_dir / "doj_bulk.csv",
            rows=rows,
            seed=seed,
            truth_path=out_dir / "doj_bulk.truth.jsonl",
            workers=workers or 1,
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
        )  # fmt: skip
    out.print(table)


OcrFormat = choices("OcrFormat", "text", "json", "hocr")


@app.command()
def ocr(
    file: Annotated[Path, typer.Argument(help="A PDF, PNG, JPEG or TIFF (the type is read from the content).")],
    format: Annotated[
        OcrFormat, typer.Option("--format", help="text, json (words, boxes, confidence, source) or hocr.")
    ] = OcrFormat.text,
    workers: Annotated[int, typer.Option("--workers", min=1, help="OCR processes (pages in parallel).")] = 1,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds per page before it becomes a page error.")
    ] = 120,
    look: Annotated[
        bool,
        typer.Option(
            "--second-look/--no-second-look",
            help="Also read unsure faxes with the other clean-up and unsure code-like words enlarged "
            "(what extraction does for documents with a count relief may turn on); off: each page read once.",
        ),
    ] = False,
) -> None:
    """Read a document: text layer where genuine, OCR where not; page by page, errors kept."""
    from docmine import ingest

    if not file.is_file():
        raise DocmineError(f"{file}: no such file")
    document = ingest.load(file, workers=workers, ocr_timeout=timeout)
    if look:
        document = ingest.second_look(document, timeout)
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


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="PDFs, images or plain-text records.")],
    out_file: Annotated[Path, typer.Option("--out", help="Counts JSON Lines file to write (output contract).")],
    model: Annotated[
        Optional[Path], typer.Option("--model", help="Entity model folder (default: the shipped model).")
    ] = None,
    use_model: Annotated[
        bool, typer.Option("--use-model/--rules-only", help="Use the entity model beside the rule layer.")
    ] = True,
    workers: Annotated[int, typer.Option("--workers", min=1, help="OCR processes (pages in parallel).")] = 1,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds per OCR page before it becomes a page error.")
    ] = 120,
) -> None:
    """Extract every count of RAP sheets and dockets into the output contract; other papers are reported."""
    from docmine.contract import dumps_count
    from docmine.extract import extract_path

    nlp = None
    if use_model:
        from docmine.nlp import load_model

        nlp = load_model(model)
    table = Table(title=f"extracted into {out_file}")
    for column in ("document", "kind", "pages", "counts", "flagged for review", "problems"):
        table.add_column(column)
    failures = 0
    tmp = out_file.with_name(out_file.name + ".part")
    with tmp.open("w", encoding="utf-8") as handle:
        for path in paths:
            try:
                result = extract_path(path, nlp=nlp, workers=workers, ocr_timeout=timeout)
            except DocmineError as exc:
                failures += 1
                console.print(f"[bold red]error:[/] {exc}", highlight=False)
                table.add_row(str(path), "-", "-", "-", "-", "unreadable")
                continue
            for count in result.counts:
                handle.write(dumps_count(count) + "\n")
            problems = "; ".join(f"page {n}: {e}" for n, e in result.page_errors)
            if result.doc_type.value in ("other", "unrecognized"):
                problems = (problems + "; " if problems else "") + result.route.reason
            table.add_row(
                str(path), result.doc_type.value, str(result.pages), str(len(result.counts)),
                str(len(result.flagged)), problems,
            )  # fmt: skip
    tmp.replace(out_file)
    out.print(table)
    if failures == len(paths):
        raise DocmineError(f"none of the {len(paths)} input(s) could be read")


@app.command()
def evaluate(
    gold: Annotated[
        Path, typer.Argument(help="Gold counts (JSON Lines, output contract).", exists=True, dir_okay=False)
    ],
    predicted: Annotated[Path, typer.Argument(help="Extracted counts (JSON Lines).", exists=True, dir_okay=False)],
    review_below: Annotated[
        Optional[float],
        typer.Option(
            "--review-below", help="Confidence under which a count is flagged (default: the shipped calibration's)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Precision/recall/F1 per charge family, accuracy per field, and the review rate."""
    from docmine.extract.confidence import DEFAULT_REVIEW_BELOW, default_calibrator
    from docmine.extract.evaluate import load_counts, score, summary_rows

    if review_below is None:
        calibrator = default_calibrator()
        review_below = calibrator.review_below if calibrator else DEFAULT_REVIEW_BELOW
    report = score(load_counts(gold), load_counts(predicted), review_threshold=review_below)
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
        return
    table = Table(title=f"{predicted} against {gold} (review below {review_below:.2f})")
    for column in ("measure", "value", "detail"):
        table.add_column(column)
    for row in summary_rows(report):
        table.add_row(*row)
    out.print(table)


@app.command("check")
def check_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Documents (PDF, PNG, JPEG, TIFF, plain-text RAP sheets and dockets), counts JSON Lines or DOJ bulk CSV files (told apart by their content)."
        ),
    ],
    policy: Annotated[
        str,
        typer.Option(
            "--policy",
            help="A shipped policy (statute, gogen-configurable-2019, la-pilot-2019, sacramento, san-joaquin, contra-costa, los-angeles-2020, san-francisco) or a policy .toml file.",
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out", help="The results folder (counts, people, review, decisions, motions, errors, run.json)."
        ),
    ],
    as_of: Annotated[
        Optional[str], typer.Option("--as-of", help="Evaluation date YYYY-MM-DD (default: today).")
    ] = None,
    use_model: Annotated[
        bool, typer.Option("--use-model/--rules-only", help="Use the entity model on OCR'd documents.")
    ] = True,
    workers: Annotated[
        Optional[int],
        typer.Option(
            "--workers",
            min=1,
            help="Processes: OCR'd pages, and DOJ subjects, in parallel (default: all cores); the results are the same whatever the number.",
        ),
    ] = None,
) -> None:
    """Decide Prop 64 relief (HS 11361.8) for every marijuana conviction and write the results folder."""
    import os

    from docmine.results import check_to_folder
    from docmine.results.progress import RowsProgress
    from docmine.results.summary import summary_table

    summary = check_to_folder(
        inputs, policy, as_of, out_dir, use_model=use_model, workers=workers or os.cpu_count() or 1,
        progress=RowsProgress(console),
    )  # fmt: skip
    for problem in summary["problems"]:
        console.print(f"[yellow]warning:[/] {problem}", highlight=False)
    if summary["errors"]:
        console.print(
            f"[yellow]warning:[/] {summary['errors']} input(s) or page(s) could not be read: {out_dir / 'errors.csv'}",
            highlight=False,
        )
    out.print(summary_table(out_dir))


@app.command("train")
def train_command(
    corpus: Annotated[
        Optional[Path],
        typer.Option(
            "--corpus",
            help="A corpus written by `docmine synth` (train split used); default: draw --docs documents in memory from --seed.",
        ),
    ] = None,
    annotations: Annotated[
        Path,
        typer.Option(
            "--annotations",
            help="Gold annotations folder: every *.jsonl under it trains, except the held-out dev.jsonl/test.jsonl.",
        ),
    ] = Path("annotations"),
    out_dir: Annotated[
        Optional[Path],
        typer.Option("--out", help="Folder for the new model version (default: models/versions/docmine-ner-vNNN)."),
    ] = None,
    shipped: Annotated[
        Path,
        typer.Option("--shipped", help="The shipped model: compared with, and replaced only if the new one is better."),
    ] = Path("models/docmine-ner"),
    held_out: Annotated[
        Optional[Path],
        typer.Option("--held-out", help="Fixed held-out gold pages (default: <annotations>/gold/test.jsonl)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the shipped model even if the new one is not better (warns).")
    ] = False,
    base: Annotated[
        Optional[Path],
        typer.Option("--base", help="Start from this model's weights (fine-tune) instead of from scratch."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the drawn corpus, the damage and spaCy.")] = 0,
    docs: Annotated[
        int, typer.Option("--docs", min=10, help="Documents to draw when no --corpus is given (about 80% are train).")
    ] = 600,
    max_steps: Annotated[int, typer.Option("--max-steps", min=1, help="spaCy training steps.")] = 2400,
    gold_copies: Annotated[
        int, typer.Option("--gold-copies", min=1, help="Times each gold page is seen per epoch.")
    ] = 1,
    damaged_copies: Annotated[
        int, typer.Option("--damaged-copies", min=0, help="OCR-damaged copies of each synthetic page.")
    ] = 2,
    ocr_dir: Annotated[
        Optional[Path], typer.Option("--ocr-dir", help="Pickled OCR Documents of train scans (with --ocr-truth).")
    ] = None,
    ocr_truth: Annotated[
        Optional[Path], typer.Option("--ocr-truth", help="The truth/ folder holding their pages.json.")
    ] = None,
) -> None:
    """Train a new entity model version; it replaces the shipped model only if better on the held-out gold pages."""
    from docmine.annotate.retrain import retrain

    for folder in (corpus, ocr_dir, ocr_truth, base):
        if folder is not None and not folder.is_dir():
            raise DocmineError(f"{folder}: no such folder")
    if corpus is not None and not (corpus / "manifest.json").is_file():
        raise DocmineError(f"{corpus}: not a synthetic corpus (no manifest.json)")
    result = retrain(
        shipped=shipped, candidate=out_dir, annotations=annotations if annotations.is_dir() else None,
        held_out_path=held_out or annotations / "gold" / "test.jsonl", force=force,
        log=lambda m: console.print(m, highlight=False), seed=seed, n_docs=docs, corpus=corpus, ocr_dir=ocr_dir,
        ocr_truth=ocr_truth, max_steps=max_steps, base=base, annotation_copies=gold_copies,
        damaged_copies=damaged_copies,
    )  # fmt: skip
    old = "n/a" if result.shipped_f1 is None else f"{result.shipped_f1:.4f}"
    verdict = (
        "replaced the shipped model (--force)"
        if result.forced
        else "replaced the shipped model"
        if result.promoted
        else "kept the shipped model"
    )
    out.print(
        f"{result.candidate}: trained on {result.train_pages} pages in {result.seconds:.0f} s; held-out F1 "
        f"{result.candidate_f1:.4f} vs shipped {old} on {result.held_out_pages} pages: {verdict} ({result.shipped})",
        highlight=False,
    )


# Commands that live beside their own package (each module imports its heavy parts lazily).
from docmine.batch.cli import batch_command  # noqa: E402
from docmine.annotate.cli import annotate_app  # noqa: E402
from docmine.report.cli import report_command  # noqa: E402
from docmine.review.cli import review_app  # noqa: E402

app.command("batch")(batch_command)
app.add_typer(annotate_app, name="annotate")
app.command("report")(report_command)
app.add_typer(review_app, name="review")


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
