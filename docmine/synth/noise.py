"""Make clean page rasters look like photocopies and faxes, and say exactly how they moved.

Real records offices hold copies of copies: pages come back tilted, blurred, speckled,
stamped RECEIVED across a charge line, darker at one edge, sometimes faxed down to
black and white. OCR that only ever sees clean renders learns nothing about that, so
`degrade` applies those effects at random (within ranges set by the level) from a caller's
`numpy.random.Generator`: the same seed always gives the same page, bit for bit.

Every effect except the geometry leaves text where it was, so ground truth survives
through one affine map: `Transform` carries it from points on the clean page to pixels
(or points) on the degraded image.
"""

from __future__ import annotations

import io
import math
from dataclasses import asdict, dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

LEVELS = ("none", "light", "heavy")

Box = tuple[float, float, float, float]
# (a, b, c, d, e, f): x' = a x + b y + c; y' = d x + e y + f
Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Transform:
    """The geometry a degraded page went through, from clean-page points to output pixels.

    Coordinates are continuous with the origin at the top-left corner of the page
    (pixel edges at integers), the same convention as the ground-truth boxes.
    `matrix` is the whole map; the other fields are its parts, kept for reports.
    """

    dpi_in: float  # dpi of the clean raster that was degraded
    dpi: float  # dpi of the degraded image (heavy pages are resampled to 200)
    angle: float  # degrees, positive = counter-clockwise as the page is viewed
    centre: tuple[float, float]  # rotation centre, output pixels
    scale: tuple[float, float]  # output pixels per clean pixel, x and y (resample and fax stretch)
    shift: tuple[float, float]  # translation after rotation, output pixels
    size: tuple[int, int]  # output image (width, height), pixels
    matrix: Matrix  # clean-page points -> output pixels

    def map_point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.matrix
        return (a * x + b * y + c, d * x + e * y + f)

    def map_box(self, box: Box) -> Box:
        """A clean-page box in points -> the axis-aligned hull of its image in output pixels."""
        x0, y0, x1, y1 = box
        pts = [self.map_point(x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return (min(xs), min(ys), max(xs), max(ys))

    def map_box_points(self, box: Box) -> Box:
        """Like `map_box`, but in points on the degraded page (as a scanned PDF page holds it)."""
        k = 72.0 / self.dpi
        x0, y0, x1, y1 = self.map_box(box)
        return (x0 * k, y0 * k, x1 * k, y1 * k)

    def as_dict(self) -> dict:
        return asdict(self)


def identity_transform(size: tuple[int, int], dpi: float) -> Transform:
    """The transform of an untouched raster: points scaled to pixels."""
    s = dpi / 72.0
    return Transform(
        dpi, dpi, 0.0, (size[0] / 2, size[1] / 2), (1.0, 1.0), (0.0, 0.0), (int(size[0]), int(size[1])),
        (s, 0.0, 0.0, 0.0, s, 0.0),
    )  # fmt: skip


@dataclass(frozen=True)
class _Params:
    """Ranges for one level. Each tuple is (low, high) for a uniform draw."""

    angle: float  # max |degrees|
    shift_in: float  # max |inches| the page slid on the glass
    target_dpi: float | None  # resample to this dpi (never up)
    stretch: float  # max |relative| vertical scale error (fax transports)
    blur: tuple[float, float]  # gaussian sigma, in output pixels at 300 dpi
    gauss: tuple[float, float]  # grain, std in grey levels
    speckle: tuple[float, float]  # dust, fraction of pixels
    dropout: tuple[float, float]  # white holes in toner, fraction of pixels
    jpeg: tuple[int, int]  # quality
    lighting: tuple[float, float]  # darkening at the dim edge, fraction
    streaks: tuple[int, int]  # count of toner streaks
    p_stamp: float
    p_bold: float  # toner-heavy copy: strokes thicken
    p_faded: float  # toner-light copy: strokes grey out
    p_binarize: float  # faxed: thresholded to black and white
    p_edge: float  # dark band where the copier lid did not cover


_PARAMS = {
    "light": _Params(
        angle=0.7,
        shift_in=0.08,
        target_dpi=None,
        stretch=0.0,
        blur=(0.3, 0.7),
        gauss=(2.0, 6.0),
        speckle=(0.00005, 0.0003),
        dropout=(0.0, 0.0005),
        jpeg=(55, 85),
        lighting=(0.0, 0.12),
        streaks=(0, 1),
        p_stamp=0.3,
        p_bold=0.0,
        p_faded=0.2,
        p_binarize=0.0,
        p_edge=0.0,
    ),
    "heavy": _Params(
        angle=2.5,
        shift_in=0.2,
        target_dpi=200.0,
        stretch=0.01,
        blur=(0.5, 1.0),
        gauss=(6.0, 14.0),
        speckle=(0.0005, 0.002),
        dropout=(0.002, 0.008),
        jpeg=(25, 50),
        lighting=(0.1, 0.3),
        streaks=(1, 4),
        p_stamp=0.65,
        p_bold=0.35,
        p_faded=0.3,
        p_binarize=0.35,
        p_edge=0.35,
    ),
}

_STAMP_WORDS = ("RECEIVED", "FILED", "COPY", "CERTIFIED COPY", "CONFORMED COPY", "SCANNED", "ENTERED")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def degrade(image: Image.Image, level: str, rng: np.random.Generator) -> Image.Image:
    """A photocopied/faxed version of `image`; see `degrade_with_transform`."""
    return degrade_with_transform(image, level, rng)[0]


def degrade_with_transform(image: Image.Image, level: str, rng: np.random.Generator) -> tuple[Image.Image, Transform]:
    """Degrade a clean grayscale page and return it with the geometry it went through.

    The input's dpi is read from `image.info["dpi"]` (300 if absent); the output carries
    its own dpi there. Light pages keep the input resolution; heavy ones are resampled to
    200 dpi, and about a third of them are binarised like a fax (returned in mode "1").
    "none" returns the image itself, untouched.
    """
    if level not in LEVELS:
        raise ValueError(f"noise level must be one of {LEVELS}, not {level!r}")
    dpi_in = float(image.info.get("dpi", (300, 300))[0] or 300)
    if level == "none":
        return image, identity_transform(image.size, dpi_in)
    p = _PARAMS[level]
    # Page-level choices first, then each effect's details, always in this order:
    # the same generator state gives the same page.
    u = rng.uniform
    angle = u(-p.angle, p.angle)
    shift_pts = (u(-p.shift_in, p.shift_in) * 72.0, u(-p.shift_in, p.shift_in) * 72.0)
    stretch = 1.0 + u(-p.stretch, p.stretch)
    do_stamp = rng.random() < p.p_stamp
    do_bold = rng.random() < p.p_bold
    do_faded = (not do_bold) and rng.random() < p.p_faded
    do_binarize = rng.random() < p.p_binarize
    do_edge = rng.random() < p.p_edge

    src = np.asarray(image.convert("L"), dtype=np.uint8)
    if do_stamp:
        src = _stamp(src, dpi_in, rng)

    # Geometry: resample + rotation + slide + fax stretch in one warp.
    dpi_out = min(p.target_dpi or dpi_in, dpi_in)
    r = dpi_out / dpi_in
    h_in, w_in = src.shape
    w_out, h_out = round(w_in * r), round(h_in * r)
    transform = _make_transform(
        dpi_in, dpi_out, angle, (r, r * stretch), (shift_pts[0] * dpi_out / 72.0, shift_pts[1] * dpi_out / 72.0),
        (w_in, h_in), (w_out, h_out),
    )  # fmt: skip
    img = _warp(src, transform)

    k = dpi_out / 300.0  # effect sizes are tuned at 300 dpi
    if do_bold:
        img = cv2.erode(img, np.ones((2, 2), np.uint8))  # dark strokes grow
    f = img.astype(np.float32)
    if do_faded:
        f = 255.0 - (255.0 - f) * u(0.55, 0.8)
    f *= _lighting(img.shape, u(*p.lighting), rng)
    if do_edge:
        _edge_shadow(f, rng)
    _streaks(f, int(rng.integers(p.streaks[0], p.streaks[1] + 1)), k, rng)
    sigma = u(*p.blur) * k
    f = cv2.GaussianBlur(f, (0, 0), sigma)
    f += rng.standard_normal(f.shape, dtype=np.float32) * np.float32(u(*p.gauss))
    _dots(f, u(*p.speckle), 0.0, rng, dark_only=False)
    _dots(f, u(*p.dropout), 255.0, rng, dark_only=True)
    out = np.clip(f, 0, 255).astype(np.uint8)

    if do_binarize:
        # A fax: one global threshold, chosen a little off so some strokes break or bleed.
        thr = u(150, 200)
        result = Image.fromarray(np.where(out < thr, 0, 255).astype(np.uint8)).convert("1")
    else:
        result = _jpeg(out, int(rng.integers(p.jpeg[0], p.jpeg[1] + 1)))
    result.info["dpi"] = (dpi_out, dpi_out)
    return result, transform


def _make_transform(
    dpi_in: float,
    dpi_out: float,
    angle: float,
    scale: tuple[float, float],
    shift: tuple[float, float],
    size_in: tuple[int, int],
    size: tuple[int, int],
) -> Transform:
    """Compose points -> clean pixels -> scaled -> rotated about the centre -> shifted.

    The clean page's centre lands on the output centre (plus `shift`), so a page that
    only turned keeps its middle where it was.
    """
    s0 = dpi_in / 72.0
    cx, cy = size[0] / 2.0, size[1] / 2.0
    t = math.radians(angle)
    cos, sin = math.cos(t), math.sin(t)
    # y points down, so a counter-clockwise turn on screen is [[cos, sin], [-sin, cos]].
    sx, sy = scale[0] * s0, scale[1] * s0
    a, b = cos * sx, sin * sy
    d, e = -sin * sx, cos * sy
    pcx, pcy = size_in[0] / (2 * s0), size_in[1] / (2 * s0)  # clean centre, points
    c = cx + shift[0] - (a * pcx + b * pcy)
    f = cy + shift[1] - (d * pcx + e * pcy)
    return Transform(
        dpi_in, dpi_out, float(angle), (cx, cy), (float(scale[0]), float(scale[1])),
        (float(shift[0]), float(shift[1])), (int(size[0]), int(size[1])), (a, b, c, d, e, f),
    )  # fmt: skip


def _warp(src: np.ndarray, tr: Transform) -> np.ndarray:
    """Apply the transform's clean-pixel -> output-pixel part with OpenCV."""
    s0 = tr.dpi_in / 72.0
    a, b, c, d, e, f = tr.matrix
    # Points -> pixels is a pure scale, so divide it out; then shift half a pixel both
    # ways because OpenCV indexes pixel centres, the transform pixel edges.
    A = np.array([[a / s0, b / s0], [d / s0, e / s0]])
    off = np.array([c, f]) + A @ np.array([0.5, 0.5]) - 0.5
    m = np.hstack([A, off[:, None]]).astype(np.float64)
    if tr.scale[0] < 1.0:
        # Pre-blur so the linear resample does not alias thin Courier strokes away.
        src = cv2.GaussianBlur(src, (0, 0), 0.5 / tr.scale[0])
    return cv2.warpAffine(src, m, tr.size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _lighting(shape: tuple[int, int], amount: float, rng: np.random.Generator) -> np.ndarray:
    """A smooth multiplicative field: 1 at the bright side, 1-amount at the dim side."""
    h, w = shape
    theta = rng.uniform(0, 2 * math.pi)
    gy, gx = np.mgrid[0:33, 0:33].astype(np.float32) / 32.0
    ramp = (gx - 0.5) * math.cos(theta) + (gy - 0.5) * math.sin(theta)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    # A soft blob too: copier lamps are brighter in the middle of the glass.
    bx, by = rng.uniform(0.2, 0.8, size=2)
    blob = np.exp(-((gx - bx) ** 2 + (gy - by) ** 2) / 0.3)
    field = 1.0 - amount * (0.7 * ramp + 0.3 * (1.0 - blob))
    return cv2.resize(field.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)


def _edge_shadow(f: np.ndarray, rng: np.random.Generator) -> None:
    """A dark band fading in from one edge, where the lid did not hold the page flat."""
    h, w = f.shape
    side = int(rng.integers(0, 4))
    n = h if side < 2 else w
    width = int(n * rng.uniform(0.01, 0.04))
    depth = rng.uniform(0.3, 0.7)
    prof = 1.0 - depth * np.linspace(1.0, 0.0, width, dtype=np.float32) ** 2
    if side == 0:
        f[:width, :] *= prof[:, None]
    elif side == 1:
        f[h - width :, :] *= prof[::-1, None]
    elif side == 2:
        f[:, :width] *= prof[None, :]
    else:
        f[:, w - width :] *= prof[None, ::-1]


def _streaks(f: np.ndarray, count: int, k: float, rng: np.random.Generator) -> None:
    """Vertical toner streaks from a scratched drum: thin grey lines over part of the page."""
    h, w = f.shape
    for _ in range(count):
        x = int(rng.integers(0, w))
        width = max(1, int(round(rng.uniform(1, 4) * k)))
        y0 = int(rng.integers(0, h // 2))
        y1 = int(rng.integers(y0 + h // 4, h + 1))
        darkness = rng.uniform(0.15, 0.5)
        f[y0:y1, x : x + width] *= np.float32(1.0 - darkness)


def _dots(f: np.ndarray, frac: float, value: float, rng: np.random.Generator, dark_only: bool) -> None:
    """Salt/pepper in small clumps (dust, toner dropouts), `frac` of the pixels."""
    h, w = f.shape
    n = int(frac * h * w / 2)
    if n <= 0:
        return
    ys = rng.integers(0, h - 1, n)
    xs = rng.integers(0, w - 1, n)
    if dark_only:  # holes only show in ink
        keep = f[ys, xs] < 128
        ys, xs = ys[keep], xs[keep]
    # Half the dots are 2x2 clumps, so they survive the resample and read as dust.
    f[ys, xs] = value
    big = rng.random(len(ys)) < 0.5
    f[ys[big] + 1, xs[big]] = value
    f[ys[big], xs[big] + 1] = value
    f[ys[big] + 1, xs[big] + 1] = value


def _jpeg(arr: np.ndarray, quality: int) -> Image.Image:
    """Round-trip through JPEG: the blocking and ringing of a scanner's default output."""
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as decoded:
        # A fresh image: no JFIF/EXIF info riding along into the TIFF/PNG writers.
        return Image.fromarray(np.asarray(decoded.convert("L")))


def _stamp(src: np.ndarray, dpi: float, rng: np.random.Generator) -> np.ndarray:
    """Ink a rubber stamp (word + date, in a box or ring) over part of the text."""
    h, w = src.shape
    word = _STAMP_WORDS[int(rng.integers(0, len(_STAMP_WORDS)))]
    date = f"{_MONTHS[int(rng.integers(0, 12))]} {int(rng.integers(1, 29)):02d} {int(rng.integers(1995, 2024))}"
    ring = rng.random() < 0.4
    size = int(dpi * rng.uniform(0.22, 0.32))  # font px
    font = ImageFont.load_default(size=size)
    small = ImageFont.load_default(size=int(size * 0.6))
    tw = max(_text_width(font, word), _text_width(small, date))
    pad = size // 2
    cw, ch = tw + 2 * pad, int(size * 1.9) + 2 * pad
    if ring:  # an oval around the words, not a circle sized by a long word
        cw, ch = int(cw * 1.2), int(max(ch * 1.3, cw * 0.5))
    canvas = Image.new("L", (cw, ch), 0)
    d = ImageDraw.Draw(canvas)
    line = max(2, int(dpi / 40))
    if ring:
        d.ellipse((0, 0, cw - 1, ch - 1), outline=255, width=line)
    else:
        d.rectangle((0, 0, cw - 1, ch - 1), outline=255, width=line)
        d.rectangle((line * 2, line * 2, cw - 1 - line * 2, ch - 1 - line * 2), outline=255, width=max(1, line // 2))
    d.text((cw / 2, ch / 2 - size * 0.1), word, fill=255, font=font, anchor="ms")
    d.text((cw / 2, ch / 2 + size * 0.75), date, fill=255, font=small, anchor="ms")
    canvas = canvas.rotate(float(rng.uniform(-15, 15)), resample=Image.BILINEAR, expand=True)
    mask = np.asarray(canvas, dtype=np.float32) / 255.0
    # Uneven inking: a low-frequency field scales the mask between 0.55 and 1.
    mh, mw = mask.shape
    tex = cv2.resize(
        rng.random((max(2, mh // 24), max(2, mw // 24)), dtype=np.float32), (mw, mh), interpolation=cv2.INTER_LINEAR
    )
    mask *= 0.55 + 0.45 * tex
    # Over the text area: the middle of the page, where the counts are.
    x0 = int(rng.uniform(0.15, 0.85) * w - mw / 2)
    y0 = int(rng.uniform(0.15, 0.8) * h - mh / 2)
    x0, y0 = max(0, min(x0, w - mw)), max(0, min(y0, h - mh))
    mh, mw = min(mh, h - y0), min(mw, w - x0)
    alpha = rng.uniform(0.6, 0.9)
    ink = rng.uniform(30, 110) / 255.0  # red/blue ink photographs as mid grey
    out = src.copy()
    region = out[y0 : y0 + mh, x0 : x0 + mw].astype(np.float32)
    region *= 1.0 - alpha * mask[:mh, :mw] * (1.0 - ink)  # multiply blend: ink over paper
    out[y0 : y0 + mh, x0 : x0 + mw] = np.clip(region, 0, 255).astype(np.uint8)
    return out


def _text_width(font: ImageFont.ImageFont | ImageFont.FreeTypeFont, text: str) -> int:
    x0, _, x1, _ = font.getbbox(text)
    return int(x1 - x0)
