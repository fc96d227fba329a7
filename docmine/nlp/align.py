"""Carry gold spans from one version of a page's text onto another.

Two uses: truth text -> what Tesseract read (an edit alignment with difflib), and any text
-> its normalised form (`docmine.normalize` keeps an exact offset map). Both return spans
`(start, end, label)` in the target text; a span whose characters the target lost (a
stamp over a word, a dropped line) is left out rather than guessed.
"""

from __future__ import annotations

import bisect
import difflib
from typing import Iterable, Sequence

from docmine.normalize import Normalized

Span = tuple[int, int, str]


def char_map(source: str, target: str) -> list[int]:
    """For each position 0..len(source) of `source`, the matching position in `target`.

    Equal runs map one to one; a replaced run maps proportionally; a deleted run maps to
    where it would have stood. The map never decreases.
    """
    return _maps(source, target)[0]


def _maps(source: str, target: str) -> tuple[list[int], list[int]]:
    """Start and end maps: inside a replaced run a start rounds down and an end rounds up,
    so `01  ` read as `0l` still gives the count number both characters."""
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    starts = [0] * (len(source) + 1)
    ends = [0] * (len(source) + 1)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        width = i2 - i1
        for k in range(width):
            if op == "equal":
                starts[i1 + k] = ends[i1 + k] = j1 + k
            elif op == "replace":
                starts[i1 + k] = j1 + (k * (j2 - j1)) // width
                ends[i1 + k] = j1 + -(-(k * (j2 - j1)) // width)
            else:  # delete
                starts[i1 + k] = ends[i1 + k] = j1
    starts[len(source)] = ends[len(source)] = len(target)
    return starts, ends


def project_spans(
    source: str,
    target: str,
    spans: Iterable[Span],
    *,
    min_similarity: float = 0.5,
    mapping: Sequence[int] | None = None,
) -> list[Span]:
    """Gold spans of `source` moved onto `target` (e.g. truth text onto OCR text).

    A projected span is trimmed of surrounding blanks and kept only if its text is at
    least `min_similarity` alike the source's (difflib ratio), so a stamp over a date
    drops the date instead of labelling the stamp.
    """
    starts, ends = _maps(source, target) if mapping is None else (mapping, mapping)
    out: list[Span] = []
    for start, end, label in spans:
        s, e = starts[start], ends[end]
        # `mapping[end]` is where the next source character went, after anything OCR
        # inserted in between (` |`); end right after the last character where it survived.
        tight = starts[end - 1] + 1
        if s < tight <= len(target) and target[tight - 1] == source[end - 1]:
            e = tight
        while s < e and target[s].isspace():
            s += 1
        while e > s and target[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        if difflib.SequenceMatcher(None, source[start:end], target[s:e], autojunk=False).ratio() < min_similarity:
            continue
        out.append((s, e, label))
    return _no_overlaps(out)


def to_normalized(normalized: Normalized, spans: Iterable[Span]) -> list[Span]:
    """Spans of `normalized.source` in the coordinates of `normalized.text`."""
    offsets = normalized.offsets
    out = []
    for start, end, label in spans:
        s = bisect.bisect_left(offsets, start)
        e = bisect.bisect_left(offsets, end)
        if e > s:
            out.append((s, e, label))
    return _no_overlaps(out)


def _no_overlaps(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in sorted(spans):
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out
