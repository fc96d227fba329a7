"""Asterisks that OCR misreads, found and put back.

RAP sheets print `* * * *` rows between arrest cycles and `*****` rules around headers
(the extraction stage splits cycles on them). Tesseract's model reads a Courier asterisk
as `kK`, `e`, `@`, `#`, `8` or `.`, and a run of them as `KKEKEK`; on noisy scans those
rows turn into lines of junk. An asterisk is about 0.6 of a capital tall and floats above
the baseline, so a reading with tall characters (capitals, digits, `l`, `#`) from ink that
small cannot be right; nor, on an upper-case page, can lower-case letters. Once most of a
row is marks, its other short, unsure readings are marks run together as well.

Rows are Tesseract's words: (text, confidence 0-100, box in pixels, line id).
"""

from __future__ import annotations

import re

import cv2
import numpy as np

Row = tuple[str, float, tuple[float, float, float, float], int]

_ALNUM = re.compile(r"[A-Za-z0-9]")
# Characters that print at least as tall as a capital (or reach below the line): a word
# holding one cannot be made of ink half that height.
_TALL = re.compile(r"[A-Z0-9bdfghijklpqty#@&%$?!/\\|()\[\]{}\u00a9\u00a7\u00ae]")
_XHEIGHT = re.compile(r"[acemnorsuvwxz]+")
_SMALL_PUNCT = re.compile(r"[.,'`~\-_\"\u2018\u2019\u201c\u201d\u00ab\u00bb\u00b0]+")
_SYMBOL = re.compile(r"[#@&%$\u00a9\u00a7\u00ae]")
MARK_HEIGHT = 0.75  # box height, in capitals, over which a word is not a mark
INK_HEIGHT = 0.6  # blob height, in capitals, under which blobs are marks
MARK_ROW = 0.5  # rows with this share of their characters in marks are separator rows
MARK_ROW_CONF = 65.0  # ... and their short readings under this confidence are marks too


def _stars_share(text: str) -> float:
    return text.count("*") / max(len(text), 1)


def components(binary: np.ndarray, box, typical: float) -> list[tuple[int, int, int, int, int]]:
    """(x0, y0, x1, y1, area) of the ink blobs inside a box, specks left out."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0 = max(0, x0), max(0, y0)
    crop = binary[y0 : y1 + 1, x0 : x1 + 1]
    if crop.size == 0:
        return []
    n, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    out = []
    for i in range(1, n):
        cx, cy, cw, ch, area = (int(v) for v in stats[i])
        if ch >= 0.25 * typical and area >= 0.02 * typical * typical:
            out.append((x0 + cx, y0 + cy, x0 + cx + cw, y0 + cy + ch, area))
    return out


def _columns(comps: list[tuple[int, int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Blobs that share columns joined into one box each: the pieces of one character.
    A faded fax breaks letters into fragments (a stem, a bowl) each shorter than a mark;
    stacked, they are a letter's height again."""
    out: list[list[int]] = []
    for x0, y0, x1, y1, _ in sorted(comps):
        if out and x0 < out[-1][2]:
            last = out[-1]
            out[-1] = [last[0], min(last[1], y0), max(last[2], x1), max(last[3], y1)]
        else:
            out.append([x0, y0, x1, y1])
    return [tuple(c) for c in out]


