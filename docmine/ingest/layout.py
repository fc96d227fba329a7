"""Words with boxes -> page text that keeps its lines and its columns.

RAP sheets and dockets are printed fixed-width: a field's column says what it is
(`CNT:01     #1234567`), so text must keep its alignment whatever the source. Both sources
(a PDF text layer and OCR) end here: words are grouped into rows by their vertical extent,
rows are set in reading order with blank lines for vertical gaps, and each word is put
at the column of a character grid whose pitch and phase are estimated from the words
themselves. Words less than a cell apart (`SKYWALKER,` `LUKE`) are joined without the
space that OCR engines insert wherever the ink leaves a gap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from docmine.records import Box, Word


@dataclass(frozen=True, slots=True)
class RawWord:
    """A word as a source found it, before it has a place in the page text.

    `box` is what the page will report (points, top-left origin). `frame` is the box the
    layout is computed in: the same for a text layer, the deskewed one for OCR, so rows
    stay straight when the scan was tilted. `line` is the source's own line id, or -1.
    """

    text: str
    box: Box
    confidence: float
    frame: Box
    line: int = -1


@dataclass(frozen=True, slots=True)
class Grid:
    pitch: float  # points per character column
    origin: float  # x of column 0
    coherence: float  # 0-1: how well the words sit on the grid (1 = fixed-width)


def estimate_grid(words: Sequence[RawWord], ink_boxes: bool) -> Grid | None:
    """The character pitch and phase that put word starts on a grid.

    A first pitch comes from word widths over their lengths; it is then refined by
    scanning pitches near it for the one whose grid best agrees with every word's left
    edge (the length of the mean of exp(2*pi*i*x/pitch)). `ink_boxes`: boxes are tight
    around ink (OCR), so an n-letter word spans about n - 0.3 cells, not n.
    """
    sized = [w for w in words if len(w.text) >= 2 and w.frame[2] > w.frame[0]]
    if not sized:
        sized = [w for w in words if w.frame[2] > w.frame[0]]
    if not sized:
        return None
    slack = 0.3 if ink_boxes else 0.0
    widths = np.array([w.frame[2] - w.frame[0] for w in sized])
    lengths = np.array([max(len(w.text) - slack, 0.7) for w in sized])
    p0 = float(np.median(widths / lengths))
    if p0 <= 0:
        return None
    x0 = np.array([w.frame[0] for w in words], dtype=np.float64)
    pitches = p0 * np.linspace(0.9, 1.1, 161)
    phases = np.exp(2j * np.pi * x0[None, :] / pitches[:, None])
    strength = np.abs(phases.mean(axis=1))
    best = int(np.argmax(strength))
    pitch, coherence = float(pitches[best]), float(strength[best])
    if coherence < 0.5:  # proportional text: keep the width estimate, place by x alone
        pitch = p0
    phase = float(np.angle(phases[best].mean()))
    origin = phase / (2 * np.pi) * pitch
    # Column 0 is the leftmost word's column, so a page's common margin is not text.
    first = min(x0)
    origin += math.floor((first - origin) / pitch + 0.5) * pitch
    return Grid(pitch, origin, coherence)


def _rows(words: Sequence[RawWord]) -> list[list[RawWord]]:
    """Words grouped into printed rows, top to bottom, each row left to right.

    Words first go by the source's line ids (an OCR engine knows its baselines), then
    lines whose vertical extents mostly overlap are merged: columns that the engine read
    as separate blocks are one printed row.
    """
    groups: dict[object, list[RawWord]] = {}
    for i, w in enumerate(words):
        groups.setdefault(w.line if w.line >= 0 else ("w", i), []).append(w)
    lines = []
    for g in groups.values():
        tops = sorted(w.frame[1] for w in g)
        bottoms = sorted(w.frame[3] for w in g)
        lines.append((tops[len(tops) // 2], bottoms[len(bottoms) // 2], g))
    lines.sort(key=lambda t: (t[0] + t[1]) / 2)
    rows: list[list] = []  # [top, bottom, words]
    for top, bottom, g in lines:
        if rows:
            r = rows[-1]
            overlap = min(bottom, r[1]) - max(top, r[0])
            if overlap > 0.5 * min(bottom - top, r[1] - r[0]):
                r[2].extend(g)
                continue
        rows.append([top, bottom, list(g)])
    return [sorted(r[2], key=lambda w: w.frame[0]) for r in rows]


def compose(words: Sequence[RawWord], *, ink_boxes: bool) -> tuple[str, tuple[Word, ...]]:
    """Page text and its `Word`s (offsets into that text), laid out on a character grid."""
    # Largest gap, in cells, between two words printed without a space: text-layer boxes
    # are whole cells (no space: 0, one space: 1); ink boxes leave the side bearings
    # (no space: up to ~0.7 after a colon or comma, one space: 1.05 or more).
    glue = 0.9 if ink_boxes else 0.5
    words = [w for w in words if w.text and not w.text.isspace()]
    if not words:
        return "", ()
    grid = estimate_grid(words, ink_boxes)
    rows = _rows(words)
    # Line pitch: the typical distance between neighbouring rows, for blank lines.
    centres = [sum((w.frame[1] + w.frame[3]) / 2 for w in r) / len(r) for r in rows]
    heights = sorted(w.frame[3] - w.frame[1] for w in words)
    height = heights[len(heights) // 2]
    steps = sorted(b - a for a, b in zip(centres, centres[1:]) if b - a > 0.6 * height)
    lead = steps[len(steps) // 4] if len(steps) >= 3 else None

    out: list[str] = []
    result: list[Word] = []
    pos = 0
    for i, row in enumerate(rows):
        if i:
            breaks = 1
            if lead:  # blank lines where rows are further apart than the line pitch
                breaks = max(1, min(int(round((centres[i] - centres[i - 1]) / lead)), 200))
            out.append("\n" * breaks)
            pos += breaks
        line: list[str] = []
        cursor = 0  # characters written on this line
        prev_right = None
        for w in row:
            text = w.text
            col = cursor + (1 if line else 0)
            if grid:
                col = max(0, int(round((w.frame[0] - grid.origin) / grid.pitch)))
            if prev_right is not None:
                # The gap between the words' boxes decides whether a space is printed
                # between them: on a fixed-width page no space leaves less than a cell
                # between inks (`STATUS:` `MISDEMEANOR`, which OCR splits at the colon,
                # placing the cut roughly), one space leaves more. Then the grid places
                # the word, never closer than the gap allows.
                space = (w.frame[0] - prev_right) / grid.pitch if grid else 1.0
                attached = space < (glue if grid and grid.coherence >= 0.5 else 0.3)
                col = cursor if attached else max(col, cursor + 1)
            pad = col - cursor
            if pad > 0:
                line.append(" " * pad)
            start = pos + col
            line.append(text)
            result.append(Word(text, w.box, w.confidence, start, start + len(text)))
            cursor = col + len(text)
            prev_right = w.frame[2] if prev_right is None else max(prev_right, w.frame[2])
        joined = "".join(line)
        out.append(joined)
        pos += len(joined)
    return "".join(out), tuple(result)
