"""Per page: read the PDF's own text layer, or OCR the page image?

A text layer is used when it is genuine and complete. Scans often carry a hidden text
layer from some earlier OCR pass, and old passes were bad: `Th1s ,.~ l1I'` or letters
from a font with no Unicode map. Such a layer is worse than a fresh OCR, so it is judged:

- shape: the share of its characters in tokens shaped like words, numbers or record codes
  (`CII/A99000015`, `11357(A)`, `19840725`), not letter-digit-symbol soup;
- dictionary: the share of its longer alphabetic parts found in a word list of English and
  record vocabulary;
- odd characters: symbols outside letters, digits and everyday punctuation; characters
  pdfium could not map to Unicode;
- coverage (pages that are mostly image): the share of the page's ink that lies under the
  layer's words, so a layer that holds only a header over a scanned page is not taken for
  the whole page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from docmine.ingest.textlayer import TextLayer
from docmine.ingest.vocab import WORDS


@dataclass(frozen=True, slots=True)
class Limits:
    """Where a layer stops reading as text."""

    plausible: float  # least share of (weighted) characters in plausible tokens
    dictionary: float  # least share of alphabetic parts (>= 3 letters) in the word list
    odd: float  # most share of characters that are not letters, digits, common punctuation
    unmapped: float  # most share of characters pdfium could not map to Unicode


# Vector text (no scan under it) was typeset by a program: only broken encodings make
# it unreadable, so only gross failures count. A layer over a scan was made by some OCR
# pass; a fresh OCR of the image is the alternative, so it must read well to be kept.
# Set on synthetic RAP sheets and on plain Tesseract output of heavy photocopies (which
# reads 34-80% plausible / dictionary where CER is over 40%); genuine pages read 98%+ / 70%+.
VECTOR = Limits(plausible=0.6, dictionary=0.12, odd=0.15, unmapped=0.2)
SCANNED = Limits(plausible=0.9, dictionary=0.45, odd=0.05, unmapped=0.05)
MIN_DICTIONARY_PARTS = 15  # below this many parts the dictionary share says little
MIN_COVERAGE = 0.6  # share of ink under the layer's words, pages mostly covered by images
SCANNED_SHARE = 0.3  # images over this share of the page make it a scan
FEW_CHARS = 8  # a layer this small over a scan is a stray label, not the page's text

_COMMON = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;/()-'\"#&*$%@+=!?[]_<>")
_EDGE_PUNCT = "\"'()[]{}<>,.;:!?*"
_SPLIT = re.compile(r"[/\-.,:;()#&'+@_=\[\]\"]+")
_RULE = re.compile(r"([*\-=_#~.+])\1*")  # one rule character repeated: `*`, `---`, `====`
_CODE = re.compile(r"[A-Za-z]{0,4}\d+[A-Za-z]{0,3}")  # A99000015, 11357B, 1ST, CA0190043
_VOWELS = set("aeiouyAEIOUY")


@dataclass(frozen=True, slots=True)
class TextQuality:
    tokens: int
    plausible: float
    dictionary: float
    dictionary_parts: int
    odd: float
    unmapped: float
    invisible: float


@dataclass(frozen=True, slots=True)
class Decision:
    use_text_layer: bool
    reason: str


def _alpha_ok(part: str) -> bool:
    if not (part.isupper() or part.islower() or (part[0].isupper() and part[1:].islower())):
        return False  # `tHe`, `PeRsOn`: mixed case inside a word is not how records print
    if part.lower() in WORDS:
        return True
    if len(part) >= 4 and not any(c in _VOWELS for c in part):
        return False
    return re.search(r"(.)\1\1", part) is None  # no letter three times running


def plausible(token: str) -> bool:
    """Is a whitespace-delimited token shaped like something a record prints?"""
    core = token.strip(_EDGE_PUNCT)
    if not core:
        return _RULE.fullmatch(token) is not None
    for part in _SPLIT.split(core):
        if not part or part.isdigit():
            continue
        if part.isalpha():
            if not _alpha_ok(part):
                return False
        elif not _CODE.fullmatch(part):
            return False
    return True


def measure(layer: TextLayer) -> TextQuality:
    total = good = odd = length = 0
    parts = hits = 0
    for w in layer.words:
        t = w.text
        # Weighted by length plus two, so runs of short junk (`;`, `ee`, `'f`) count.
        total += len(t) + 2
        if plausible(t):
            good += len(t) + 2
        length += len(t)
        odd += sum(1 for c in t if c not in _COMMON)
        for part in _SPLIT.split(t.strip(_EDGE_PUNCT)):
            if len(part) >= 3 and part.isalpha():
                parts += 1
                hits += part.lower() in WORDS
    n = max(layer.chars, 1)
    return TextQuality(
        tokens=len(layer.words), plausible=good / total if total else 0.0,
        dictionary=hits / parts if parts else 0.0, dictionary_parts=parts, odd=odd / length if length else 0.0,
        unmapped=layer.unmapped / n, invisible=layer.invisible / n,
    )  # fmt: skip


def garbage_reason(q: TextQuality, limits: Limits = VECTOR) -> str | None:
    """Why a layer is not worth reading, or None when it reads as text."""
    why = []
    if q.plausible < limits.plausible:
        why.append(f"{q.plausible:.0%} plausible words")
    if q.dictionary_parts >= MIN_DICTIONARY_PARTS and q.dictionary < limits.dictionary:
        why.append(f"{q.dictionary:.0%} dictionary hits")
    if q.odd > limits.odd:
        why.append(f"{q.odd:.0%} odd characters")
    if q.unmapped > limits.unmapped:
        why.append(f"{q.unmapped:.0%} characters without a Unicode mapping")
    return ", ".join(why) or None


def ink_coverage(gray: np.ndarray, scale: float, boxes: list[tuple[float, float, float, float]]) -> float:
    """Share of the ink in a low-resolution page render that lies under word boxes.

    `scale` is pixels per point. Boxes grow by a quarter of their height: ink of glyphs
    spills a little past a text layer's cells, and OCR layers' boxes are tight.
    """
    bg = float(np.percentile(gray, 90))
    ink = gray < 0.75 * bg
    total = int(ink.sum())
    if total == 0:
        return 1.0
    covered = np.zeros_like(ink)
    h, w = ink.shape
    for x0, y0, x1, y1 in boxes:
        pad = 0.25 * (y1 - y0)
        c0, r0 = max(0, int((x0 - pad) * scale)), max(0, int((y0 - pad) * scale))
        c1, r1 = min(w, int((x1 + pad) * scale) + 1), min(h, int((y1 + pad) * scale) + 1)
        covered[r0:r1, c0:c1] = True
    return float((ink & covered).sum()) / total


def decide(layer: TextLayer, image_share: float, coverage=None) -> Decision:
    """Text layer or OCR for one PDF page.

    `image_share`: the share of the page covered by images. `coverage`: a callable giving
    the ink coverage of the layer's words, asked only for scanned pages (it renders).
    """
    scanned = image_share >= SCANNED_SHARE
    if layer.chars == 0:
        return Decision(False, "no text layer" + (" (scanned page)" if scanned else ""))
    q = measure(layer)
    stats = f"{layer.chars} chars, {q.plausible:.0%} plausible words, {q.dictionary:.0%} dictionary hits"
    if q.invisible > 0.5:
        stats += ", invisible (an OCR layer)"
    if layer.chars >= 50 and layer.chars < 1.5 * len(layer.words):
        # Letters that never join into words: text drawn turned or one glyph at a time.
        return Decision(False, f"text layer unusable: {layer.chars} characters in {len(layer.words)} separate pieces")
    bad = garbage_reason(q, SCANNED if scanned else VECTOR)
    if bad:
        return Decision(False, f"text layer garbage: {bad}")
    if scanned:
        if layer.chars < FEW_CHARS:
            return Decision(
                False,
                f"text layer nearly empty ({layer.chars} chars) over a "
                f"scanned image covering {image_share:.0%} of the page",
            )
        if coverage is not None:
            share = coverage()
            if share < MIN_COVERAGE:
                return Decision(
                    False, f"text layer incomplete: its words cover {share:.0%} of the page's ink ({stats})"
                )
            stats += f", covers {share:.0%} of the ink"
    return Decision(True, f"text layer: {stats}")
