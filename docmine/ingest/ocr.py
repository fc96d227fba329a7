"""OCR of one page image: Tesseract 5 (LSTM), one call per page, words with boxes.

`ocr_page` is a plain function of picklable arguments so a process pool can run it; it
prepares the image (`preprocess`), runs Tesseract once (`image_to_data`: every word with
its box and confidence; a second time for faxes that read unsurely, and for pages that
may be turned), drops what is plainly noise, maps boxes back to page points,
puts back asterisks it misread (`marks`) and lays the words out (`layout.compose`). It
never raises for a bad page: failures and timeouts come back as an `OcrResult` with
`error` set, so the document keeps its other pages.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from docmine.ingest import marks, preprocess, reread
from docmine.ingest.layout import RawWord, compose
from docmine.ingest.tesseract import read_data
from docmine.records import Word

# LSTM only. Page segmentation: clean pages are read as one uniform block (psm 6, the
# fastest); photocopy-grade ones (`PageStats.photocopy`: noisy under 250 dpi, or black
# and white) with psm 4 (one column of text of varied sizes), whose layout analysis
# leaves speckled regions out instead of reading them as letters (heavy photocopies: CER
# 4.3% against 6.8% with psm 6; clean pages: the same CER, 20% slower; re-measured with
# despeckling on 34 heavy pages: 3.26% against 4.23%, psm 3 3.31%). Grainy 300 dpi
# scans (light photocopies) read better as clean pages: on 24 of them 0.73% against 0.84%
# with psm 4 and no crop, and 16% less CPU per page.
# Tesseract's retry of unsure lines as white-on-black text never pays on records: off.
CLEAN_CONFIG = "--oem 1 --psm 6 -c tessedit_do_invert=0 -c load_system_dawg=0 -c load_freq_dawg=0"
NOISY_CONFIG = "--oem 1 --psm 4 -c tessedit_do_invert=0 -c load_system_dawg=0 -c load_freq_dawg=0"
BLANK_INK = 0.0002  # share of dark pixels below which a page is blank: no OCR needed
# Orientation: a page whose letters and digits read under ORIENT_CONF mean confidence, or
# fewer than ORIENT_CHARS of them, is read turned as well. Measured on 36 synthetic pages
# (12 clean, 12 light, 12 heavy), each read in all four orientations: upright pages read at
# 62-96 (490+ letters), upside-down ones at 22-35, pages on their side at 47 or less, or
# under 15 letters. Readings compare by letters read with confidence >= SURE (upright
# 470+, any wrong orientation 210 or less). `preprocess.text_axis` beyond AXIS_SURE (or
# under its inverse) settles whether print runs across or down (upright and upside-down
# pages 1.59-3.28, pages on their side 0.30-0.63).
# Black-and-white photocopies whose letters and digits read under RETRY_CONF mean
# confidence are read with the other clean-up as well (`preprocess.alternative`), and
# the more confident reading is kept. Faxes that read well read at 90-95, and a second
# reading of those changed their CER by a few characters either way (measured on 31
# faxes of three page sets): not worth a second Tesseract pass.
RETRY_CONF = 90.0
ORIENT_CONF = 50.0
ORIENT_CHARS = 40
SURE = 70.0
AXIS_SURE = 1.25


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """How pages are read. `steps`: None plans preprocessing per page; a tuple forces it
    (() for none). `config`: Tesseract options; None picks them per page."""

    steps: tuple[str, ...] | None = None
    config: str | None = None  # None: CLEAN_CONFIG or NOISY_CONFIG, per page
    lang: str = "eng"
    filter_noise: bool = True
    orientation: bool = True  # read pages that read badly turned as well (see ocr_page)
    # A black-and-white photocopy that reads unsurely is read with the other clean-up too
    # (`preprocess.alternative`; only where `steps` is None).
    reread: bool = True
    # Unsure code-like words (case numbers, dates, CII, charge codes) read again enlarged
    # (`reread.reread_codes`): True (or "now") on the page's reading; "later": what the look
    # needs is kept with the page (`OcrResult.later`), and extraction looks only where a
    # document's counts are worth it (`docmine.extract.extract`); False: never.
    second_look: bool | str = True


@dataclass(frozen=True)
class Later:
    """What the rest of a page's reading needs, kept small: the prepared image and Tesseract's
    reading (and for an unsure fax, which the second reading reads again, the page as scanned),
    a bit per pixel where they are black and white (most prepared pages are: binarised)."""

    image: tuple  # the prepared image, `_pack`ed (a bit per pixel where it is black and white)
    dpi: float
    to_page: np.ndarray
    steps: tuple[str, ...]
    stats: preprocess.PageStats
    rotation: int
    binary: bool
    data: dict
    filter_noise: bool
    where: str  # the page's reason before the look (dpi, steps, notes)
    spent: float  # seconds the first reading took
    # An unsure black-and-white photocopy: the page as scanned and the other clean-up, for the
    # second reading (`_second_reading`) the look does first.
    gray: tuple | None = None  # `_pack`
    other_steps: tuple[str, ...] | None = None
    config: str | None = None
    lang: str = "eng"

    @classmethod
    def of(cls, prepared: preprocess.Prepared, data: dict, options: "OcrOptions", where: str, spent: float,
           gray: np.ndarray | None = None, other_steps: tuple[str, ...] | None = None) -> "Later":  # fmt: skip
        return cls(_pack(prepared.image), prepared.dpi, prepared.to_page, prepared.steps, prepared.stats,
                   prepared.rotation, prepared.binary, data, options.filter_noise, where, spent,
                   _pack(gray) if gray is not None else None, other_steps, options.config, options.lang)  # fmt: skip

    def prepared(self) -> preprocess.Prepared:
        image = _unpack(self.image)
        return preprocess.Prepared(image, self.dpi, self.to_page, self.steps, self.stats, self.rotation, self.binary)


def _pack(gray: np.ndarray) -> tuple:
    """A black-and-white page as a bit per pixel (its two grey levels kept); another page as is."""
    lo, hi = int(gray.min()), int(gray.max())
    if np.count_nonzero((gray != lo) & (gray != hi)) == 0:
        return ("bits", gray.shape, lo, hi, np.packbits(gray == hi))
    return ("grey", gray.shape, gray.copy())


def _unpack(packed: tuple) -> np.ndarray:
    if packed[0] == "bits":
        _, shape, lo, hi, bits = packed
        on = np.unpackbits(bits, count=shape[0] * shape[1]).reshape(shape).astype(bool)
        return np.where(on, np.uint8(hi), np.uint8(lo))
    return packed[2]


def look_later(later: Later, timeout: float = 60.0, where: tuple | None = None) -> "OcrResult":
    """The page's reading finished now, as `ocr_page` with `second_look=True` reads it: the
    second reading with the other clean-up where the page read unsurely, then the second look
    at its unsure code-like words: all of them, or (`where`: boxes in page points) those whose
    middle lies in one of the boxes."""
    started = time.monotonic()
    try:
        prepared, data, notes, looked = later.prepared(), later.data, [], []
        if later.other_steps is not None and later.gray is not None:
            options = OcrOptions(config=later.config, lang=later.lang)
            first = _judge(prepared, data)
            best, note = _second_reading(_unpack(later.gray), later.stats.dpi, first, later.other_steps, options,
                                         timeout)  # fmt: skip
            prepared, data = best.prepared, best.data
            notes.append(note)
        left = timeout - (time.monotonic() - started)
        if left > 0:
            keep = None if where is None else _within(prepared.to_page, data, where)
            data, note = reread.reread_codes(prepared.image, prepared.dpi, data, left, keep)
            if note:
                looked.append(note)
        text, placed = compose(_words(data, prepared, later.filter_noise), ink_boxes=True)
        spent = later.spent + time.monotonic() - started
        first_notes = later.where.split("; ")[1:]  # the orientation check's, if any
        where = "; ".join([_where(prepared)] + notes + first_notes + looked)
        return OcrResult(text, placed, f"OCR ({where}; {spent:.1f} s)")
    except Exception as exc:  # noqa: BLE001 - the first reading stands
        prepared = later.prepared()
        text, placed = compose(_words(later.data, prepared, later.filter_noise), ink_boxes=True)
        return OcrResult(text, placed, f"OCR ({later.where}; second look failed: {type(exc).__name__})")


# Points a word's middle may lie outside a box and still be the word the box was drawn around
# (boxes are snapped to the ink; a second reading of a fax places words a little differently).
_WITHIN_PT = 2.0


def _within(to_page: preprocess.Affine, data: dict, boxes: tuple) -> Callable[[int], bool]:
    """Whether TSV row i's middle, in page points, lies in one of the boxes."""

    def keep(i: int) -> bool:
        left, top = float(data["left"][i]), float(data["top"][i])
        x0, y0, x1, y1 = _to_page(to_page, (left, top, left + float(data["width"][i]), top + float(data["height"][i])))
        x, y, d = (x0 + x1) / 2, (y0 + y1) / 2, _WITHIN_PT
        return any(b[0] - d <= x <= b[2] + d and b[1] - d <= y <= b[3] + d for b in boxes)

    return keep


