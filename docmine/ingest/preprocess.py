"""Clean up a page image before OCR, only as far as the page needs.

Records offices hold copies of copies: tilted, speckled, darker at one edge, faxed to
black and white, scanned at 200 dpi. Each step fixes one of those and runs only when a
statistic of the page (`measure`) says the page has that problem (`plan`):

- flatten: divide by a smooth estimate of the paper, so uneven lighting and copier edge
  shadows turn white (paper brightness varies by more than 2% over the page);
- median: a 3x3 median removes dust, toner speckle and grain (many isolated dark pixels,
  or a grainy paper; on black-and-white pages only where strokes are thicker than one
  pixel, since it erases hairlines, but it also removes the dither a fax makes of grey:
  the stroke measure leaves specks out, and the OCR stage may read such a page both ways,
  see `alternative`);
- destreak: paint out toner streaks, thin vertical ink runs longer than any print
  (photocopy-grade pages that have them; not where "streaks" are a fax's dither);
- deskew: rotate rows level (estimated tilt over 0.1 degree), so Tesseract and the
  layout see straight rows and columns;
- otsu: binarise at Otsu's threshold (any grey page);
- destamp: take out rubber stamps' frames and large lettering (grey photocopy-grade
  pages; recorded only where a frame was found);
- despeckle: drop ink blobs of a few pixels, smaller than any printed mark (photocopy-
  grade pages: after Otsu on grey ones; on black-and-white ones without a median);
- upscale (to 300 dpi) and sauvola exist for measurement but are not planned.

Before them, a page that read badly may be turned a quarter or half turn (`turn`; the
OCR stage decides, see `ocr.ocr_page`); `text_axis` tells print running across the page
from print running down it.

Measured (CER, `scripts/bench_ocr.py --pages 16 --ablation`): every planned step lowers
error on noisy pages and none raises it on clean ones. Heavy photocopies, 16 pages: all
2.90%; without flatten 8.25%, without median 4.87%, without destreak 3.45%, without
deskew 9.10%, without otsu 17.9%, without destamp 4.17%, without despeckle 3.38%, with
none 16.9% (plain Tesseract: 59%). Light photocopies, 16 pages: all 0.98%; without
flatten 1.07%, without median 5.20%, without deskew 1.19%, without otsu 2.61%, with none
7.61% (plain Tesseract: 16%; destreak, destamp and despeckle are not planned there).
Upscaling 200 dpi pages to 300 raised CER on those 16 heavy pages (2.90% to 3.15%; 3.07%
to 3.03% on the first 8; earlier 5.12% to 6.46% on 34); Sauvola did no better than Otsu
after flattening. The prepared image comes with the map from its pixels
back to page points, so OCR boxes land on the page as given, not on the straightened or
turned copy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

Affine = tuple[float, float, float, float, float, float]  # X = a x + b y + c; Y = d x + e y + f

STEPS = ("flatten", "median", "destreak", "deskew", "upscale", "otsu", "sauvola", "destamp", "despeckle")
TARGET_DPI = 300.0
LOW_DPI = 250.0  # below this a page is upscaled
MIN_SKEW = 0.1  # degrees
MAX_SKEW = 5.0  # the search range; records are not scanned sideways by a few degrees more
UNEVEN = 0.02  # paper brightness spread (share of white) that calls for flattening
SPECKLE = 0.05  # share of dark pixels in specks that calls for a median (clean: <= 0.04)
THIN = 1.2  # ink per edge pixel under which strokes are hairlines
GRAIN = 1.8  # paper grey-level spread that calls for a median (clean renders: <= 1.4)
# Ink blobs of at most this many pixels at 200 dpi (scaled by area at other resolutions)
# are dust, not print: a Courier period at 9 pt is 9+ pixels there. Pages of hairline
# strokes print smaller periods: half of it there.
SPECK_AREA = 8
STAMP_SIZE = (0.8, 0.35)  # inches: an ink blob this wide and tall, mostly empty, is a stamp's frame
STAMP_LETTER = 1.5  # blobs inside a stamp's frame this many print heights tall are its words
STREAK = 0.3  # inches: vertical ink runs longer than this are streaks, not print
STREAK_WIDTH = 0.04  # inches: ... and narrower than this
MIN_STREAK = 0.5  # inches of streak on a page that call for `destreak`
# A page has a few streaks at most, each at most a page tall: more "streak" than this is
# a fax's dithered shading, which destreaking would cut into vertical stripes.
MAX_STREAK = 60.0


@dataclass(frozen=True, slots=True)
class PageStats:
    dpi: float
    paper: float  # brightness of the paper, 0-255 (90th percentile)
    uneven: float  # spread of the paper's brightness over the page, share of `paper`
    speckle: float  # share of dark pixels in specks (at most 6 dark pixels in their 5x5)
    grain: float  # standard deviation of the paper's grey level after flattening (0-255)
    skew: float  # degrees, counter-clockwise as the page is viewed
    ink: float  # share of dark pixels: 0 on a blank page
    bilevel: bool  # only black and white (a fax, a bilevel scan)
    stroke: float  # ink pixels per edge pixel: ~1 for hairline strokes, 1.5+ for 3 px and up
    streaks: float = 0.0  # inches of vertical ink runs longer than STREAK (toner streaks)

    @property
    def noisy(self) -> bool:
        """Speckle, grain, or a fax's black and white: OCR must tell marks from noise."""
        return self.speckle > SPECKLE or self.grain > GRAIN or self.bilevel

    @property
    def photocopy(self) -> bool:
        """Noise at photocopy or fax grade: a noisy page scanned under LOW_DPI, or a
        black-and-white one. Such pages are not cropped (`prepare`) and are read with
        Tesseract's column layout analysis (`ocr`); a noisy 300 dpi scan is read like a
        clean page."""
        return self.bilevel or (self.noisy and self.dpi < LOW_DPI)


