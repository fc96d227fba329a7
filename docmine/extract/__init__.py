"""From a document's pages to counts in the output contract.

    from docmine.extract import extract, extract_path
    result = extract_path("scans/rap-0001.pdf")      # ingest (text layer or OCR), then extract
    result.doc_type, result.counts                   # Count records, each field with provenance

The steps, one module each: `text` (normalised text across pages, mapped back to words
and boxes), `route` (RAP sheet, docket or other paper), `rap` and `docket` (the rule
layer and record builders), `case_numbers` (court case numbers checked against their
county's shapes, OCR misreads in them undone), `docmine.nlp` (the trained entity model, optional),
`confidence` (a calibrated confidence per count; low ones are flagged for review), and
`look` (which OCR'd words a second look is worth, after a first pass).
Other papers are reported with their kind and no counts; nothing is guessed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docmine.errors import DocumentError
from docmine.extract.case_numbers import settle_counts
from docmine.extract.confidence import Calibrator, calibrate, default_calibrator
from docmine.extract.look import where_to_look, worth_a_second_look
from docmine.extract.route import Route, Router, default_router
from docmine.doctext import DocText, Entity
from docmine.records import Count, Document, DocType, TextSource


@dataclass(frozen=True)
class Extraction:
    """What one document gave: its kind, its counts, and what could not be read."""

    document: str
    sha256: str
    doc_type: DocType
    route: Route
    counts: tuple[Count, ...]
    pages: int
    page_errors: tuple[tuple[int, str], ...] = ()
    review_below: float = 0.5
    notes: tuple[str, ...] = field(default=())

    @property
    def flagged(self) -> tuple[Count, ...]:
        """Counts whose confidence is below the review threshold."""
        return tuple(c for c in self.counts if c.confidence < self.review_below)


def extract(
    document: Document,
    *,
    name: str | None = None,
    nlp: Any = None,
    router: Router | None = None,
    calibrator: Calibrator | None = None,
) -> Extraction:
    """Counts of one ingested document. `nlp`: a loaded entity model (`docmine.nlp.load_model()`),
    or None for the rule layer alone.

    OCR pages read once (`ingest.load`) keep what a second look at their unsure code-like words
    needs. That look is paid for only where it can change an answer (`look`): when the document
    has a count relief may turn on (a marijuana count, or a charge that could not be read), the
    unsure words carrying the facts decisions read are looked at again and the document is
    extracted again; otherwise the first reading stands."""

    parsed: dict = {}  # the model's spans by page text: pages the look leaves as they were are not parsed twice

    def run(document: Document) -> Extraction:
        return extract_text(
            DocText.from_document(document, name=name),
            nlp=nlp,
            router=router,
            calibrator=calibrator,
            page_errors=tuple((p.number, p.error) for p in document.pages if p.error),
            entity_cache=parsed,
        )

    found = run(document)
    if any(p.later is not None for p in document.pages) and worth_a_second_look(found.counts):
        from docmine.ingest import second_look

        found = run(second_look(document, where=where_to_look(found.counts, document)))
    return found


def extract_text(
    doc: DocText,
    *,
    nlp: Any = None,
    router: Router | None = None,
    calibrator: Calibrator | None = None,
    page_errors: tuple[tuple[int, str], ...] = (),
    model_on_text_layers: bool = False,
    entity_cache: dict | None = None,
) -> Extraction:
    router = router or default_router()
    calibrator = calibrator or default_calibrator()
    routed = router.route([p.normalized.text for p in doc.pages])
    entities: list[Entity] | None = None
    counts: list[Count] = []
    if routed.doc_type in (DocType.RAP_SHEET, DocType.DOCKET):
        # The model is for what OCR damaged: text layers are read exactly by the rules
        # (measured: every field 1.0), so there it would only cost time.
        if nlp is not None and (model_on_text_layers or any(p.page.source == TextSource.OCR for p in doc.pages)):
            from docmine.nlp import entities as model_entities

            entities = model_entities(nlp, doc, cache=entity_cache)
        if routed.doc_type == DocType.RAP_SHEET:
            from docmine.extract.rap import parse_rap

            counts = parse_rap(doc, entities or ())
        else:
            from docmine.extract.docket import parse_docket

            counts = parse_docket(doc, entities or ())
        counts = settle_counts(counts, doc)
        counts = calibrate(counts, doc, entities, calibrator)
    review_below = calibrator.review_below if calibrator else 0.5
    return Extraction(
        doc.name, doc.sha256, routed.doc_type, routed, tuple(counts), len(doc.pages), page_errors, review_below
    )


def read_text_file(path: str | os.PathLike) -> DocText:
    """A plain-text record (a RAP sheet as DOJ sends it, or OCR output): pages split on form feeds."""
    import hashlib

    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"text file is not UTF-8 (byte {exc.start})") from None
    pages = text.replace("\r\n", "\n").split("\f")
    return DocText.from_texts(Path(path).name, hashlib.sha256(data).hexdigest(), pages)


def extract_path(
    path: str | os.PathLike,
    *,
    nlp: Any = None,
    ocr_timeout: float = 120,
    workers: int = 1,
    router: Router | None = None,
    calibrator: Calibrator | None = None,
) -> Extraction:
    """Read one file (PDF, image, or plain text) and extract its counts; DocumentError if unreadable."""
    from docmine.ingest import load
    from docmine.ingest.sniff import InputKind, kind_of

    if kind_of(path) != InputKind.DOCUMENT:  # a plain-text record
        return extract_text(read_text_file(path), nlp=nlp, router=router, calibrator=calibrator)
    document = load(path, ocr_timeout=ocr_timeout, workers=workers)
    return extract(document, name=Path(path).name, nlp=nlp, router=router, calibrator=calibrator)


__all__ = ["Extraction", "extract", "extract_path", "extract_text", "read_text_file", "DocText", "Entity"]