@dataclass(frozen=True, slots=True)
class OcrResult:
    text: str
    words: tuple[Word, ...]
    reason: str  # what was done: dpi, preprocessing steps, timing
    error: str | None = None
    later: Later | None = None  # second_look="later": what the look needs


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
    ink = binary[max(0, y0) : min(h, y1 + 1), lo:hi].any(axis=0)
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


def _common(heights: list[float]) -> float:
    """The height most words share (sorted input): the median of the densest +-10% band.

    Not the median of all: on a speckled fax, dots that touch a word stretch its box, and
    when most boxes are stretched (a page half covered by a fax's dithered shading: capitals
    15-17 px, median box 24) the median overstates the print, and ordinary words, measured
    against it, read as small marks (`marks`) and came out as asterisks (CER 39%).
    """
    if not heights:
        return 0.0
    best, lo = (0, 0, 0), 0
    for hi, h in enumerate(heights):
        while heights[lo] < h / 1.2:  # the band [h / 1.2, h]: +-10% around its middle
            lo += 1
        if hi - lo + 1 > best[0]:
            best = (hi - lo + 1, lo, hi)
    _, lo, hi = best
    return heights[(lo + hi) // 2]


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
    typical = _common(heights)
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


def _tesseract(prepared: preprocess.Prepared, options: OcrOptions, left: float) -> dict | None:
    """One Tesseract run on a prepared image: its TSV as columns, or None on timeout."""
    config = options.config or (NOISY_CONFIG if prepared.stats.photocopy else CLEAN_CONFIG)
    return read_data(prepared.image, prepared.dpi, config, lang=options.lang, timeout=left, binary=prepared.binary)


@dataclass(frozen=True, slots=True)
class _Pass:
    """One reading of the page in one orientation."""

    prepared: preprocess.Prepared
    data: dict
    conf: float  # mean confidence (0-100) of the letters and digits read
    chars: int  # letters and digits read
    sure: int  # letters and digits in words read with confidence >= SURE

    @property
    def reads_well(self) -> bool:
        return self.conf >= ORIENT_CONF and self.chars >= ORIENT_CHARS


def _judge(prepared: preprocess.Prepared, data: dict) -> _Pass:
    chars = sure = 0
    total = 0.0
    for text, conf in zip(data["text"], data["conf"]):
        conf = float(conf)
        n = len(_ALNUM.findall(text or ""))
        if conf < 0 or not n:
            continue
        chars += n
        total += n * conf
        sure += n if conf >= SURE else 0
    return _Pass(prepared, data, total / chars if chars else 0.0, chars, sure)


def _second_reading(
    gray: np.ndarray, dpi: float, first: _Pass, steps: tuple[str, ...], options: OcrOptions, left: float
) -> tuple[_Pass, str]:
    """The page read again with other clean-up steps; the more confident reading, and a note.
    A second reading cut short or failing keeps the first."""

    def name(p: preprocess.Prepared) -> str:
        return "median" if "median" in p.steps else "despeckle"

    label = f"clean-up by confidence: {name(first.prepared)} {first.conf:.0f}"
    if left <= 0:
        return first, f"{label}, other clean-up skipped (timeout)"
    other_prep = preprocess.prepare(gray, dpi, steps)
    try:
        data = _tesseract(other_prep, options, left)
    except Exception as exc:  # noqa: BLE001
        return first, f"{label}, {name(other_prep)} failed ({type(exc).__name__})"
    if data is None:
        return first, f"{label}, {name(other_prep)} cut short by the timeout"
    other = _judge(other_prep, data)
    return (other if other.conf > first.conf else first), f"{label}, {name(other_prep)} {other.conf:.0f}"


def _turns(gray: np.ndarray, dpi: float) -> tuple[tuple[int, ...], str]:
    """The other orientations (degrees clockwise) worth reading, most likely first, and why."""
    axis = preprocess.text_axis(gray, dpi)
    if axis <= 1 / AXIS_SURE:
        return (90, 270), f"print runs down the page ({axis:.2f})"
    if axis >= AXIS_SURE:
        return (180,), f"print runs across the page ({axis:.2f})"
    return (180, 90, 270), f"print direction unclear ({axis:.2f})"


def ocr_page(gray: np.ndarray, dpi: float, *, timeout: float = 120.0, options: OcrOptions = OcrOptions()) -> OcrResult:
    """Read one page image (8-bit grey, `dpi` pixels per inch). Never raises.

    A black-and-white photocopy that reads under RETRY_CONF is read again with the
    other clean-up (median or despeckling, `preprocess.alternative`) and the more
    confident reading is kept. A page that reads badly as it stands (few letters, or low
    confidence) may be on its side or upside down: it is read again turned to the
    orientations its print direction allows (`preprocess.text_axis`), and the reading
    with the most sure letters is kept. Upright pages that read well pay nothing for this.
    """
    started = time.monotonic()
    try:
        # OMP_THREAD_LIMIT=1: Tesseract's OpenMP threads fight the page-level processes.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        prepared = preprocess.prepare(gray, dpi, options.steps)
        where = _where(prepared)
        if prepared.stats.ink < BLANK_INK:
            return OcrResult("", (), f"OCR skipped: blank page ({where})")
        left = timeout - (time.monotonic() - started)
        if left <= 0:
            return OcrResult("", (), where, f"OCR timed out after {timeout:g} s (preprocessing)")
        data = _tesseract(prepared, options, left)
        if data is None:
            return OcrResult("", (), where, f"OCR timed out after {timeout:g} s")
        best = _judge(prepared, data)
        notes = []
        other_steps = None
        look = {True: "now", False: "off"}.get(options.second_look, options.second_look)
        if options.reread and options.steps is None:
            other_steps = preprocess.alternative(prepared.stats, prepared.steps)
        if other_steps is not None and best.conf < RETRY_CONF and look != "later":
            left = timeout - (time.monotonic() - started)
            best, note = _second_reading(gray, dpi, best, other_steps, options, left)
            notes.append(note)
            other_steps = None
        elif best.conf >= RETRY_CONF:
            other_steps = None
        if options.orientation and not best.reads_well:
            turns, why = _turns(gray, dpi)
            tried = [f"as scanned {best.conf:.0f}"]
            for rotation in turns:
                # Each reading has what is left of the page's time; one cut short or
                # failing leaves the readings made so far.
                turned = preprocess.prepare(gray, dpi, options.steps, rotation=rotation)
                left = timeout - (time.monotonic() - started)
                try:
                    data = _tesseract(turned, options, left) if left > 0 else None
                except Exception as exc:  # noqa: BLE001
                    tried.append(f"turned {rotation}\u00b0 failed ({type(exc).__name__})")
                    break
                if data is None:
                    tried.append(f"turned {rotation}\u00b0 cut short by the timeout")
                    break
                other = _judge(turned, data)
                tried.append(f"turned {rotation}\u00b0 {other.conf:.0f}")
                if other.sure > best.sure:
                    best = other
                if best.reads_well:
                    break
            notes.append(f"orientation check: {why}; mean confidence read {', '.join(tried)}")
        if best.prepared is not prepared:  # turned: the other clean-up was for the page as scanned
            other_steps = None
        prepared = best.prepared
        data = best.data
        if look == "now":
            left = timeout - (time.monotonic() - started)
            if left > 0:
                data, note = reread.reread_codes(prepared.image, prepared.dpi, data, left)
                if note:
                    notes.append(note)
        words = _words(data, prepared, options.filter_noise)
        text, placed = compose(words, ink_boxes=True)
        spent = time.monotonic() - started
        where = "; ".join([_where(prepared)] + notes)
        later = None
        if look == "later" and (other_steps is not None or reread.candidates(data)):
            later = Later.of(
                prepared, data, options, where, spent, gray if other_steps is not None else None, other_steps
            )
        return OcrResult(text, placed, f"OCR ({where}; {spent:.1f} s)", later=later)
    except Exception as exc:  # a bad page must not take the document down
        return OcrResult("", (), "OCR failed", f"OCR failed: {type(exc).__name__}: {exc}")


def _where(prepared: preprocess.Prepared) -> str:
    steps = ", ".join(prepared.steps) or "no preprocessing"
    turned = f"turned {prepared.rotation}\u00b0 clockwise, " if prepared.rotation else ""
    return f"{prepared.stats.dpi:.0f} dpi, {turned}{steps}"