@dataclass(frozen=True, slots=True)
class Prepared:
    image: np.ndarray  # uint8 grey
    dpi: float
    to_page: Affine  # prepared-image pixels -> page points (top-left origin)
    steps: tuple[str, ...]  # applied, in order
    stats: PageStats
    rotation: int = 0  # degrees clockwise the page was turned before the steps
    binary: bool = False  # only black (0) and white (255): it can go to Tesseract as 1 bit


def _background(gray: np.ndarray) -> np.ndarray:
    """The paper alone: a max filter wider than a stroke removes the ink, at 1/4 size."""
    h, w = gray.shape
    h4, w4 = max(1, h // 4), max(1, w // 4)
    if h >= 4 and w >= 4:
        # An exact factor of 4 takes OpenCV's fast area path (3x faster than 4.003).
        gray = gray[: 4 * h4, : 4 * w4]
    small = cv2.resize(gray, (w4, h4), interpolation=cv2.INTER_AREA)
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
    if min(gray.shape) > 1200:  # rows are as level at half the resolution, at 1/4 the cost
        gray = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
    h, w = gray.shape
    mh, mw = h // 30, w // 30
    g = gray[mh : h - mh, mw : w - mw]
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


def _texture(dark: np.ndarray) -> tuple[float, float]:
    """(speckle, stroke) of an ink mask, from 64-row bands every 256 rows: a quarter of
    the page tells as much, at a quarter of the cost. Each band's outer rows only serve as
    neighbours, so strokes cut by a band's edge do not count as specks.

    speckle: share of ink pixels with at most 6 ink pixels in their 5x5 neighbourhood
    (dust and toner specks; a letter's stroke has 10 or more, a Courier period about 20).
    stroke: ink pixels per edge pixel (~1 for hairlines that a 3x3 median erases).
    """
    cross = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
    n = specks = inner = 0
    step = 256 if dark.shape[0] >= 1024 else dark.shape[0]
    for y in range(0, dark.shape[0], step):
        band = dark[y : y + 64] if step == 256 else dark
        near = cv2.boxFilter(band, cv2.CV_16U, (5, 5), normalize=False, borderType=cv2.BORDER_CONSTANT)
        eroded = cv2.erode(band, cross, borderType=cv2.BORDER_CONSTANT, borderValue=0)
        core = slice(2, band.shape[0] - 2)
        b = band[core]
        n += cv2.countNonZero(b)
        specks += cv2.countNonZero(((near[core] <= 6) & (b == 1)).view(np.uint8))
        inner += cv2.countNonZero(eroded[core])
    if not n:
        return 0.0, 0.0
    # Stroke width from the print alone: every speck pixel is an edge pixel, so on a
    # fax covered in dither dots the specks would pull bold print down to "hairline".
    return specks / n, (n - specks) / max(n - inner - specks, 1)


def _streak_mask(img: np.ndarray, dpi: float) -> np.ndarray:
    """Ink (Otsu's threshold) in thin vertical runs longer than STREAK: a scratched copier
    drum's toner streaks, which run down the page as it went through. No print is that
    tall; a ruled table line is, and goes too. Gaps of a few pixels (toner dropouts) do
    not break a run; ink that is wide as well (a copier's dark edge) is not a streak."""
    _, ink = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((5, 1), np.uint8))
    run, width = (max(3, int(round(v * dpi))) for v in (STREAK, STREAK_WIDTH))
    tall = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    wide = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, width), np.uint8))
    return cv2.bitwise_and(tall, cv2.bitwise_not(wide))


