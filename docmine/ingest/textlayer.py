"""A PDF page's own text: characters and their boxes from pdfium, grouped into words.

This is the fast path (no rendering), so it talks to pdfium's C API through pypdfium2's
raw bindings: one or two calls per character, no Python objects per character beyond a
tuple. Boxes are pdfium's "loose" character boxes (the whole character cell: advance
width by font ascent to descent), which tile fixed-width text exactly and give every word
on a printed line the same top and bottom.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from docmine.ingest.layout import RawWord

Affine = tuple[float, float, float, float, float, float]  # X = a x + b y + c; Y = d x + e y + f

# Characters that separate words; pdfium also generates \r\n between lines.
_BREAKS = frozenset((0x20, 0x09, 0x0A, 0x0D, 0x0C, 0xA0, 0x00, 0x2002, 0x2003, 0x2009, 0x3000))
_INVISIBLE = 3  # PDF text render mode 3: neither fill nor stroke (OCR layers over scans)


@dataclass(frozen=True, slots=True)
class TextLayer:
    """What a page's text layer holds, with the counts triage needs."""

    words: tuple[RawWord, ...]
    chars: int  # printable characters (not spaces)
    invisible: int  # of those, drawn in render mode 3
    unmapped: int  # of those, with no Unicode mapping in their font (pdfium says so)
    area: float  # points^2 covered by word boxes


def page_affine(page: pdfium.PdfPage) -> tuple[Affine, float, float]:
    """The map from PDF user space to top-left points on the page as displayed
    (crop box and /Rotate applied), and the displayed width and height."""
    width, height = page.get_size()
    k = 1000  # FPDF_PageToDevice returns integers: ask for a large device for precision
    x, y = ctypes.c_int(), ctypes.c_int()
    dw, dh = max(1, int(round(width * k))), max(1, int(round(height * k)))
    pts = []
    for px, py in ((0.0, 0.0), (1000.0, 0.0), (0.0, 1000.0)):
        raw.FPDF_PageToDevice(page, 0, 0, dw, dh, 0, px, py, x, y)
        pts.append((x.value / k, y.value / k))
    (c, f), (x1, y1), (x2, y2) = pts
    a, d = (x1 - c) / 1000.0, (y1 - f) / 1000.0
    b, e = (x2 - c) / 1000.0, (y2 - f) / 1000.0
    return (a, b, c, d, e, f), float(width), float(height)


def _map_box(
    m: Affine, left: float, bottom: float, right: float, top: float, width: float, height: float
) -> tuple[float, float, float, float]:
    a, b, c, d, e, f = m
    xs = (a * left + b * bottom + c, a * right + b * top + c)
    ys = (d * left + e * bottom + f, d * right + e * top + f)
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    # Cells of characters at the page edge can reach past it; a box stays on its page.
    return (min(max(x0, 0.0), width), min(max(y0, 0.0), height), min(max(x1, 0.0), width), min(max(y1, 0.0), height))


def read_text_layer(page: pdfium.PdfPage) -> TextLayer:
    """Words (text, box in top-left points) of one page's text layer.

    Boxes are on the page as displayed (/Rotate applied). The layout frame is the page
    as drawn, before /Rotate: a landscape sheet stored as a turned portrait page still
    reads along its lines.
    """
    m, width, height = page_affine(page)
    left, _, _, top = page.get_cropbox()
    textpage = page.get_textpage()
    try:
        return _read(textpage, m, width, height, (left, top))
    finally:
        textpage.close()


def _read(
    textpage: pdfium.PdfTextPage, m: Affine, width: float, height: float, corner: tuple[float, float]
) -> TextLayer:
    n = raw.FPDFText_CountChars(textpage)
    get_unicode = raw.FPDFText_GetUnicode
    get_box = raw.FPDFText_GetLooseCharBox
    has_map_error = raw.FPDFText_HasUnicodeMapError
    get_object = raw.FPDFText_GetTextObject
    render_mode = raw.FPDFTextObj_GetTextRenderMode
    rect = raw.FS_RECTF()
    words: list[RawWord] = []
    chars = invisible = unmapped = 0
    area = 0.0
    # The word being built: its characters and its extent in PDF user space.
    cur: list[str] = []
    left = right = bottom = top = 0.0
    cur_invisible = False

    cx, cy = corner

    def flush() -> None:
        nonlocal area
        box = _map_box(m, left, bottom, right, top, width, height)
        frame = (left - cx, cy - top, right - cx, cy - bottom)  # unrotated, top-left origin
        words.append(RawWord("".join(cur), box, 1.0, frame))
        area += (box[2] - box[0]) * (box[3] - box[1])

    for i in range(n):
        u = get_unicode(textpage, i)
        if u == 0x02:  # pdfium's mark for a hyphen that ends a line: it was printed
            u = 0x2D
        if u in _BREAKS or u < 0x20:
            if cur:
                flush()
                cur = []
            continue
        get_box(textpage, i, rect)
        l, r, b, t = rect.left, rect.right, rect.bottom, rect.top
        if cur:
            # A new word where the pen jumped: another line, or a gap wider than half a
            # cell (columns placed by coordinates, not by spaces).
            size = max(t - b, 1e-3)
            if not (abs(b - bottom) < 0.3 * size and -0.5 * size < l - right < 0.5 * size):
                flush()
                cur = []
        if not cur:
            left, right, bottom, top = l, r, b, t
            obj = get_object(textpage, i)
            cur_invisible = bool(obj) and render_mode(obj) == _INVISIBLE
        else:
            left, right = min(left, l), max(right, r)
            bottom, top = min(bottom, b), max(top, t)
        chars += 1
        invisible += cur_invisible
        if has_map_error(textpage, i) == 1:
            unmapped += 1
        cur.append(chr(u) if u < 0x110000 else "\ufffd")
    if cur:
        flush()
    return TextLayer(tuple(words), chars, invisible, unmapped, area)
