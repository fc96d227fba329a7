"""Synthetic California criminal records with exact ground truth.

`generate(n, seed, out)` writes RAP sheets, court dockets and unrelated papers as PDFs,
scans and images, with their counts in the output contract and per-page entity spans
(`docmine.labels`). See `docmine.synth.corpus` for the layout of what it writes.
"""

from __future__ import annotations

from docmine.synth.corpus import DEFAULT_FORMATS, DOCKET_LAYOUTS, GENERATOR_VERSION, HELD_OUT_LAYOUTS, DocumentEntry
from docmine.synth.corpus import Manifest, TextDocument, generate, ner_examples, text_document

__all__ = [
    "DEFAULT_FORMATS",
    "DOCKET_LAYOUTS",
    "GENERATOR_VERSION",
    "HELD_OUT_LAYOUTS",
    "DocumentEntry",
    "Manifest",
    "TextDocument",
    "generate",
    "ner_examples",
    "text_document",
]
