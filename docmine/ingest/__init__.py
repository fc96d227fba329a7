"""Ingest: a file (PDF, PNG, JPEG, TIFF) -> `Document` of pages with text, words and boxes.

    doc = docmine.ingest.load("rap_sheet.pdf", workers=2)
    for page in doc.pages:
        page.source, page.source_reason, page.error

The file type comes from its content (`sniff`). PDF pages keep their own text layer where
it is genuine and complete (`triage`) and are rendered (300 dpi, or a scan's own lower
resolution) and OCR'd otherwise; images are OCR'd (`ocr`, after `preprocess`; a page that
reads badly is read turned as well, so scans on their side or upside down come out
upright, with boxes still on the page as given). Text keeps the printed rows and columns
(`layout`). `iter_pages` yields pages as they are ready, in order, with memory flat on
long files; `load` collects them. `output` writes text, JSON and hOCR; `cer` scores OCR.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import multiprocessing
import os
from dataclasses import replace
from typing import Iterator

from docmine.contract import sha256_file
from docmine.ingest import sniff as _sniff
from docmine.ingest.ocr import CLEAN_CONFIG, OcrOptions, OcrResult, look_later, ocr_page
from docmine.ingest.tesseract import warm as warm_engine
from docmine.ingest.output import to_hocr, to_json, to_text
from docmine.ingest.sources import DEFAULT_MAX_PIXELS, OcrJob, image_pages, pdf_pages
from docmine.records import Box, Document, Page, TextSource

# How files are read: each OCR page once; the second look at its unsure code-like words waits
# for extraction to say whether the document's counts are worth it (`docmine.extract.extract`).
LOAD_OPTIONS = OcrOptions(second_look="later")

__all__ = [
    "load",
    "iter_pages",
    "second_look",
    "sha256_file",
    "OcrOptions",
    "DEFAULT_MAX_PIXELS",
    "to_text",
    "to_json",
    "to_hocr",
]

# Workers are forked: they start with the parent's Tesseract engine loaded (`tesseract.warm`).
_FORK = multiprocessing.get_context("fork")

# A worker that has not answered this long after its page's OCR deadline is stuck in
# something Tesseract's own timeout does not cover; it is stopped and the page failed.
_GRACE_S = 60.0


def load(
    path: str | os.PathLike,
    *,
    ocr_timeout: float = 120,
    workers: int = 1,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    options: OcrOptions | None = None,
) -> Document:
    """Read a whole file. Raises `DocumentError` when the file cannot be read at all;
    pages that fail on their own come back with `source=NONE` and `error` set."""
    path = os.fspath(path)
    media = _sniff.sniff(path)
    pages = tuple(_pages(path, media, ocr_timeout, workers, max_pixels, options or LOAD_OPTIONS))
    return Document(path, sha256_file(path), pages, media)


def iter_pages(
    path: str | os.PathLike,
    *,
    ocr_timeout: float = 120,
    workers: int = 1,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    options: OcrOptions | None = None,
) -> Iterator[Page]:
    """The pages of a file in order, each as soon as it and those before it are done."""
    path = os.fspath(path)
    media = _sniff.sniff(path)
    yield from _pages(path, media, ocr_timeout, workers, max_pixels, options or LOAD_OPTIONS)


def _page(job: OcrJob, result: OcrResult) -> Page:
    reason = f"{job.note}; {result.reason}" if job.note else result.reason
    if result.error:
        return Page(job.number, job.width, job.height, "", (), TextSource.NONE, reason, result.error)
    words = tuple(w if _inside(w.box, job) else _clamp(w, job) for w in result.words)
    return Page(job.number, job.width, job.height, result.text, words, TextSource.OCR, reason, later=result.later)


def second_look(document: Document, timeout: float = 60.0, where: dict[int, tuple[Box, ...]] | None = None) -> Document:
    """The document with its OCR pages' reading finished now (`ocr.look_later`: an unsure fax
    read with the other clean-up, then the unsure code-like words enlarged, by the same engine),
    for pages that kept what it needs. `where`: per page number, the boxes (page points) of the
    words worth the second look (`docmine.extract.look.where_to_look`; a page it leaves out has
    none, though an unsure fax is still read again whole). None: every unsure code-like word."""
    pages = []
    for page in document.pages:
        if page.later is None:
            pages.append(page)
            continue
        boxes = None if where is None else where.get(page.number, ())
        result = look_later(page.later, timeout, boxes)
        note = page.source_reason.rsplit("; OCR (", 1)[0] + "; " if "; OCR (" in page.source_reason else ""
        job = OcrJob(page.number, page.width, page.height, None, 0.0, note.removesuffix("; "))
        pages.append(_page(job, result))
    return replace(document, pages=tuple(pages))


def _inside(box, job: OcrJob) -> bool:
    return 0 <= box[0] <= box[2] <= job.width and 0 <= box[1] <= box[3] <= job.height


def _clamp(word, job: OcrJob):
    x0, y0, x1, y1 = word.box
    w, h = job.width, job.height
    box = (min(max(x0, 0.0), w), min(max(y0, 0.0), h), min(max(x1, 0.0), w), min(max(y1, 0.0), h))
    return replace(word, box=box)


def _run(job: OcrJob, timeout: float, options: OcrOptions) -> OcrResult:
    return ocr_page(job.gray, job.dpi, timeout=timeout, options=options)


def _tesseract_version() -> None:
    """Ask once per process, before the workers fork: pytesseract checks the version (one
    `tesseract --version` run) on a process's first call and caches it, and forked
    workers inherit the cache instead of each running it again."""
    from docmine.ingest.tesseract import backend

    if backend() == "engine":
        return  # the engine asks no binary
    import pytesseract

    try:
        pytesseract.get_tesseract_version(cached=True)
    except Exception:  # noqa: BLE001 - no tesseract: each page says so in its error
        pass


class _Pool:
    """A process pool that can be thrown away when a worker hangs, and restarted."""

    def __init__(self, workers: int):
        self.workers = workers
        self.executor: cf.ProcessPoolExecutor | None = None

    def submit(self, job: OcrJob, timeout: float, options: OcrOptions) -> cf.Future:
        if self.executor is None:
            _tesseract_version()
            warm_engine(options.config or CLEAN_CONFIG, options.lang)  # each forked worker starts with it
            self.executor = cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=_FORK)
        return self.executor.submit(_run, job, timeout, options)

    def kill(self) -> None:
        if self.executor is None:
            return
        for proc in list(getattr(self.executor, "_processes", {}).values()):
            proc.kill()  # only the processes this pool started
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = None

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def _pages(path: str, media: str, timeout: float, workers: int, max_pixels: int, options: OcrOptions) -> Iterator[Page]:
    if media == _sniff.PDF:
        source = pdf_pages(path, max_pixels)
    else:
        source = image_pages(path, media, max_pixels)
    if workers <= 1:
        for item in source:
            yield _page(item, _run(item, timeout, options)) if isinstance(item, OcrJob) else item
        return

    pool = _Pool(workers)
    # In order: finished pages and (job, future) pairs; at most 2 jobs per worker in
    # flight, so pages of a long file never pile up in memory.
    pending: collections.deque = collections.deque()
    in_flight = 0
    try:
        for item in source:
            if isinstance(item, OcrJob):
                pending.append((item, pool.submit(item, timeout, options)))
                in_flight += 1
            else:
                pending.append(item)
            while pending and (in_flight >= 2 * workers or _ready(pending[0])):
                head = pending.popleft()
                if isinstance(head, tuple):
                    in_flight -= 1
                    yield _collect(head, pool, pending, timeout, options)
                else:
                    yield head
        while pending:
            head = pending.popleft()
            yield _collect(head, pool, pending, timeout, options) if isinstance(head, tuple) else head
    finally:
        source.close()
        pool.close()


def _ready(item) -> bool:
    return not isinstance(item, tuple) or item[1].done()


def _collect(item, pool: _Pool, pending, timeout: float, options: OcrOptions) -> Page:
    job, future = item
    try:
        return _page(job, future.result(timeout=timeout + _GRACE_S))
    except cf.TimeoutError:
        # Stuck outside Tesseract's own timeout: stop the pool, resubmit the jobs queued
        # behind this one to a fresh pool, and fail this page alone.
        return _fail_and_restart(
            job, pool, pending, timeout, options, f"OCR worker did not answer within {timeout + _GRACE_S:g} s"
        )
    except cf.process.BrokenProcessPool as exc:
        return _fail_and_restart(job, pool, pending, timeout, options, f"OCR worker died: {exc}")


def _fail_and_restart(job: OcrJob, pool: "_Pool", pending, timeout: float, options: OcrOptions, error: str) -> Page:
    """Stop the pool, resubmit the jobs queued behind this one, and fail this page alone."""
    pool.kill()
    for i, other in enumerate(pending):
        if isinstance(other, tuple):
            pending[i] = (other[0], pool.submit(other[0], timeout, options))
    return Page(job.number, job.width, job.height, "", (), TextSource.NONE, job.note, error)