def _streaks(page: np.ndarray, dpi: float) -> float:
    """Inches of streak, measured on every other row (a quarter of the cost)."""
    return cv2.countNonZero(_streak_mask(page[::2], dpi / 2)) * 2 / dpi


def destreak(img: np.ndarray, dpi: float, paper: float) -> np.ndarray:
    """The image with its streaks painted over in the paper's grey, a pixel wider each
    side for their soft edges. Print they cross loses the pixels under them."""
    lines = _streak_mask(img, dpi)
    if not cv2.countNonZero(lines):
        return img
    lines = cv2.dilate(lines, np.ones((1, 3), np.uint8))
    out = img.copy()
    out[lines > 0] = int(round(paper))
    return out


def measure(gray: np.ndarray, dpi: float) -> tuple[PageStats, np.ndarray, np.ndarray | None]:
    """Page statistics, with the paper estimate and the flattened page (reused by `prepare`;
    None where the paper is even and the page was measured as it is)."""
    bg = _background(gray)
    bh, bw = bg.shape
    core = bg[bh // 20 : bh - bh // 20, bw // 20 : bw - bw // 20]  # scanner borders aside
    if core.size == 0:
        core = bg
    p2, paper = (float(v) for v in np.percentile(core, (2, 90)))
    uneven = (paper - p2) / max(paper, 1.0)
    # Ink is what is much darker than the paper around it (under 60% of its brightness),
    # so shadows are not ink. Where the paper is even, that is the page itself measured
    # against one paper level: flattening it first would change nothing but the time.
    if uneven > UNEVEN:
        flat, ref, level = flatten(gray, bg), None, 255.0
    else:
        flat, ref, level = None, gray, max(paper, 1.0)
    page = flat if ref is None else ref
    _, dark = cv2.threshold(page, 0.6 * level - 1e-3, 1, cv2.THRESH_BINARY_INV)
    n_dark = cv2.countNonZero(dark)
    ink = n_dark / dark.size
    speckle, stroke = _texture(dark) if n_dark else (0.0, 0.0)
    # Grain (scanner noise, JPEG ringing) shows on the paper: its grey level's spread.
    sub = page[::4, ::4]
    paper_px = sub[sub > 0.8 * level]
    grain = float(paper_px.std()) * 255.0 / level if paper_px.size else 0.0
    hist = np.bincount(gray[::4, ::4].ravel(), minlength=256)
    bilevel = int((hist > 0).sum()) <= 2
    smooth = cv2.medianBlur(page, 3) if speckle > SPECKLE or grain > GRAIN else page
    # Streaks come with photocopies (see `plan`): noisy pages.
    streaks = _streaks(smooth, dpi) if smooth is not page else 0.0
    skew = 0.0
    if ink > 0.0005:
        skew = estimate_skew(smooth if speckle > SPECKLE else page)
    return PageStats(dpi, paper, uneven, speckle, grain, skew, ink, bilevel, stroke, streaks), bg, flat


def plan(stats: PageStats) -> tuple[str, ...]:
    """The steps this page needs, in the order they run (see the module docstring)."""
    steps = []
    if stats.uneven > UNEVEN and not stats.bilevel:
        steps.append("flatten")
    # Faxes and bilevel scans always carry specks; but a 3x3 median on black and white
    # erases strokes one pixel wide (faded faxes), so those keep their specks.
    if stats.bilevel:
        if stats.stroke >= THIN:
            steps.append("median")
    elif stats.speckle > SPECKLE or stats.grain > GRAIN:
        steps.append("median")
    if stats.photocopy and MIN_STREAK <= stats.streaks <= MAX_STREAK:
        steps.append("destreak")
    if abs(stats.skew) > MIN_SKEW:
        steps.append("deskew")
    if not stats.bilevel:
        steps.append("otsu")
    if stats.photocopy and not stats.bilevel:
        steps.append("destamp")  # it looks for stamp frames itself; none, no change
    if stats.photocopy and (not stats.bilevel or "median" not in steps):
        steps.append("despeckle")
    return tuple(steps)


def alternative(stats: PageStats, steps: tuple[str, ...]) -> tuple[str, ...] | None:
    """The other clean-up worth a second reading of a black-and-white photocopy, or None.

    Whether a fax's specks go by a median or by despeckling turns on its strokes: a
    median erases hairlines but also the dither a fax makes of grey shading; despeckling
    keeps hairlines and leaves dither. The stroke measure picks the first reading; where
    that reads unsurely, the OCR stage reads the page the other way too and keeps the more
    confident reading (`ocr.ocr_page`).
    """
    if not (stats.bilevel and stats.photocopy):
        return None
    if "median" in steps:
        return tuple(s for s in steps if s not in ("median", "despeckle")) + ("despeckle",)
    return ("median",) + tuple(s for s in steps if s != "despeckle")


def turn(gray: np.ndarray, rotation: int) -> tuple[np.ndarray, np.ndarray]:
    """The page turned `rotation` degrees clockwise (0, 90, 180, 270), and the 2x3 map from
    the turned image's pixel coordinates back to the original's (edges, not centres)."""
    h, w = gray.shape
    if rotation % 360 == 0:
        return gray, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    if rotation % 360 == 90:  # (x, y) -> (h - y, x)
        return cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE), np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, float(h)]])
    if rotation % 360 == 180:  # (x, y) -> (w - x, h - y)
        return cv2.rotate(gray, cv2.ROTATE_180), np.array([[-1.0, 0.0, float(w)], [0.0, -1.0, float(h)]])
    if rotation % 360 == 270:  # (x, y) -> (y, w - x)
        return cv2.rotate(gray, cv2.ROTATE_90_COUNTERCLOCKWISE), np.array([[0.0, -1.0, float(w)], [1.0, 0.0, 0.0]])
    raise ValueError(f"rotation must be a multiple of 90 degrees, not {rotation}")


