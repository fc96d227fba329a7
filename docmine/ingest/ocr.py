"""OCR of one page image: Tesseract 5 (LSTM), one call per page, words with boxes.

`ocr_page` is a plain function of picklable arguments so a process pool can run it; it
prepares the image (`preprocess`), runs Tesseract once (`image_to_data`: every word with
its box and confidence), drops what is plainly noise, maps boxes back to page points,
puts back asterisks it misread (`marks`) and lays the words out (`layout.compose`). It
never raises for a bad page: failures and timeouts come back as an `OcrResult` with
`error` set, so the document keeps its other pages.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass

import cv2
import numpy as np
import pytesseract

from docmine.ingest import marks, preprocess
from docmine.ingest.layout import RawWord, compose
from docmine.records import Word

# LSTM only. Page segmentation: clean pages are read as one uniform block (psm 6, the
# fastest); noisy ones with psm 4 (one column of text of varied sizes), whose layout
# analysis leaves speckled regions out instead of reading them as letters (heavy
# photocopies: CER 4.3% against 6.8% with psm 6; clean pages: the same CER, 20% slower).
# Tesseract's retry of unsure lines as white-on-black text never pays on records: off.
CLEAN_CONFIG = "--oem 1 --psm 6 -c tessedit_do_invert=0 -c load_system_dawg=0 -c load_freq_dawg=0"
NOISY_CONFIG = "--oem 1 --psm 4 -c tessedit_do_invert=0 -c load_system_dawg=0 -c load_freq_dawg=0"
TESSERACT_CONFIG = NOISY_CONFIG  # kept for callers that name one
BLANK_INK = 0.0002  # share of dark pixels below which a page is blank: no OCR needed


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """How pages are read. `steps`: None plans preprocessing per page; a tuple forces it
    (() for none). `config`: Tesseract options; None picks them per page."""

    steps: tuple[str, ...] | None = None
    config: str | None = None  # None: CLEAN_CONFIG or NOISY_CONFIG, per page
    lang: str = "eng"
    filter_noise: bool = True


@dataclass(frozen=True, slots=True)
class OcrResult:
    text: str
    words: tuple[Word, ...]
    reason: str  # what was done: dpi, preprocessing steps, timing
    error: str | None = None


def _to_page(m: preprocess.Affine, box: tuple[float, float, float, float]):
    """The axis-aligned hull of a prepared-image box mapped to page points."""
    a, b, c, d, e, f = m
    x0, y0, x1, y1 = box
    xs = [a * x + b * y + c for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    ys = [d * x + e * y + f for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    return min(xs), min(ys), max(xs), max(ys)


_ALNUM = re.compile(r"[A-Za-z0-9]")
_CAPS = re.compile(r"[A-Z0-9]{2,}")


def _noise(text: str, conf: float, height: float, typical: float) -> bool:
    """Tesseract's readings of specks, streaks and stamp edges, not of print.

    Dropped: punctuation alone read with low confidence or from a stroke taller than
    print (streaks, rules), and letters or digits from ink far smaller than the page's
    text. Kept: everything else.
    """
    if not _ALNUM.search(text):
        if height > 1.5 * typical and set(text) <= set("|!/\\[](){}_-~'`\""):
            return True  # a toner streak or a ruled line read as `|`
        return conf < 60 and text not in ("*", "**", "#", "&")
    return height < 0.35 * typical


def _snap(binary: np.ndarray, box, reach: int):
    """A word box with its left and right edges moved onto the ink.

    Tesseract places the cut roughly where it splits a run of print into two words
    (`*DISPO:` `CONVICTED`), up to half a character off; the blank columns of the
    image say where the ink really stops. Edges move at most `reach` pixels.
    """
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    h, w = binary.shape
    lo, hi = max(0, x0 - reach), min(w, x1 + reach + 1)
    if y1 <= y0 or hi <= lo or x1 <= x0:
        return box
    ink = binary[max(0, y0):min(h, y1 + 1), lo:hi].any(axis=0)
    a, b = x0 - lo, min(x1 - lo, len(ink) - 1)
    while a > 0 and ink[a - 1]:
        a -= 1  # the word's first letter began left of the box
    while a < b and not ink[a]:
        a += 1
    while b < len(ink) - 1 and ink[b + 1]:
        b += 1
    while b > a and not ink[b]:
        b -= 1
    if not ink[a]:
        return box
    return (float(lo + a), box[1], float(lo + b + 1), box[3])


def _words(data: dict, prepared: preprocess.Prepared, filter_noise: bool) -> list[RawWord]:
    k = 72.0 / prepared.dpi  # prepared pixels -> points, for the layout frame
    rows = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        w, h = float(data["width"][i]), float(data["height"][i])
        line = (int(data["block_num"][i]) * 1000 + int(data["par_num"][i])) * 1000 + int(data["line_num"][i])
        rows.append((text, conf, (left, top, left + w, top + h), line))
    if not rows:
        return []
    # The page's capital height: from confident words of capitals and digits (no
    # descenders, no punctuation), else from any word with a letter or digit.
    heights = sorted(r[2][3] - r[2][1] for r in rows if _CAPS.fullmatch(r[0]) and r[1] >= 80)
    if len(heights) < 5:
        heights = sorted(r[2][3] - r[2][1] for r in rows if _ALNUM.search(r[0]))
    typical = heights[len(heights) // 2] if heights else 0.0
    binary = (prepared.image < 128).astype(np.uint8) if filter_noise else None
    is_mark = marks.find(rows, binary, typical) if filter_noise else [False] * len(rows)
    words = []

    def add(text: str, conf: float, box, line: int) -> None:
        frame = (box[0] * k, box[1] * k, box[2] * k, box[3] * k)
        words.append(RawWord(text, _to_page(prepared.to_page, box), round(conf / 100.0, 3), frame, line))

    reach = max(1, int(round(0.5 * typical)))  # half a character
    for (text, conf, box, line), mark in zip(rows, is_mark):
        if binary is not None and not mark:
            box = _snap(binary, box, reach)
        if mark and len(text) >= 5:
            add("*" * len(text), conf * 0.5, box, line)  # a run: one asterisk per letter read
            continue
        if mark:
            for sub in marks.split(binary, box, typical):
                add("*", conf * 0.5, sub, line)
            continue
        if filter_noise and _noise(text, conf, box[3] - box[1], typical):
            continue
        add(text, conf, box, line)
    return words


def ocr_page(gray: np.ndarray, dpi: float, *, timeout: float = 120.0,
             options: OcrOptions = OcrOptions()) -> OcrResult:
    """Read one page image (8-bit grey, `dpi` pixels per inch). Never raises."""
    started = time.monotonic()
    try:
        prepared = preprocess.prepare(gray, dpi, options.steps)
        steps = ", ".join(prepared.steps) or "no preprocessing"
        where = f"{dpi:.0f} dpi, {steps}"
        if prepared.stats.ink < BLANK_INK:
            return OcrResult("", (), f"OCR skipped: blank page ({where})")
        left = timeout - (time.monotonic() - started)
        if left <= 0:
            return OcrResult("", (), where, f"OCR timed out after {timeout:g} s (preprocessing)")
        # OMP_THREAD_LIMIT=1: Tesseract's OpenMP threads fight the page-level processes.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        with tempfile.TemporaryDirectory(prefix="docmine-ocr-") as tmp:
            image_path = os.path.join(tmp, "page.pgm")  # uncompressed: fastest to write and read
            cv2.imwrite(image_path, prepared.image)
            config = options.config or (NOISY_CONFIG if prepared.stats.noisy else CLEAN_CONFIG)
            config = f"{config} --dpi {int(round(prepared.dpi))}"
            try:
                data = pytesseract.image_to_data(image_path, lang=options.lang, config=config,
                                                 timeout=left, output_type=pytesseract.Output.DICT)
            except RuntimeError as exc:
                if "timeout" in str(exc).lower():
                    return OcrResult("", (), where, f"OCR timed out after {timeout:g} s")
                raise
        words = _words(data, prepared, options.filter_noise)
        text, placed = compose(words, ink_boxes=True)
        spent = time.monotonic() - started
        return OcrResult(text, placed, f"OCR ({where}; {spent:.1f} s)")
    except Exception as exc:  # a bad page must not take the document down
        return OcrResult("", (), "OCR failed", f"OCR failed: {type(exc).__name__}: {exc}")
