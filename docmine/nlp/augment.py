"""OCR-like damage for training text, with the gold spans carried along exactly.

What Tesseract does to heavy scans of records (measured on the evaluation corpus by
aligning OCR text to the drawn text): blank runs grow or shrink, single blanks vanish or
appear inside words, letters and digits swap (O/0, I/l/1, S/5, B/8, N/M, E/F ...), stray
marks (`. , ' | ‘ *`) appear, rubber stamps replace a stretch of a line with `*` or junk,
and dash rules disappear. `damage(text, spans, rng)` applies those at random and returns
the new text and the spans at their new offsets.
"""

from __future__ import annotations

import random

from docmine.confusions import MISREADS

Span = tuple[int, int, str]


_JUNK = ".,'|‘*:;-_~"


def damage(text: str, spans: list[Span], rng: random.Random, level: float = 1.0) -> tuple[str, list[Span]]:
    """A damaged copy of `text` and `spans` moved onto it; `level` scales every rate."""
    confuse, drop_space, add_space, junk, delete = (
        0.02 * level,
        0.08 * level,
        0.006 * level,
        0.004 * level,
        0.003 * level,
    )
    stamps = _stamp_ranges(text, rng, level)
    out: list[str] = []
    starts = [0] * (len(text) + 1)  # where each source character's output begins
    i = 0
    length = 0
    while i < len(text):
        starts[i] = length
        ch = text[i]
        if i in stamps:
            piece = stamps[i]
        elif ch == " ":
            run = 1
            while i + run < len(text) and text[i + run] == " ":
                run += 1
            if run == 1:
                piece = "" if rng.random() < drop_space else " "
            else:  # a blank run: OCR re-measures columns
                piece = " " * max(1, run + rng.randint(-2, 2)) if rng.random() < 0.3 * level else " " * run
            for k in range(1, run):
                starts[i + k] = length + min(k, len(piece))
            out.append(piece)
            length += len(piece)
            i += run
            continue
        elif ch == "\n":
            piece = ch
        else:
            r = rng.random()
            if r < delete:
                piece = ""
            elif r < delete + confuse and ch in MISREADS:
                piece = rng.choice(MISREADS[ch])
            else:
                piece = ch
            if ch.isalnum() and rng.random() < add_space:
                piece += " "
            if rng.random() < junk:
                piece += rng.choice(_JUNK)
        out.append(piece)
        length += len(piece)
        i += 1
    starts[len(text)] = length
    new_text = "".join(out)
    new_spans: list[Span] = []
    for start, end, label in spans:
        s, e = starts[start], starts[end]
        while s < e and new_text[s].isspace():
            s += 1
        while e > s and new_text[e - 1].isspace():
            e -= 1
        if e > s and new_text[s:e].strip("*") and not _stamped(start, end, stamps):
            new_spans.append((s, e, label))
    return new_text, new_spans


def _stamp_ranges(text: str, rng: random.Random, level: float) -> dict[int, str]:
    """Source positions covered by a stamp -> what OCR read there (`*` runs or junk)."""
    covered: dict[int, str] = {}
    for _ in range(rng.choice((0, 0, 1, 1, 2)) if level > 0 else 0):
        if not text:
            break
        start = rng.randrange(len(text))
        width = rng.randint(4, 16)
        fill = rng.choice(("*", "junk"))
        for k in range(start, min(start + width, len(text))):
            if text[k] == "\n":
                break
            covered[k] = "*" if fill == "*" else rng.choice(_JUNK + "  ")
    return covered


def _stamped(start: int, end: int, stamps: dict[int, str]) -> bool:
    hit = sum(1 for k in range(start, end) if k in stamps)
    return hit * 2 > (end - start)