def text_axis(gray: np.ndarray, dpi: float) -> float:
    """How much more the page's print runs across than down: > 1 for rows of text as the
    page stands (upright or upside down), < 1 for a page turned on its side.

    At 150 dpi, ink blobs smeared by a third of their typical size along one axis join
    into words along the rows of text and stay apart across them (the gap between lines
    is wider than the gap between letters): the blob count smeared down the page over the
    count smeared across it. Rules and toner streaks are one blob either way; specks too
    small to be print are not counted. About 20 ms; only asked for pages that read badly.
    """
    f = 150.0 / dpi
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    size = np.maximum(stats[1:, 2], stats[1:, 3])
    size = size[size >= 4]
    if size.size < 20:
        return 1.0
    k = max(2, int(round(0.35 * float(np.median(size)))))

    def blobs(kernel: np.ndarray) -> int:
        _, _, st, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, kernel), connectivity=8)
        return int((np.maximum(st[1:, 2], st[1:, 3]) >= 4 + k).sum())

    return blobs(np.ones((k, 1), np.uint8)) / max(blobs(np.ones((1, k), np.uint8)), 1)


def prepare(
    gray: np.ndarray, dpi: float, steps: tuple[str, ...] | None = None, crop: bool = True, rotation: int = 0
) -> Prepared:
    """Run the planned (or the given) steps; return the image and its map to page points.

    `rotation`: turn the page this many degrees clockwise first (a page scanned on its
    side or upside down); the map to page points still goes to the page as given.

    A page is cropped to its printed area plus a margin: Tesseract spends time on every
    pixel it is given, and margins are a third of a page (clean pages: about 10% faster,
    the same CER; light photocopies at 300 dpi: 11% faster, 283 errors against 282 on 18
    pages). Photocopy-grade pages (`PageStats.photocopy`) are not: there the crop changed
    Tesseract's layout analysis, saved 2% of its time and raised CER on heavy photocopies
    (4.2% to 4.6% on 34 pages; 5.9% to 6.3% on 18).
    """
    unknown = set(steps or ()) - set(STEPS)
    if unknown:
        raise ValueError(f"unknown preprocessing steps: {sorted(unknown)}; known: {STEPS}")
    k = 72.0 / dpi
    # Prepared pixel -> original pixel, as a 2x3 matrix; starts as the turn (or identity).
    gray, back = turn(gray, rotation)
    stats, bg, flat = measure(gray, dpi)
    if steps is None:
        steps = plan(stats)
    img = gray
    out_dpi = dpi
    binary = stats.bilevel  # a median keeps black and white; resampling makes greys
    applied = []
    for step in steps:
        applied.append(step)
        if step == "flatten":
            img = flat if img is gray and flat is not None else flatten(img, bg)
            binary = False
        elif step == "median":
            img = cv2.medianBlur(img, 3)
        elif step == "destreak":
            img = destreak(img, out_dpi, 255.0 if "flatten" in steps else stats.paper)
        elif step == "deskew" and abs(stats.skew) > 1e-6:
            binary = False
            h, w = img.shape
            m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -stats.skew, 1.0)
            img = cv2.warpAffine(
                img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
            )
            back = _compose(back, cv2.invertAffineTransform(m))
        elif step == "upscale" and out_dpi < LOW_DPI:
            f = TARGET_DPI / out_dpi
            img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
            binary = False
            back = _compose(back, np.array([[1 / f, 0.0, 0.0], [0.0, 1 / f, 0.0]]))
            out_dpi = TARGET_DPI
        elif step == "otsu":
            _, img = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
            binary = True
        elif step == "sauvola":
            img = sauvola(img, out_dpi)
            binary = True
        elif step == "destamp":
            img, found = destamp(img, out_dpi)
            if not found:
                applied.pop()
        elif step == "despeckle":
            hairline = stats.bilevel and stats.stroke < THIN
            area = SPECK_AREA * (out_dpi / 200.0) ** 2 * (0.5 if hairline else 1.0)
            img = despeckle(img, area)
    if crop and not stats.photocopy:
        img, (x0, y0) = _crop_to_ink(img, out_dpi)
        back = _compose(back, np.array([[1.0, 0.0, float(x0)], [0.0, 1.0, float(y0)]]))
    a, b, c = back[0]
    d, e, f_ = back[1]
    to_page = (a * k, b * k, c * k, d * k, e * k, f_ * k)
    if binary and (not steps or steps[-1] not in ("otsu", "sauvola")):
        # A bilevel page as scanned: its two levels need not be black and white.
        binary = cv2.countNonZero(cv2.inRange(img, 1, 254)) == 0
    return Prepared(img, out_dpi, to_page, tuple(applied), stats, rotation % 360, binary)


