"""Pages out of files: PDF pages (text layer or a render for OCR) and image frames.

Each source yields, in page order, either a finished `Page` (text layer) or an `OcrJob`
(an 8-bit grey image and its resolution) for the OCR stage. One page is open at a time,
so memory does not grow with the length of the file. Whole-file problems (corrupt,
truncated, encrypted, no pages, a decompression bomb) raise `DocumentError`; a single
broken page of a PDF becomes a `Page` with its error and the others are kept.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass
from typing import Iterator

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import Image, ImageOps, UnidentifiedImageError

from docmine.errors import DocumentError
from docmine.ingest import triage
from docmine.ingest.layout import compose
from docmine.ingest.textlayer import read_text_layer
from docmine.records import Page, TextSource

RENDER_DPI = 300.0
COVERAGE_DPI = 36.0  # enough to see where the ink is, ~1 ms to render
ASSUMED_DPI = 300.0
DEFAULT_MAX_PIXELS = 100_000_000  # ~ a Letter page at 1000 dpi; beyond that a file is a bomb


@dataclass(frozen=True)
class OcrJob:
    """A page to OCR. `note` says why it is OCR'd and anything assumed about it."""

    number: int
    width: float  # points
    height: float
    gray: np.ndarray
    dpi: float
    note: str


# --- PDF ---------------------------------------------------------------------------------


def _open_pdf(path: str) -> pdfium.PdfDocument:
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - 1024))
        tail = f.read()
    # Writers end a PDF with %%EOF (readers tolerate a few bytes after it); a file cut
    # short in transfer has lost it, and with it whatever pages came last.
    if b"%%EOF" not in tail:
        raise DocumentError(path, "truncated PDF: the end-of-file marker (%%EOF) is missing")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        # pdfium's error code is process-global and not always set (a file without pages
        # fails with "success", or with the code some earlier file left), so the cause is
        # read from the file itself.
        raise DocumentError(path, _why_unreadable(path)) from None


def _why_unreadable(path: str) -> str:
    with open(path, "rb") as f:
        data = f.read(64 << 20)
    if b"/Encrypt" in data:
        return "encrypted PDF: it needs a password to open"
    if re.search(rb"/Type\s*/Page(?![a-zA-Z])", data) is None and re.search(rb"/Count\s+0\b", data):
        return "PDF has no pages"
    return "corrupt PDF: pdfium cannot parse it"


def _images(page: pdfium.PdfPage) -> list[tuple[tuple[float, float, float, float], tuple[int, int]]]:
    """(bounds in user space, pixel size) of every image drawn on the page."""
    out = []
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        try:
            out.append((obj.get_bounds(), tuple(obj.get_px_size())))
        except pdfium.PdfiumError:
            out.append(((0.0, 0.0, 0.0, 0.0), (0, 0)))
    return out


def _image_share(images, page: pdfium.PdfPage) -> float:
    left, bottom, right, top = page.get_cropbox()
    area = max((right - left) * (top - bottom), 1e-6)
    covered = 0.0
    for (x0, y0, x1, y1), _ in images:
        w = max(0.0, min(x1, right) - max(x0, left))
        h = max(0.0, min(y1, top) - max(y0, bottom))
        covered += w * h
    return min(1.0, covered / area)


def _scan_dpi(images, width: float, height: float) -> float:
    """300 dpi, or a scanned page's own resolution where that is lower.

    A page that is one scanned image is read at the scan's resolution: resampling a
    200 dpi photocopy up to 300 dpi smooths its strokes and raised OCR errors (heavy
    photocopies in scanned PDFs: CER 3.9% read at 200 dpi against 9.0% rendered at 300).
    """
    best = None
    for (x0, y0, x1, y1), (pw, ph) in images:
        w, h = abs(x1 - x0), abs(y1 - y0)
        if w * h >= 0.9 * width * height and pw > 0:
            best = max(best or 0.0, 72.0 * pw / w)
    if best is None or best >= RENDER_DPI or best < 100.0:
        return RENDER_DPI
    return float(round(best))


def _render(page: pdfium.PdfPage, dpi: float) -> np.ndarray:
    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    try:
        arr = bitmap.to_numpy()
        if arr.ndim == 3:  # some pdfium builds return BGR(x) even when asked for grey
            arr = cv2.cvtColor(arr[:, :, :3], cv2.COLOR_BGR2GRAY)
        return np.ascontiguousarray(arr, dtype=np.uint8).copy()
    finally:
        bitmap.close()


