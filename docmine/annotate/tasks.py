"""What goes out to an annotation tool and what comes back, independent of the tool."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Iterator

from docmine.annotate.predict import Predicted

LABEL_FIELD = "label"  # Label Studio control name (`<Labels name="label" toName="text">`)
TEXT_FIELD = "text"


@dataclass(frozen=True)
class ExportPage:
    """One page as exported: its (possibly redacted) text and the model's spans on it."""

    id: str
    text: str
    predictions: tuple[Predicted, ...]
    uncertainty: float
    meta: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Annotation:
    """One annotator's spans on one page, as read back from a tool's export.

    `spans` are `(start, end, label, stated_text or None)` in code points of `text`; they
    are validated later (`docmine.annotate.gold.check_spans`) so that every tool's mistakes
    are reported the same way, with `line`."""

    page_id: str
    text: str
    spans: tuple[tuple, ...]
    annotator: str
    line: int
    meta: dict = field(default_factory=dict, compare=False, hash=False)
    ground_truth: bool = False


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


def jsonl_records(text: str) -> Iterator[tuple[int, dict | Exception]]:
    """(line number, parsed object or the error) for every non-blank line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except ValueError as exc:
            yield number, exc


def read_jsonl_annotations(
    text: str, read: Callable[[int, dict], Annotation | None], what: str
) -> tuple[list[Annotation], list[Rejected]]:
    """A tool's JSON Lines export: `read(line, record)` makes each record's annotation (None
    to pass over it, KeyError/TypeError/ValueError to reject it as a bad `what`)."""
    out: list[Annotation] = []
    rejected: list[Rejected] = []
    for line, record in jsonl_records(text):
        if isinstance(record, Exception):
            rejected.append(Rejected(line, f"not JSON ({record})"))
            continue
        try:
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError('needs "text"')
            annotation = read(line, record)
        except (KeyError, TypeError, ValueError) as exc:
            rejected.append(Rejected(line, f"{what}: {exc}"))
            continue
        if annotation is not None:
            out.append(annotation)
    return out, rejected


def json_array_items(text: str) -> Iterator[tuple[int, object]]:
    """(line number where it starts, element) for each element of a top-level JSON array,
    so a bad task in a pretty-printed export is reported by its line."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise ValueError("not a JSON array of tasks")
    pos = _skip(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        item, end = decoder.raw_decode(text, pos)
        yield text.count("\n", 0, pos) + 1, item
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            return
        raise ValueError(f"line {text.count(chr(10), 0, pos) + 1}: expected ',' or ']' in the task array")


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def utf16_to_cp(text: str) -> list[int] | None:
    """Map UTF-16 code-unit offsets (JavaScript strings, Label Studio) to code points, or
    None when the text has no character outside the BMP (both are the same then)."""
    if all(ord(ch) <= 0xFFFF for ch in text):
        return None
    table = []
    for i, ch in enumerate(text):
        table.append(i)
        if ord(ch) > 0xFFFF:
            table.append(i)  # the low surrogate points at the same character
    table.append(len(text))
    return table


def cp_to_utf16(text: str, pos: int) -> int:
    return pos + sum(1 for ch in text[:pos] if ord(ch) > 0xFFFF)
