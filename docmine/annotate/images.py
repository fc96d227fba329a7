"""Page images for annotators, redacted like the text.

`page_image` renders a PDF page (pdfium) or reads an image file's frame; `redact_image`
covers the words of every replaced value with a white box and writes the fake in it, so
the image says what the redacted text says. Word boxes are page points (top-left origin,
`docmine.records.Word.box`), scaled to the image's pixels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from PIL import Image, ImageDraw, ImageFont

from docmine.annotate.redact import Redacted
from docmine.records import Page

RENDER_DPI = 110


def page_image(path: Path, media_type: str, number: int) -> Image.Image:
    """Page `number` (1-based) of a PDF, TIFF or single image, in greys."""
    if media_type == "application/pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return pdf[number - 1].render(scale=RENDER_DPI / 72.0, grayscale=True).to_pil().convert("L")
        finally:
            pdf.close()
    with Image.open(path) as img:
        img.seek(number - 1)
        return img.convert("L")


def redact_image(img: Image.Image, page: Page, redacted: Redacted) -> Image.Image:
    """A copy of `img` with each replaced value's words blanked and its fake written."""
    out = img.copy()
    if not redacted.replacements:
        return out
    draw = ImageDraw.Draw(out)
    sx, sy = out.width / page.width, out.height / page.height
    for rep in redacted.replacements:
        boxes = [
            _part(w, max(w.start, rep.start), min(w.end, rep.end))
            for w in page.words
            if w.start < rep.end and rep.start < w.end
        ]
        if not boxes:
            continue
        x0, y0 = min(b[0] for b in boxes) * sx, min(b[1] for b in boxes) * sy
        x1, y1 = max(b[2] for b in boxes) * sx, max(b[3] for b in boxes) * sy
        draw.rectangle((x0 - 1, y0 - 1, x1 + 1, y1 + 1), fill=255)
        fake = redacted.text[rep.new_start : rep.new_end]
        font = _font(max(8, int(y1 - y0)))
        draw.text((x0, y0), fake, fill=0, font=font)
    return out


def _part(word, start: int, end: int) -> tuple[float, float, float, float]:
    """The share of a word's box that characters start..end take (records print in a
    fixed-width face, so characters share a word's width evenly)."""
    x0, y0, x1, y1 = word.box
    n = max(word.end - word.start, 1)
    step = (x1 - x0) / n
    return (x0 + step * (start - word.start), y0, x0 + step * (end - word.start), y1)


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: one size only
        return ImageFont.load_default()


def write_png(img: Image.Image, path: Path) -> None:
    """PNG without a timestamp or other varying metadata (same page, same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format="PNG", optimize=False)


__all__: Sequence[str] = ("page_image", "redact_image", "write_png")
