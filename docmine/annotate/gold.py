"""Gold pages: the one format annotations are kept in, and its validation.

A gold page is one JSON Lines record::

    {"id": "s4242-doc-00003-p1", "text": "...page text...",
     "spans": [{"start": 10, "end": 19, "label": "PERSON_NAME", "text": "DOE,JANE"}, ...],
     "meta": {...}}

Offsets are characters of `text` (Python code points); spans are sorted, never overlap,
and carry only labels of `docmine.labels`. `check_spans` is the single validator every
importer goes through, so a bad span is rejected the same way whatever tool it came from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from docmine.errors import DocmineError
from docmine.labels import LABELS

Span = tuple[int, int, str]


@dataclass(frozen=True)
class GoldPage:
    id: str
    text: str
    spans: tuple[Span, ...]
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "spans": [{"start": s, "end": e, "label": label, "text": self.text[s:e]} for s, e, label in self.spans],
            "meta": self.meta,
        }


class SpanError(ValueError):
    """A span that cannot be gold: the message says which and why."""


def check_spans(
    text: str, spans: Iterable[tuple[int, int, str] | tuple[int, int, str, str | None]]
) -> tuple[Span, ...]:
    """Sorted spans, or `SpanError` for an unknown label, offsets outside the text or not
    matching the span's stated text, an empty or blank-edged span, or an overlap."""
    out: list[Span] = []
    for item in spans:
        start, end, label = item[0], item[1], item[2]
        stated = item[3] if len(item) > 3 else None
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
            raise SpanError(f"span offsets must be integers, got {start!r}:{end!r}")
        if label not in LABELS:
            raise SpanError(f"unknown label {label!r} at {start}:{end}")
        if not 0 <= start < end <= len(text):
            raise SpanError(f"span {start}:{end} {label} outside the text (length {len(text)})")
        if stated is not None and text[start:end] != stated:
            raise SpanError(f"span {start}:{end} {label} says {stated!r} but the text there is {text[start:end]!r}")
        if text[start].isspace() or text[end - 1].isspace():
            raise SpanError(f"span {start}:{end} {label} starts or ends with a blank ({text[start:end]!r})")
        out.append((start, end, label))
    out.sort()
    for a, b in zip(out, out[1:]):
        if b[0] < a[1]:
            raise SpanError(f"spans overlap: {a[0]}:{a[1]} {a[2]} and {b[0]}:{b[1]} {b[2]}")
    if len(set(out)) != len(out):
        raise SpanError("the same span twice")
    return tuple(out)


def page_from_dict(record: dict) -> GoldPage:
    """A `GoldPage` from one parsed JSON record (`SpanError` / `ValueError` if it is not one)."""
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("text"), str)
        or not isinstance(record.get("spans"), list)
    ):
        raise ValueError('not a gold page (needs "text" and a "spans" list)')
    items = []
    for s in record["spans"]:
        if not isinstance(s, dict) or not {"start", "end", "label"} <= set(s):
            raise ValueError(f"span {s!r} needs start, end and label")
        items.append((s["start"], s["end"], s["label"], s.get("text")))
    spans = check_spans(record["text"], items)
    return GoldPage(str(record.get("id", "")), record["text"], spans, dict(record.get("meta") or {}))


def read_gold(path: str | Path) -> list[GoldPage]:
    """Every page of a gold JSON Lines file; a bad line is a `DocmineError` naming file and line."""
    path = Path(path)
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DocmineError(f"{path}: cannot read ({exc})") from None
    pages = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pages.append(page_from_dict(json.loads(line)))
        except ValueError as exc:  # JSONDecodeError and SpanError are ValueErrors
            raise DocmineError(f"{path}: line {number}: {exc}") from None
    return pages


def write_jsonl(path: str | Path, records: Sequence[dict | GoldPage]) -> None:
    """One record per line, keys in a fixed order, no timestamps: same pages, same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r.to_dict() if isinstance(r, GoldPage) else r, ensure_ascii=False) for r in records]
    tmp = path.with_name(path.name + ".part")
    tmp.write_text("".join(line + "\n" for line in lines), "utf-8")
    tmp.replace(path)


def write_docbin(path: str | Path, records: Sequence[dict | GoldPage]) -> int:
    """A spaCy DocBin of the pages as the model reads them (normalised text, record
    tokenizer); returns how many spans did not fall on token boundaries (dropped)."""
    from docmine.nlp.components import blank_pipeline
    from docmine.nlp.train import normalized_page, to_docbin

    pages = []
    for r in records:
        page = r if isinstance(r, GoldPage) else page_from_dict(r)
        pages.append(normalized_page(page.text, page.spans, "annotation"))
    docbin, lost = to_docbin(blank_pipeline(), pages, max_lines=None)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(docbin.to_bytes())
    return lost