def _crop_to_ink(img: np.ndarray, dpi: float) -> tuple[np.ndarray, tuple[int, int]]:
    """The image cut to the rows and columns that hold print, with a quarter-inch margin.

    Rows and columns count as printed when they hold a few dark pixels; an isolated
    speck does not widen the crop, a streak or a shadow does (harmlessly).
    """
    _, dark = cv2.threshold(img, 127, 1, cv2.THRESH_BINARY_INV)
    h, w = dark.shape
    rows = np.flatnonzero(cv2.reduce(dark, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel() >= 3)
    cols = np.flatnonzero(cv2.reduce(dark, 0, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel() >= 3)
    if rows.size == 0 or cols.size == 0:
        return img, (0, 0)
    pad = int(round(dpi / 4))
    y0, y1 = max(0, int(rows[0]) - pad), min(h, int(rows[-1]) + 1 + pad)
    x0, x1 = max(0, int(cols[0]) - pad), min(w, int(cols[-1]) + 1 + pad)
    return np.ascontiguousarray(img[y0:y1, x0:x1]), (x0, y0)


def destamp(img: np.ndarray, dpi: float) -> tuple[np.ndarray, int]:
    """A binarised page with its rubber stamps' frames and large lettering taken out, and
    how many frames were found.

    A stamp over print (RECEIVED, CERTIFIED COPY, a date, in a box or an oval) made
    Tesseract take the print under and beside it for a picture, or merge two rows into
    one. A frame is an ink blob at least STAMP_SIZE inches across that fills under a
    quarter of its box (print never does). Its straight sides (Hough segments) or its
    oval (an ellipse fitted to it) are erased where they cover most of it; print merged
    into the frame loses only the pixels under the line. Then blobs inside the frame's
    box taller than STAMP_LETTER print heights (and under five) are the stamp's words:
    erased too, with any print they touch.
    """
    ink = cv2.threshold(img, 127, 1, cv2.THRESH_BINARY_INV)[1]
    n, labels, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, a = (st[:, i] for i in range(5))
    sized = (h >= 0.04 * dpi) & (h <= 0.2 * dpi) & (a >= 10)
    sized[0] = False
    frames = np.flatnonzero((w >= STAMP_SIZE[0] * dpi) & (h >= STAMP_SIZE[1] * dpi) & (a < 0.25 * w * h))
    frames = frames[frames > 0]
    if sized.sum() < 20 or not len(frames):
        return img, 0
    print_h = float(np.median(h[sized]))
    out = img.copy()
    line = max(3, int(round(0.03 * dpi)))  # a stamp's frame line, with a margin
    found = []
    for f in frames:
        x0, y0, x1, y1 = x[f], y[f], x[f] + w[f], y[f] + h[f]
        blob = (labels[y0:y1, x0:x1] == f).astype(np.uint8) * 255
        size = cv2.countNonZero(blob)
        band = np.zeros_like(blob)
        segments = cv2.HoughLinesP(
            blob, 1, np.pi / 360, threshold=int(0.25 * dpi), minLineLength=int(0.3 * dpi), maxLineGap=int(0.05 * dpi)
        )
        for sx0, sy0, sx1, sy1 in segments.reshape(-1, 4) if segments is not None else ():
            cv2.line(band, (int(sx0), int(sy0)), (int(sx1), int(sy1)), 255, line)
        cover = cv2.countNonZero(cv2.bitwise_and(blob, band)) / size
        if cover < 0.6:  # not a box: an oval?
            oval = np.zeros_like(blob)
            cv2.ellipse(oval, cv2.fitEllipse(cv2.findNonZero(blob)), 255, line + 2)
            if cv2.countNonZero(cv2.bitwise_and(blob, oval)) / size > cover:
                band = cv2.bitwise_or(band, oval)
                cover = cv2.countNonZero(cv2.bitwise_and(blob, band)) / size
        if cover < 0.5:
            continue  # neither: leave it
        out[y0:y1, x0:x1][cv2.bitwise_and(blob, band) > 0] = 255
        found.append((x0, y0, x1, y1))
    if not found:
        return img, 0
    ink = cv2.threshold(out, 127, 1, cv2.THRESH_BINARY_INV)[1]
    n, labels, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    drop = np.zeros(n, bool)
    for x0, y0, x1, y1 in found:
        inside = (st[:, 0] >= x0) & (st[:, 1] >= y0) & (st[:, 0] + st[:, 2] <= x1) & (st[:, 1] + st[:, 3] <= y1)
        drop |= inside & (st[:, 3] > STAMP_LETTER * print_h) & (st[:, 3] < 5 * print_h)
    drop[0] = False
    if drop.any():
        out[drop[labels]] = 255
    return out, len(found)


def despeckle(img: np.ndarray, area: float) -> np.ndarray:
    """The image with every ink blob (darker than mid-grey, 8-connected) of at most
    `area` pixels turned white."""
    ink = cv2.threshold(img, 127, 1, cv2.THRESH_BINARY_INV)[1]
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= area
    small[0] = False  # the paper
    if not small.any():
        return img
    out = img.copy()
    out[small[labels]] = 255
    return out


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
