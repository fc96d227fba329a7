"""OCR of one page image: Tesseract 5 (LSTM), one call per page, words with boxes.

`ocr_page` is a plain function of picklable arguments so a process pool can run it; it
prepares the image (`preprocess`), runs Tesseract once (`image_to_data`: every word with
its box and confidence), drops what is plainly noise, maps boxes back to page points and
lays the words out (`layout.compose`). It never raises for a bad page: failures and
timeouts come back as an `OcrResult` with `error` set, so the document keeps its other
pages.
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

from docmine.ingest import preprocess
from docmine.ingest.layout import RawWord, compose
from docmine.records import Word

# LSTM only; psm 4 (one column of text of varied sizes): layout analysis that finds text
# lines and leaves noise regions out, without psm 3's column splitting. Tesseract's
# default retry of low-confidence lines as white-on-black text costs time and never pays
# on court records, so it is off.
TESSERACT_CONFIG = "--oem 1 --psm 4 -c tessedit_do_invert=0"
BLANK_INK = 0.0002  # share of dark pixels below which a page is blank: no OCR needed


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """How pages are read. `steps`: None plans preprocessing per page; a tuple forces it
    (() for none). `config` is passed to Tesseract as is."""

    steps: tuple[str, ...] | None = None
    config: str = TESSERACT_CONFIG
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
# Characters that print at least as tall as a capital (or reach below the line): a word
# holding one cannot be made of ink half that height.
_TALL = re.compile(r"[A-Z0-9bdfghijklpqty#@&%$?!/\\|()\[\]{}\u00a9\u00a7\u00ae]")
_XHEIGHT = re.compile(r"[acemnorsuvwxz]+")
_SMALL_PUNCT = re.compile(r"[.,'`~\-_\"\u2018\u2019\u201c\u201d\u00ab\u00bb\u00b0]+")
MARK_ROW = 0.5  # rows this much made of marks are separator rows: their junk is marks too
MARK_ROW_CONF = 65.0  # ... when read with less confidence than this, and short


def _noise(text: str, conf: float, height: float, typical: float) -> bool:
    """Tesseract's readings of specks, streaks and stamp edges, not of print.

    Dropped: punctuation alone read with low confidence, and letters or digits from
    ink far smaller than the page's text. Kept: everything else.
    """
    if not _ALNUM.search(text):
        return conf < 60 and text not in ("*", "**", "#", "&")
    return height < 0.35 * typical


def _mark(text: str, box, typical: float, baseline: float, upper_page: bool, ink_height) -> bool:
    """A small mark (in records: an asterisk) that the engine read as letters.

    RAP sheets print `* * * *` rows between arrest cycles and `*****` rules around
    headers; Tesseract's model reads a Courier asterisk as `kK`, `e`, `@`, `#`, `8` or `&`,
    and a run of them as `KKEKEK`. An asterisk is about half as tall as a capital and
    floats above the baseline. A reading with tall characters (capitals, digits, `l`,
    `#`) from ink that small cannot be right; nor, on an upper-case page, can lower-case
    letters. `ink_height(box)` measures the ink itself, for long runs whose box is taller
    than their marks because the row is not quite level.
    """
    h = box[3] - box[1]
    if h > 0.75 * typical and len(text) >= 5 and h <= 2.5 * typical:
        h = ink_height(box)
    if h > 0.75 * typical:
        return False
    if not _ALNUM.search(text) and not re.search(r"[#@&%$\u00a9\u00a7\u00ae]", text):
        # Punctuation: a dot, dash or quote read from ink half a capital tall is a mark.
        return h >= 0.4 * typical and _SMALL_PUNCT.fullmatch(text) is not None
    if _TALL.search(text) or (upper_page and _XHEIGHT.fullmatch(text)):
        return True
    return baseline - box[3] > 0.25 * typical  # floats above its line


def _components(binary: np.ndarray, box, typical: float) -> list[tuple[int, int, int, int]]:
    """Boxes of the ink blobs inside a box, specks left out."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0 = max(0, x0), max(0, y0)
    crop = binary[y0:y1 + 1, x0:x1 + 1]
    if crop.size == 0:
        return []
    n, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    out = []
    for i in range(1, n):
        cx, cy, cw, ch, area = stats[i]
        if ch >= 0.25 * typical and area >= 0.02 * typical * typical:
            out.append((x0 + cx, y0 + cy, x0 + cx + cw, y0 + cy + ch))
    return out


def _stars(binary: np.ndarray, box, typical: float) -> list[tuple[float, float, float, float]]:
    """Boxes of the separate marks inside a word box (each becomes one `*`)."""
    marks = sorted(_components(binary, box, typical))
    # Pieces of one broken mark lie within a quarter of a mark's width of each other.
    merged: list[list[float]] = []
    for m in marks:
        if merged and m[0] - merged[-1][2] < 0.25 * typical:
            last = merged[-1]
            merged[-1] = [last[0], min(last[1], m[1]), max(last[2], m[2]), max(last[3], m[3])]
        else:
            merged.append(list(m))
    return [tuple(m) for m in merged] or [box]


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
    heights = sorted(r[2][3] - r[2][1] for r in rows if _ALNUM.search(r[0]))
    typical = heights[len(heights) // 2] if heights else 0.0
    bottoms: dict[int, list[float]] = {}
    for r in rows:
        bottoms.setdefault(r[3], []).append(r[2][3])
    baseline = {line: sorted(b)[len(b) // 2] for line, b in bottoms.items()}
    letters = "".join(c for r in rows for c in r[0] if c.isalpha())
    upper_page = sum(c.isupper() for c in letters) >= 0.8 * max(len(letters), 1)
    binary = (prepared.image < 128).astype(np.uint8) if filter_noise else None
    words = []

    def ink_height(box) -> float:
        heights = sorted(c[3] - c[1] for c in _components(binary, box, typical))
        return float(heights[len(heights) // 2]) if len(heights) >= 3 else box[3] - box[1]

    def add(text: str, conf: float, box, line: int) -> None:
        frame = (box[0] * k, box[1] * k, box[2] * k, box[3] * k)
        words.append(RawWord(text, _to_page(prepared.to_page, box), round(conf / 100.0, 3), frame, line))

    is_mark = [filter_noise and _mark(t, b, typical, baseline[ln], upper_page, ink_height)
               for t, _, b, ln in rows]
    if filter_noise:
        # Separator rows: once most of a row reads as marks, its other short, unsure
        # readings (`#8`, `&@`, `elle`) are marks run together, not words.
        per_line: dict[int, list[int]] = {}
        for i, r in enumerate(rows):
            per_line.setdefault(r[3], []).append(i)
        for idx in per_line.values():
            if sum(is_mark[i] for i in idx) >= MARK_ROW * len(idx):
                for i in idx:
                    text, conf = rows[i][0], rows[i][1]
                    if not is_mark[i] and len(text) <= 4 and conf < MARK_ROW_CONF and text != "*":
                        is_mark[i] = True
    for (text, conf, box, line), mark in zip(rows, is_mark):
        if mark:
            for sub in _stars(binary, box, typical):
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
            config = f"{options.config} --dpi {int(round(prepared.dpi))}"
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