def pdf_pages(path: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> Iterator[Page | OcrJob]:
    pdf = _open_pdf(path)
    try:
        n = len(pdf)
        if n == 0:
            raise DocumentError(path, "PDF has no pages")
        for i in range(n):
            number = i + 1
            try:
                page = pdf[i]
            except pdfium.PdfiumError as exc:
                yield Page(
                    number, 0.0, 0.0, "", (), TextSource.NONE, "page could not be loaded",
                    f"page could not be loaded: {exc}",
                )  # fmt: skip
                continue
            try:
                yield _pdf_page(path, page, number, max_pixels)
            finally:
                page.close()
    finally:
        pdf.close()


def _pdf_page(path: str, page: pdfium.PdfPage, number: int, max_pixels: int) -> Page | OcrJob:
    width, height = page.get_size()
    images = _images(page)
    for _, (w, h) in images:
        if w * h > max_pixels:
            raise DocumentError(
                path,
                f"decompression bomb: an embedded image of {w}x{h} pixels is over the limit of {max_pixels:,} pixels",
                page=number,
            )
    share = _image_share(images, page)
    try:
        layer = read_text_layer(page)
    except pdfium.PdfiumError as exc:
        return Page(
            number, width, height, "", (), TextSource.NONE, "text layer unreadable",
            f"text layer could not be read: {exc}",
        )  # fmt: skip

    def coverage() -> float:
        gray = _render(page, COVERAGE_DPI)
        return triage.ink_coverage(gray, COVERAGE_DPI / 72.0, [w.box for w in layer.words])

    decision = triage.decide(layer, share, coverage)
    if decision.use_text_layer:
        text, words = compose(layer.words, ink_boxes=False)
        return Page(number, width, height, text, words, TextSource.TEXT_LAYER, decision.reason)
    dpi = _scan_dpi(images, width, height)
    note = decision.reason
    if (width * dpi / 72.0) * (height * dpi / 72.0) > max_pixels:
        # A huge page (PDF allows 200 inches a side): render it coarser, not at all.
        dpi = math.floor(72.0 * math.sqrt(max_pixels / max(width * height, 1e-6)))
        note += f"; rendered at {dpi:.0f} dpi to stay under {max_pixels:,} pixels"
    try:
        gray = _render(page, dpi)
    except pdfium.PdfiumError as exc:
        return Page(number, width, height, "", (), TextSource.NONE, note, f"page could not be rendered: {exc}")
    return OcrJob(number, width, height, gray, dpi, note)


# --- Images ------------------------------------------------------------------------------


def _dpi(img: Image.Image) -> tuple[float, str]:
    """The image's resolution, or 300 and a note saying it was assumed."""
    dpi = img.info.get("dpi")
    try:
        x = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        x = 0.0
    if not 50.0 <= x <= 2400.0:
        return ASSUMED_DPI, f"no resolution in the image: assumed {ASSUMED_DPI:.0f} dpi"
    if abs(x - round(x)) < 0.01:  # PNG stores dots per metre: 199.9996 is 200
        x = float(round(x))
    return x, f"{x:g} dpi"


def _gray(img: Image.Image) -> np.ndarray:
    mode = img.mode
    if mode == "L":
        return np.asarray(img, dtype=np.uint8).copy()
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") else max(float(arr.max()), 1.0)
        return np.clip(arr * (255.0 / top), 0, 255).astype(np.uint8)
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    return np.asarray(img.convert("L"), dtype=np.uint8).copy()


_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # a PNG's last chunk, whole


def png_gray(data: bytes | np.ndarray) -> np.ndarray | None:
    """An 8-bit grey PNG (what scanners write) decoded by OpenCV's libpng: the same pixels as
    Pillow's, a fifth faster, and without the GIL. None for any other PNG, or one that is
    cut short or broken (Pillow then reads it, and names the fault)."""
    import cv2

    buffer = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes) else data
    # whole (its last chunk there), 8 bits (IHDR's bit depth) of grey (colour type 0)
    if buffer[-12:].tobytes() != _PNG_END or buffer[24:26].tobytes() != b"\x08\x00":
        return None
    try:
        gray = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED)
    except cv2.error:
        return None
    return gray if gray is not None and gray.ndim == 2 and gray.dtype == np.uint8 else None


def _png_gray(path: str) -> np.ndarray | None:
    try:
        return png_gray(np.fromfile(path, dtype=np.uint8))
    except (OSError, ValueError):
        return None


def image_pages(path: str, media: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> Iterator[OcrJob]:
    kind = media.split("/")[1].upper()
    try:
        with warnings.catch_warnings():
            # Our own limit decides (below); Pillow's default one only warns or refuses.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise DocumentError(path, f"decompression bomb: {exc}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DocumentError(path, f"corrupt {kind} image: {exc}") from None
    with img:
        try:
            frames = int(getattr(img, "n_frames", 1))
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise DocumentError(path, f"corrupt {kind} image: {exc}") from None
        for k in range(frames):
            number = k + 1
            try:
                img.seek(k)
            except (OSError, EOFError, ValueError) as exc:
                raise DocumentError(path, f"corrupt {kind} image: frame {number}: {exc}", page=number) from None
            w, h = img.size
            if w * h > max_pixels:
                raise DocumentError(
                    path, f"decompression bomb: {w}x{h} pixels is over the limit of {max_pixels:,} pixels", page=number
                )
            if w == 0 or h == 0:
                raise DocumentError(path, f"corrupt {kind} image: {w}x{h} pixels", page=number)
            try:
                gray = _png_gray(path) if frames == 1 and media.endswith("png") and img.mode == "L" else None
                if gray is None:
                    img.load()
                    frame = ImageOps.exif_transpose(img) if media.endswith("jpeg") else img
                    gray = _gray(frame)
            except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
                problem = "truncated" if "truncated" in str(exc).lower() else "corrupt"
                raise DocumentError(path, f"{problem} {kind} image: {exc}", page=number) from None
            dpi, note = _dpi(img)
            yield OcrJob(
                number, gray.shape[1] * 72.0 / dpi, gray.shape[0] * 72.0 / dpi, gray, dpi, f"{kind} image, {note}"
            )