def _ink_height(binary: np.ndarray, box, typical: float) -> float:
    """Typical character height in a box of separate blobs (a run of marks); else the
    box's. Tesseract stretches boxes of long runs to the line's height; the blobs tell."""
    comps = components(binary, box, typical)
    if len(comps) < 3 or any(c[2] - c[0] > typical for c in comps):
        return box[3] - box[1]  # letters run together are wider than any mark
    heights = sorted(c[3] - c[1] for c in _columns(comps))
    return float(heights[len(heights) // 2])


def is_mark(text: str, box, typical: float, baseline: float, upper_page: bool, binary: np.ndarray) -> bool:
    """One reading on its own: is it a misread mark?"""
    if _stars_share(text) >= 0.5:
        return True  # `*KKK**`: a run of asterisks, some misread
    h = box[3] - box[1]
    if h > MARK_HEIGHT * typical:
        if upper_page and len(text) < 5 and h <= 2.5 * typical and _TALL.search(text):
            # A short reading of capitals or digits from ink no taller than a mark (an asterisk
            # read `OK`, its box stretched to the line's): the blobs say what it is.
            # (Capitals and digits are a capital tall; no blob of this reading is 3/4 of one.)
            blobs = _columns(components(binary, box, typical))
            return bool(blobs) and max(b[3] - b[1] for b in blobs) <= MARK_HEIGHT * typical
        # A long run on an upper-case page: its blobs, not its box, say how tall it is.
        if not (upper_page and len(text) >= 5 and h <= 2.5 * typical):
            return False
        small = _ink_height(binary, box, typical) <= INK_HEIGHT * typical
        return small and (_TALL.search(text) or _XHEIGHT.fullmatch(text)) is not None
    if not _ALNUM.search(text) and not _SYMBOL.search(text):
        # Punctuation: a dot, dash or quote read from ink half a capital tall is a mark.
        return h >= 0.4 * typical and _SMALL_PUNCT.fullmatch(text) is not None
    if _TALL.search(text) or (upper_page and _XHEIGHT.fullmatch(text)):
        return True
    return baseline - box[3] > 0.25 * typical  # floats above its line


def _small_blobs(row: Row, binary: np.ndarray, typical: float) -> bool:
    """A short, unsure reading of ink blobs no taller than a mark (not punctuation)."""
    text, conf, box, _ = row
    if len(text) > 4 or conf >= MARK_ROW_CONF or _SMALL_PUNCT.fullmatch(text):
        return False
    comps = components(binary, box, typical)
    return bool(comps) and max(c[3] - c[1] for c in _columns(comps)) <= MARK_HEIGHT * typical


def find(rows: list[Row], binary: np.ndarray, typical: float) -> list[bool]:
    """For each reading: is it (a run of) misread marks?"""
    bottoms: dict[int, list[float]] = {}
    per_line: dict[int, list[int]] = {}
    for i, (_, _, box, line) in enumerate(rows):
        bottoms.setdefault(line, []).append(box[3])
        per_line.setdefault(line, []).append(i)
    baseline = {line: sorted(b)[len(b) // 2] for line, b in bottoms.items()}
    letters = "".join(c for r in rows for c in r[0] if c.isalpha())
    upper_page = sum(c.isupper() for c in letters) >= 0.8 * max(len(letters), 1)
    out = [is_mark(t, b, typical, baseline[ln], upper_page, binary) for t, _, b, ln in rows]
    for idx in per_line.values():
        # Asterisks misread one by one as letters (`we ke ke wk`): Tesseract stretches
        # their boxes to the line, but each is one blob of mark height. On an upper-case
        # page, a row mostly made of short unsure readings of such blobs is a separator row.
        small = [i for i in idx if not out[i] and upper_page and _small_blobs(rows[i], binary, typical)]
        if sum(len(rows[i][0]) for i in small) >= MARK_ROW * sum(len(rows[i][0]) for i in idx):
            for i in small:
                out[i] = True
        marked = sum(len(rows[i][0]) for i in idx if out[i] or _stars_share(rows[i][0]) == 1.0)
        if marked < MARK_ROW * sum(len(rows[i][0]) for i in idx):
            continue
        for i in idx:
            text, conf, box, _ = rows[i]
            if out[i] or _stars_share(text) == 1.0:
                continue
            out[i] = (
                (len(text) <= 4 and conf < MARK_ROW_CONF)
                or _stars_share(text) >= 0.25
                or (len(text) <= 3 and not text.isalpha())
                or _ink_height(binary, box, typical) <= INK_HEIGHT * typical
            )
    return out


def split(binary: np.ndarray, box, typical: float) -> list[tuple[float, float, float, float]]:
    """Boxes of the separate marks inside a word box (each becomes one `*`)."""
    blobs = sorted(components(binary, box, typical))
    # Pieces of one broken mark lie within a quarter of a mark's width of each other.
    merged: list[list[float]] = []
    for m in blobs:
        if merged and m[0] - merged[-1][2] < 0.25 * typical:
            last = merged[-1]
            merged[-1] = [last[0], min(last[1], m[1]), max(last[2], m[2]), max(last[3], m[3])]
        else:
            merged.append(list(m[:4]))
    return [tuple(m) for m in merged] or [box]
