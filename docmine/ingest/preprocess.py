"""Clean up a page image before OCR, only as far as the page needs.

Records offices hold copies of copies: tilted, speckled, darker at one edge, faxed to
black and white, scanned at 200 dpi. Each step below fixes one of those, and runs only
when a statistic of the page says it is there (`measure`), because every step costs time
and a step applied to a clean page can only hurt it:

- flatten: divide by a smooth estimate of the paper, so uneven lighting and copier edge
  shadows turn white (runs when the paper's brightness varies across the page);
- median: a 3x3 median removes dust and toner speckle (runs when many dark pixels are
  isolated);
- deskew: rotate rows level (runs when the estimated tilt is over 0.1 degree), so rows and
  columns can be rebuilt from the boxes;
- upscale: resample low-resolution pages to 300 dpi, the size Tesseract's models like.

Binarisation (Otsu, Sauvola) was measured and is left to Tesseract, whose own Otsu on a
flattened page did as well; see scripts/bench_ocr.py and the report in the module below.
The prepared image comes with the map from its pixels back to page points, so OCR boxes
land on the page as given, not on the straightened copy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

Affine = tuple[float, float, float, float, float, float]  # X = a x + b y + c; Y = d x + e y + f

STEPS = ("flatten", "median", "deskew", "upscale")
TARGET_DPI = 300.0
LOW_DPI = 250.0  # below this a page is upscaled
MIN_SKEW = 0.1  # degrees
MAX_SKEW = 5.0  # the search range; records are not scanned sideways by a few degrees more
UNEVEN = 0.02  # paper brightness spread (share of white) that calls for flattening
SPECKLE = 0.04  # share of dark pixels in specks that calls for a median (clean: <= 0.033)
THIN = 1.2  # ink per edge pixel under which strokes are hairlines
GRAIN = 1.8  # paper grey-level spread that calls for a median (clean renders: <= 1.4)


@dataclass(frozen=True, slots=True)
class PageStats:
    dpi: float
    paper: float  # brightness of the paper, 0-255 (90th percentile)
    uneven: float  # spread of the paper's brightness over the page, share of `paper`
    speckle: float  # share of dark pixels that a 3x3 median removes
    grain: float  # standard deviation of the paper's grey level after flattening (0-255)
    skew: float  # degrees, counter-clockwise as the page is viewed
    ink: float  # share of dark pixels: 0 on a blank page
    bilevel: bool  # only black and white (a fax, a bilevel scan)
    stroke: float  # ink pixels per edge pixel: ~1 for hairline strokes, 1.5+ for 3 px and up


@dataclass(frozen=True, slots=True)
class Prepared:
    image: np.ndarray  # uint8 grey
    dpi: float
    to_page: Affine  # prepared-image pixels -> page points (top-left origin)
    steps: tuple[str, ...]  # applied, in order
    stats: PageStats


def _background(gray: np.ndarray) -> np.ndarray:
    """The paper alone: a max filter wider than a stroke removes the ink, at 1/4 size."""
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    bg = cv2.dilate(small, np.ones((7, 7), np.uint8))
    return cv2.GaussianBlur(bg, (0, 0), 3)


def flatten(gray: np.ndarray, bg_small: np.ndarray | None = None) -> np.ndarray:
    h, w = gray.shape
    bg = _background(gray) if bg_small is None else bg_small
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    out = cv2.divide(gray, np.maximum(bg, 1), scale=255)
    return out


def estimate_skew(gray: np.ndarray) -> float:
    """Tilt of the text rows in degrees (counter-clockwise positive, as viewed).

    Ink pixels are projected onto rows sheared by each candidate angle; the angle whose
    row profile has the sharpest edges (sum of squared differences) lines the rows up.
    A border strip is left out: scanner edges and shadows are straight lines of their own.
    """
    h, w = gray.shape
    mh, mw = h // 30, w // 30
    g = gray[mh:h - mh, mw:w - mw]
    thr, _ = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(g <= thr)
    if len(xs) < 200:
        return 0.0
    if len(xs) > 40_000:  # an even sample is as good and keeps this near 20 ms
        idx = np.linspace(0, len(xs) - 1, 40_000).astype(np.int64)
        ys, xs = ys[idx], xs[idx]
    xs = xs.astype(np.float64)
    ys = ys.astype(np.float64)

    def score(angle: float) -> float:
        r = np.round(ys + xs * math.tan(math.radians(angle))).astype(np.int64)
        hist = np.bincount(r - r.min()).astype(np.float64)
        return float((np.diff(hist) ** 2).sum())

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.4)
    best = float(coarse[int(np.argmax([score(a) for a in coarse]))])
    fine = np.arange(best - 0.4, best + 0.4 + 1e-9, 0.04)
    angle = float(fine[int(np.argmax([score(a) for a in fine]))])
    return max(-MAX_SKEW, min(MAX_SKEW, angle))


def measure(gray: np.ndarray, dpi: float) -> tuple[PageStats, np.ndarray]:
    """Page statistics, and the paper estimate (reused by `flatten`)."""
    bg = _background(gray)
    bh, bw = bg.shape
    core = bg[bh // 20: bh - bh // 20, bw // 20: bw - bw // 20]  # scanner borders aside
    if core.size == 0:
        core = bg
    paper = float(np.percentile(core, 90))
    uneven = (paper - float(np.percentile(core, 2))) / max(paper, 1.0)
    # Ink is what is much darker than the paper around it, so shadows are not ink.
    h, w = gray.shape
    flat = flatten(gray, bg)
    dark = (flat < 153).astype(np.uint8)
    n_dark = int(dark.sum())
    ink = n_dark / dark.size
    # Dust and toner specks: dark pixels with at most 6 dark pixels in their 5x5
    # neighbourhood. A stroke of a letter has 10 or more; a Courier period about 20.
    speckle = stroke = 0.0
    if n_dark:
        near = cv2.boxFilter(dark, cv2.CV_16U, (5, 5), normalize=False)
        speckle = float(((near <= 6) & (dark == 1)).sum()) / n_dark
        # Stroke thickness: a 3x3 median erases strokes one pixel wide (faded faxes).
        inner = cv2.erode(dark, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))
        stroke = n_dark / max(n_dark - int(inner.sum()), 1)
    # Grain (scanner noise, JPEG ringing) shows on the paper: its grey level's spread.
    sample = flat[::4, ::4]
    paper_px = sample[sample > 204]
    grain = float(paper_px.std()) if paper_px.size else 0.0
    hist = np.bincount(gray[::4, ::4].ravel(), minlength=256)
    bilevel = int((hist > 0).sum()) <= 2
    skew = 0.0
    if ink > 0.0005:
        skew = estimate_skew(cv2.medianBlur(flat, 3) if speckle > SPECKLE else flat)
    return PageStats(dpi, paper, uneven, speckle, grain, skew, ink, bilevel, stroke), bg


def plan(stats: PageStats) -> tuple[str, ...]:
    """The steps this page needs, in the order they run.

    Upscaling is not planned: on 200 dpi photocopies it raised CER (see the module
    docstring), so it runs only when asked for.
    """
    steps = []
    if stats.uneven > UNEVEN and not stats.bilevel:
        steps.append("flatten")
    # A 3x3 median on black and white erases strokes one pixel wide (faded faxes).
    if (stats.speckle > SPECKLE or stats.grain > GRAIN) and not (stats.bilevel and stats.stroke < THIN):
        steps.append("median")
    if abs(stats.skew) > MIN_SKEW:
        steps.append("deskew")
    if not stats.bilevel:
        steps.append("otsu")
    return tuple(steps)


def prepare(gray: np.ndarray, dpi: float, steps: tuple[str, ...] | None = None) -> Prepared:
    """Run the planned (or the given) steps; return the image and its map to page points."""
    stats, bg = measure(gray, dpi)
    if steps is None:
        steps = plan(stats)
    img = gray
    k = 72.0 / dpi
    # Prepared pixel -> original pixel, as a 2x3 matrix; starts as the identity.
    back = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    out_dpi = dpi
    for step in steps:
        if step == "flatten":
            img = flatten(img, bg)
        elif step == "median":
            img = cv2.medianBlur(img, 3)
        elif step == "deskew" and abs(stats.skew) > 1e-6:
            h, w = img.shape
            m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -stats.skew, 1.0)
            img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=255)
            back = _compose(back, cv2.invertAffineTransform(m))
        elif step == "upscale" and out_dpi < LOW_DPI:
            f = TARGET_DPI / out_dpi
            img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
            back = _compose(back, np.array([[1 / f, 0.0, 0.0], [0.0, 1 / f, 0.0]]))
            out_dpi = TARGET_DPI
        elif step == "otsu":
            _, img = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        elif step == "sauvola":
            img = sauvola(img, out_dpi)
    a, b, c = back[0]
    d, e, f_ = back[1]
    to_page = (a * k, b * k, c * k, d * k, e * k, f_ * k)
    return Prepared(img, out_dpi, to_page, tuple(steps), stats)


def sauvola(gray: np.ndarray, dpi: float, k: float = 0.2) -> np.ndarray:
    """Sauvola's local threshold (window ~ 1/7 inch), from box filters: O(pixels)."""
    win = int(dpi / 7) | 1
    f = gray.astype(np.float32)
    mean = cv2.boxFilter(f, -1, (win, win))
    sq = cv2.boxFilter(f * f, -1, (win, win))
    sd = np.sqrt(np.maximum(sq - mean * mean, 0))
    return np.where(f > mean * (1 + k * (sd / 128.0 - 1)), 255, 0).astype(np.uint8)


def _compose(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """outer after inner, for 2x3 affine matrices (both map new pixels to older ones)."""
    o = np.vstack([outer, [0, 0, 1]])
    i = np.vstack([inner, [0, 0, 1]])
    return (o @ i)[:2]
