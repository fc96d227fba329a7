"""Crops of a page image around the words a doubtful fact was read from (review/crops/).

The page is rendered from the document itself (pypdfium2 for PDFs, Pillow for images, one
frame of a TIFF), the box (PDF points, top-left origin, as `Provenance.box`) is scaled to
the image and cut out with a margin. A document inside a zip archive is named
`archive.zip!inner/path.pdf` and read from the archive. Text files and DOJ rows have no image.
"""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

from docmine.records import Box

DPI = 150  # enough to read a typed line; keeps the crops small
MARGIN_PT = 36.0  # half an inch of context around the words
# pdfium is not thread-safe, even across documents; crops are cut in threads (`build`).
_PDFIUM = threading.Lock()


def _bytes(path: str) -> bytes | None:
    p = Path(path)
    if p.is_file():
        return p.read_bytes()
    if "!" in path:
        archive, _, member = path.partition("!")
        try:
            with zipfile.ZipFile(archive) as z:
                return z.read(member)
        except (OSError, KeyError, zipfile.BadZipFile):
            return None
    return None


def page_image(path: str, page: int, dpi: int = DPI) -> tuple[Image.Image, float] | None:
    """The page rendered (grey), and the points -> pixels scale; None when it has no image."""
    data = _bytes(path)
    if data is None:
        return None
    if data[:5] == b"%PDF-":
        import pypdfium2 as pdfium

        with _PDFIUM:
            try:
                pdf = pdfium.PdfDocument(data)
            except pdfium.PdfiumError:
                return None
            try:
                if not 1 <= page <= len(pdf):
                    return None
                bitmap = pdf[page - 1].render(scale=dpi / 72.0, grayscale=True)
                return bitmap.to_pil().convert("L"), dpi / 72.0
            finally:
                pdf.close()
    try:
        img = Image.open(io.BytesIO(data))
        img.seek(page - 1)
    except (OSError, EOFError, ValueError, SyntaxError):
        return None
    from docmine.ingest.sources import _dpi  # the resolution ingest measured its boxes with

    dpi_in, _ = _dpi(img)
    return img.convert("L"), dpi_in / 72.0


def _page_pixels(path: str, page: int) -> tuple[np.ndarray, float] | None:
    """`page_image` as an array. A grey PNG (a scanner's page) is decoded by OpenCV, which lets
    go of the GIL: crops are cut in threads."""
    if path.lower().endswith(".png") and page == 1:
        data = _bytes(path)
        if data is None:
            return None
        from docmine.ingest.sources import _dpi, png_gray

        gray = png_gray(data)
        if gray is not None:
            try:
                with Image.open(io.BytesIO(data)) as img:  # the header only: the resolution
                    dpi_in, _ = _dpi(img)
            except (OSError, ValueError, SyntaxError):
                return None
            return gray, dpi_in / 72.0
    rendered = page_image(path, page)
    return None if rendered is None else (np.asarray(rendered[0], dtype=np.uint8), rendered[1])


def crop_page(path: str, page: int, box: Box | None, target: Path) -> bool:
    """Write the crop to `target` (PNG); False when the document has no page image to crop."""
    import cv2

    from docmine.results.files import write_bytes

    rendered = _page_pixels(path, page)
    if rendered is None:
        return False
    pixels, scale = rendered
    height, width = pixels.shape[:2]
    if box is None:  # no box: the top of the page, where the record names the person and case
        box = (0.0, 0.0, width / scale, min(height / scale, 200.0))
    _, y0, _, y1 = box
    # The page's whole width: a reviewer reads the doubtful words in their line and column.
    top = max(0, int((y0 - MARGIN_PT) * scale))
    bottom = min(height, int((y1 + MARGIN_PT) * scale) + 1)
    if width <= 0 or bottom <= top:
        return False
    # Fast zlib: a crop written at level 1 takes a quarter of the time of the default level 6,
    # for a fifth more bytes (measured on 300 dpi scans: 19 ms and 366 KB against 69 ms, 305 KB).
    ok, png = cv2.imencode(".png", np.ascontiguousarray(pixels[top:bottom]), [cv2.IMWRITE_PNG_COMPRESSION, 1])
    if not ok:
        return False
    write_bytes(target, png.tobytes())
    return True
