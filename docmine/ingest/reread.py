"""A second look at the words a record turns on: case numbers, dates, CII and charge codes.

A page read whole gives Tesseract one view of each word; on a photocopy-grade scan its
digit and capital confusions land exactly where a record cannot afford them (`C377421`
read as `0377421`, `SCD570909` as `5CD570909`, `19850307` as `19859307`). Words that look
like codes (three digits or more, or a `#` number) and were read with less than
`REREAD_BELOW` confidence (of those extraction asks for: `docmine.extract.look`, the words
that carry a fact a decision reads) are cut out of the prepared page, enlarged two and three
times, stacked one under the other with white between, and read again by the process's engine:
one Tesseract call per enlargement, whatever the number of words.

Tesseract reads a stacked word in the light of the others on its sheet, so a word can read
differently when fewer are looked at with it. Measured on 60 held-out documents (seed 9001),
looking only at the words asked for against all of a page's: light scans, case numbers right
0.981 against 0.977, 1.5% of counts flagged against 2.3%; fax-grade scans, 0.866 against
0.863, the same marijuana F1. Each word read alone on its own sheet read case numbers worse
on light scans (0.966).

What the readings decide, per word:

* both enlargements read the same code, in the characters codes are written in, each
  more surely than the page read it (by `MARGIN` or more, and at least `SURE_ENOUGH`),
  and the page read another: the enlargements win;
* all three readings agree: the word is kept, and its confidence is the best of the three
  (an independent reading agreeing is evidence the reading is right);
* otherwise the page's reading is kept, with the lowest confidence of the three, so the
  count it belongs to is more likely to go to review.

Measured on the key-field words of 28 heavy-noise RAP sheets and dockets (seed 9001,
283 words): case numbers read right 65% -> 78% by the enlargements, and when all three
readings agree the reading is right 96-98% of the time (case numbers, event dates); the
extraction figures are in `models/docmine-ner/MODEL_CARD.md`.
"""

from __future__ import annotations

import re
from typing import Callable

import cv2
import numpy as np

from docmine.ingest.tesseract import read_data

REREAD_BELOW = 95.0  # page-reading confidence (0-100) under which a code-like word is read again
SCALES = (2, 3)
GAP = 24  # white pixels between stacked words (at the enlarged size)
CONFIG = "--oem 1 --psm 6 -c tessedit_do_invert=0 -c load_system_dawg=0 -c load_freq_dawg=0"
MARGIN = 5.0
SURE_ENOUGH = 60.0
MAX_WORDS = 200  # a page with more code-like unsure words than this is read as it stands

_DIGIT = re.compile(r"[0-9]")
_CORE = re.compile(r"[^A-Za-z0-9]")
_CODE_CHARS = re.compile(r"[#A-Z0-9(),./:-]+")
_EDGE_JUNK = "'\"\u2018\u2019\u201c\u201d.,:;!|~_-\u00b0"


def is_code(text: str) -> bool:
    """A word whose characters are a code: three digits or more, or a `#` number."""
    digits = len(_DIGIT.findall(text))
    return digits >= 3 or (text.startswith("#") and digits >= 1 and len(text) >= 4)


def core(text: str) -> str:
    """Letters and digits only, upper case: what readings are compared on."""
    return _CORE.sub("", text).upper()


def candidates(data: dict) -> list[int]:
    """Indexes of the TSV rows worth a second look, in reading order."""
    rows = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if text and 0 <= conf < REREAD_BELOW and is_code(text) and int(data["height"][i]) >= 6:
            rows.append(i)
    return rows if len(rows) <= MAX_WORDS else []


def _hash_width(data: dict, i: int) -> int:
    """Pixels the `#` before a case number takes (record print is monospaced), else 0.
    Read beside `#`, Tesseract turns a case number's first letter into a digit (`#C377421`
    as `#0377421`, `#A065314` as `#0065314`, even on clean print); read alone, it does not."""
    text = (data["text"][i] or "").strip()
    if not text.startswith("#") or len(text) < 3:
        return 0
    return int(round(int(data["width"][i]) / len(text)))


