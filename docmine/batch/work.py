"""Phase 1 for one document, the same function in a local worker and on a Dask worker:
read it (`docmine.ingest`: text layer or OCR, page by page), extract its counts
(`docmine.extract`), and say what happened to each page. It never raises for a bad
document: the reason comes back in `Outcome.error`, so the batch goes on.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from dataclasses import dataclass, field, replace
from typing import Any

# Documents whose content turns out to be plain text although the name says otherwise.
_DOCUMENT_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


@dataclass(frozen=True)
class Task:
    """One document to read. The bytes are at `path` (or member `member` of the zip at
    `path`), or in `data` where the worker cannot see the archive (a Dask cluster)."""

    sha256: str
    name: str  # the document's name in its counts (the file name, readable)
    display: str  # its path in messages
    path: str | None = None
    member: str | None = None
    data: bytes | None = None
    timeout: float = 600.0
    use_model: bool = True


@dataclass(frozen=True)
class Outcome:
    sha256: str
    status: str  # done | error
    doc_type: str = ""
    pages: int = 0
    error: str = ""
    seconds: float = 0.0
    max_rss_mb: float = 0.0
    page_rows: tuple[tuple[int, str, str, str], ...] = ()  # page, source, ok | error, error
    counts: tuple[Any, ...] = field(default=(), repr=False)  # docmine.records.Count


def failed(task: Task, error: str, seconds: float = 0.0) -> Outcome:
    return Outcome(task.sha256, "error", error=error, seconds=seconds)


_MODEL: Any = None


def _model() -> Any:
    """The entity model, loaded once per worker process and only when a page was OCR'd."""
    global _MODEL
    if _MODEL is None:
        from docmine.nlp import load_model

        _MODEL = load_model(None)
    return _MODEL


def warm(use_model: bool = True) -> None:
    """Import the readers (and load the entity model) before the first document: a worker
    does it while the batch walks, and the first document's time cap is not spent on it."""
    from docmine.extract import extract  # noqa: F401
    from docmine.extract.confidence import default_calibrator
    from docmine.extract.route import default_router
    from docmine.ingest import load  # noqa: F401

    default_router()
    default_calibrator()
    if use_model:
        _model()


def process(task: Task) -> Outcome:
    """Read and extract one document; the outcome says done (with counts) or error (why)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one core per worker: Tesseract's threads would fight them
    started = time.perf_counter()
    path = ""
    try:
        with tempfile.TemporaryDirectory(prefix="docmine-batch-") as tmp:
            path = _materialize(task, tmp)
            outcome = _extract(task, path)
    except MemoryError:
        outcome = failed(task, "ran out of memory while reading it (over the worker's memory cap)")
    except Exception as exc:  # noqa: BLE001 - one document's failure must not stop the archive
        from docmine.errors import DocmineError, DocumentError

        if isinstance(exc, DocumentError):
            outcome = failed(task, exc.problem if exc.page is None else f"page {exc.page}: {exc.problem}")
        elif isinstance(exc, DocmineError):
            outcome = failed(task, str(exc))
        else:
            outcome = failed(task, f"internal error while reading it: {type(exc).__name__}: {exc}")
    if path:
        outcome = _scrub(outcome, path, task.display)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return Outcome(
        outcome.sha256, outcome.status, outcome.doc_type, outcome.pages, outcome.error,
        round(time.perf_counter() - started, 3), round(rss, 1), outcome.page_rows, outcome.counts,
    )  # fmt: skip


def _scrub(outcome: Outcome, path: str, display: str) -> Outcome:
    """Messages name the document as the archive does, never the temporary copy read (which
    differs from run to run)."""
    if path == display or (path not in outcome.error and not any(path in r[3] for r in outcome.page_rows)):
        return outcome
    rows = tuple((n, source, status, error.replace(path, display)) for n, source, status, error in outcome.page_rows)
    return replace(outcome, error=outcome.error.replace(path, display), page_rows=rows)


def _materialize(task: Task, tmp: str) -> str:
    """A path whose file name is the document's name: extraction names documents by it."""
    name = task.name if 0 < len(os.fsencode(task.name)) <= 200 and task.name not in (".", "..") else "document"
    target = os.path.join(tmp, name)
    if task.data is not None:
        with open(target, "wb") as f:
            f.write(task.data)
        return target
    assert task.path is not None
    if task.member is not None:
        from docmine.batch.walk import Entry, open_member

        with open_member(Entry(task.display, task.path, task.member)) as src, open(target, "wb") as dst:
            for block in iter(lambda: src.read(1 << 20), b""):
                dst.write(block)
        return target
    if os.path.basename(task.path) == name:
        return task.path
    os.symlink(os.path.abspath(task.path), target)  # a name that is not UTF-8 on disk, shown escaped
    return target


def _extract(task: Task, path: str) -> Outcome:
    from docmine.errors import DocumentError
    from docmine.extract import extract, extract_text, read_text_file
    from docmine.ingest import load
    from docmine.ingest.sniff import InputKind, kind_of
    from docmine.records import DocType, TextSource

    try:
        kind = kind_of(path)
    except DocumentError as error:
        return failed(task, error.problem if error.page is None else f"page {error.page}: {error.problem}")
    if kind != InputKind.DOCUMENT:  # a plain-text record
        result = extract_text(read_text_file(path), nlp=None)
        pages = tuple((n, "text", "ok", "") for n in range(1, result.pages + 1))
        if result.doc_type not in (DocType.RAP_SHEET, DocType.DOCKET) and task.name.lower().endswith(
            _DOCUMENT_SUFFIXES
        ):
            suffix = os.path.splitext(task.name)[1].lower()
            return failed(
                task, f"plain text named {suffix} (not a {suffix[1:].upper()} file), and no RAP sheet or docket in it"
            )
        return Outcome(task.sha256, "done", result.doc_type.value, result.pages, page_rows=pages, counts=result.counts)
    document = load(path, ocr_timeout=task.timeout, workers=1)
    ocr = any(p.source == TextSource.OCR for p in document.pages)
    result = extract(document, name=task.name, nlp=_model() if task.use_model and ocr else None)
    pages = tuple((p.number, p.source.value, "error" if p.error else "ok", p.error or "") for p in document.pages)
    return Outcome(task.sha256, "done", result.doc_type.value, result.pages, page_rows=pages, counts=result.counts)
