"""`prepare_inputs(paths, work_dir)`: what `docmine check` was given, made ready for `build`.

Each path is told apart by its content: a DOJ bulk CSV and a counts JSON Lines file are read
as they are; anything else is a document (PDF, image, or a plain-text RAP sheet or docket)
whose counts are extracted (`docmine.extract.extract_path`) into a counts JSON Lines file
under `work_dir`. A document that cannot be read, and each page that could not, becomes an
`InputError` (errors.csv) and the rest goes on; a path that does not exist is the user's
mistake on the command line and stops the run (`DocmineError`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from docmine.contract import dumps_count, sha256_file
from docmine.errors import DocmineError, DocumentError
from docmine.results.files import write_text
from docmine.results.inputs import InputError, InputFile

DOJ, COUNTS, DOCUMENT = "doj", "counts", "document"


def kind_of(path: Path) -> str:
    """doj, counts or document (a PDF, an image or a plain-text record), from
    `docmine.ingest.sniff.kind_of`; DocumentError when it is none of them."""
    from docmine.ingest.sniff import InputKind
    from docmine.ingest.sniff import kind_of as input_kind

    kind = input_kind(path)
    return {InputKind.DOJ: DOJ, InputKind.COUNTS: COUNTS}.get(kind, DOCUMENT)


def prepare_inputs(
    paths: Sequence[str | Path],
    work_dir: Path,
    *,
    use_model: bool = True,
    workers: int = 1,
    ocr_timeout: float = 120,
    log: Callable[[str], None] | None = None,
) -> tuple[list[InputFile], list[InputError]]:
    """The inputs `build` reads, and the files (or pages) that could not be read."""
    from docmine.extract import extract_path

    for path in paths:
        if not Path(path).is_file():
            raise DocmineError(f"{path}: no such file")
    inputs: list[InputFile] = []
    errors: list[InputError] = []
    nlp: Any = None
    model_loaded = False
    for path in paths:
        path = Path(path)
        try:
            kind = kind_of(path)
        except DocumentError as error:
            errors.append(InputError(str(path), error.problem))
            continue
        sha = sha256_file(path)
        if kind != DOCUMENT:
            inputs.append(InputFile(str(path), sha, kind))
            continue
        if use_model and not model_loaded:
            from docmine.nlp import load_model

            nlp, model_loaded = load_model(), True
        if log:
            log(f"extracting {path}")
        try:
            result = extract_path(path, nlp=nlp, workers=workers, ocr_timeout=ocr_timeout)
        except DocumentError as error:
            errors.append(InputError(str(path), error.problem, error.page))
            continue
        errors.extend(InputError(str(path), reason, page) for page, reason in result.page_errors)
        counts_path = None
        if result.counts:
            target = Path(work_dir) / f"{sha[:16]}.{_safe(path.name)}.counts.jsonl"
            write_text(target, "".join(dumps_count(c) + "\n" for c in result.counts))
            counts_path = str(target)
        inputs.append(InputFile(str(path), sha, DOCUMENT, counts_path, result.pages, result.doc_type.value))
    return inputs, errors


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