def _crop(image: np.ndarray, data: dict, i: int, scale: int) -> np.ndarray:
    left, top = int(data["left"][i]), int(data["top"][i])
    width, height = int(data["width"][i]), int(data["height"][i])
    pad_y, pad_x = max(2, height // 3), max(2, height // 4)
    skip = _hash_width(data, i)
    x0 = left + skip if skip else max(0, left - pad_x)
    crop = image[max(0, top - pad_y) : top + height + pad_y, x0 : left + width + pad_x]
    return cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)


def _stack(crops: list[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The crops one under the other on white, and each crop's rows (top, bottom)."""
    width = max(c.shape[1] for c in crops) + 2 * GAP
    height = sum(c.shape[0] for c in crops) + GAP * (len(crops) + 1)
    sheet = np.full((height, width), 255, dtype=np.uint8)
    spans, y = [], GAP
    for c in crops:
        sheet[y : y + c.shape[0], GAP : GAP + c.shape[1]] = c
        spans.append((y, y + c.shape[0]))
        y += c.shape[0] + GAP
    return sheet, spans


def _read(
    sheet: np.ndarray, spans: list[tuple[int, int]], dpi: float, timeout: float
) -> list[tuple[str, float]] | None:
    """Each stacked crop's reading (words joined) and its lowest word confidence; None on timeout."""
    data = read_data(sheet, dpi, CONFIG, timeout=timeout)
    if data is None:
        return None
    found: list[list[tuple[int, str, float]]] = [[] for _ in spans]
    tops = [top for top, _ in spans]
    for j, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][j])
        if not text or conf < 0:
            continue
        middle = int(data["top"][j]) + int(data["height"][j]) // 2
        k = int(np.searchsorted(tops, middle, side="right")) - 1
        if 0 <= k < len(spans) and spans[k][0] <= middle < spans[k][1]:
            found[k].append((int(data["left"][j]), text, conf))
    out = []
    for words in found:
        words.sort()
        text = "".join(t for _, t, _ in words).strip(_EDGE_JUNK)
        out.append((text, min((c for _, _, c in words), default=0.0)))
    return out


def reread_codes(
    image: np.ndarray, dpi: float, data: dict, timeout: float, keep: Callable[[int], bool] | None = None
) -> tuple[dict, str]:
    """`data` (Tesseract's TSV columns for the page) with its unsure code-like words (those `keep`
    keeps, if given: the ones extraction says a decision reads) read again as the module says,
    and a note of what changed. Never raises for a bad crop: a second look that fails or runs
    out of time leaves the page's reading."""
    rows = [i for i in candidates(data) if keep is None or keep(i)]
    if not rows:
        return data, ""
    readings: list[list[tuple[str, float]]] = []
    for scale in SCALES:
        sheet, spans = _stack([_crop(image, data, i, scale) for i in rows])
        got = _read(sheet, spans, dpi * scale, timeout)
        if got is None:
            return data, f"second look at {len(rows)} code-like words cut short by the timeout"
        readings.append(got)
    data = {key: list(values) for key, values in data.items()}
    changed = confirmed = 0
    for n, i in enumerate(rows):
        first, first_conf = data["text"][i].strip(), float(data["conf"][i])
        (b, b_conf), (c, c_conf) = readings[0][n], readings[1][n]
        if not b or not c:
            continue
        if _hash_width(data, i):
            # Read without its `#`; `$` is how an S reads there.
            b, c = ("#" + ("S" + x[1:] if x.startswith("$") else x) for x in (b, c))
        sure = min(b_conf, c_conf)
        if (
            core(b) == core(c)
            and core(b)
            and core(b) != core(first)
            and sure >= max(SURE_ENOUGH, first_conf + MARGIN)
            and _CODE_CHARS.fullmatch(b)
            and _CODE_CHARS.fullmatch(c)
        ):
            data["text"][i] = b if len(b) >= len(c) else c  # the one with more of the marks around the code
            data["conf"][i] = sure
            changed += 1
        elif core(b) == core(c) == core(first):
            data["conf"][i] = max(first_conf, b_conf, c_conf)
            confirmed += 1
        else:
            data["conf"][i] = min(first_conf, b_conf, c_conf)
    return data, f"second look at {len(rows)} code-like words: {changed} corrected, {confirmed} confirmed"
