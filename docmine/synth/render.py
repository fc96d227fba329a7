"""Render synthetic fixed-width record pages into the files a records office holds.

A RAP sheet or docket arrives as a text-layer PDF, an image-only scan, a stack of PNGs or
a multi-page TIFF. Given the page texts, this module writes all of them and returns the
exact ground truth: every word's text, its character offsets in the page text and its box
in points (top-left origin, like `docmine.records.Box`), plus for scans the transform that
carries those boxes onto the degraded image.

Everything is byte-for-byte deterministic (fixed dates, content-derived PDF /ID, seeded
noise), so a corpus can be regenerated and diffed, and test fixtures never churn.
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from fpdf import FPDF
from PIL import Image

from docmine.synth import noise as _noise

# US Letter, points.
PAGE_WIDTH = 612.0
PAGE_HEIGHT = 792.0
LEFT_MARGIN = 43.2  # 0.6 in
TOP_MARGIN = 36.0  # 0.5 in
MIN_RIGHT_MARGIN = 18.0
MIN_BOTTOM_MARGIN = 18.0
LEADING = 1.2  # line pitch, in font sizes

# Adobe Courier AFM metrics, per unit of font size.
COURIER_ADVANCE = 0.6
COURIER_ASCENT = 0.629
COURIER_DESCENT = 0.157

FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
PRODUCER = "docmine.synth"
DEFAULT_FORMATS = ("pdf", "scan_pdf", "png", "tiff")

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class WordTruth:
    """One word as drawn: `text == page.text[start:end]`, box in points, top-left origin."""

    text: str
    box: Box
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "box": [round(v, 3) for v in self.box], "start": self.start, "end": self.end}


@dataclass(frozen=True)
class PageTruth:
    """What one rendered page holds. `text` is what was drawn (after `clean_text`)."""

    number: int  # 1-based
    width: float  # points
    height: float
    text: str
    words: tuple[WordTruth, ...]
    font_size: float = 9.0  # smaller than asked only when the page would not fit

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "width": self.width,
            "height": self.height,
            "font_size": self.font_size,
            "text": self.text,
            "words": [w.to_dict() for w in self.words],
        }


def clean_text(page: str) -> str:
    """The text a Courier core font can draw: tabs expanded, other characters outside
    printable Latin-1 replaced by '?', trailing CRs dropped. Truth is this, not the input."""
    lines = page.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(re.sub(r"[^\x20-\x7e\xa0-\xff]", "?", ln.expandtabs(8)) for ln in lines)


def layout(page: str, number: int, font_size: float = 9.0) -> PageTruth:
    """The geometry of a page of monospace text: pure arithmetic, no PDF needed.

    Pages that would overrun the Letter page are set in a smaller size rather than clipped,
    so truth always describes text that is really on the page.
    """
    text = clean_text(page)
    lines = text.split("\n")
    cols = max((len(ln) for ln in lines), default=0)
    fs = float(font_size)
    if cols:
        fs = min(fs, (PAGE_WIDTH - LEFT_MARGIN - MIN_RIGHT_MARGIN) / (COURIER_ADVANCE * cols))
    fs = min(fs, (PAGE_HEIGHT - TOP_MARGIN - MIN_BOTTOM_MARGIN) / (LEADING * max(1, len(lines))))
    adv, lead = COURIER_ADVANCE * fs, LEADING * fs
    words = []
    line_start = 0
    for i, ln in enumerate(lines):
        top = TOP_MARGIN + i * lead
        bottom = top + (COURIER_ASCENT + COURIER_DESCENT) * fs
        for m in re.finditer(r"\S+", ln):
            box = (LEFT_MARGIN + m.start() * adv, top, LEFT_MARGIN + m.end() * adv, bottom)
            words.append(WordTruth(m.group(), box, line_start + m.start(), line_start + m.end()))
        line_start += len(ln) + 1
    return PageTruth(number, PAGE_WIDTH, PAGE_HEIGHT, text, tuple(words), fs)


class _FixedPDF(FPDF):
    """FPDF with a fixed clock and producer, so output depends on content only.

    fpdf2 already derives /ID from an MD5 of the file body plus the creation date; with
    the date pinned that ID is a pure content hash.
    """

    def __init__(self, title: str = "") -> None:
        super().__init__(unit="pt", format="letter")
        self.set_creation_date(FIXED_DATE)
        self.set_producer(PRODUCER)
        self.set_creator(PRODUCER)
        if title:
            self.set_title(title)
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)


def render_text_pdf(
    pages: Sequence[str], path: str | Path, *, title: str = "", font_size: float = 9.0
) -> list[PageTruth]:
    """Write a US-Letter PDF with a real Courier text layer; return per-page truth."""
    pdf = _FixedPDF(title)
    truths = []
    for n, page in enumerate(pages, start=1):
        truth = layout(page, n, font_size)
        pdf.add_page()
        pdf.set_font("Courier", size=truth.font_size)
        lead = LEADING * truth.font_size
        base = TOP_MARGIN + COURIER_ASCENT * truth.font_size
        for i, ln in enumerate(truth.text.split("\n")):
            if ln.strip():
                pdf.text(LEFT_MARGIN, base + i * lead, ln)
        truths.append(truth)
    pdf.output(str(path))
    return truths


def rasterize(pdf_path: str | Path, dpi: int = 300) -> list[Image.Image]:
    """Grayscale page images of a PDF (pdfium: deterministic, no subprocess)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf_path))
    images = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            # pdfium sizes the bitmap with ceil(); nudge the scale down so 612pt at 300 dpi
            # is 2550 px, not 2551 from float error.
            bitmap = page.render(scale=dpi / 72.0 * (1 - 1e-9), grayscale=True)
            img = bitmap.to_pil().convert("L")
            img.info["dpi"] = (dpi, dpi)
            images.append(img)
            page.close()
    finally:
        doc.close()
    return images


def _dpi(img: Image.Image) -> float:
    return float(img.info.get("dpi", (300, 300))[0] or 300)


def write_image_pdf(images: Iterable[Image.Image], path: str | Path, *, jpeg_quality: int | None = 80) -> Path:
    """An image-only ("scanned") PDF, one image per page, page size from the image dpi.

    Grey pages go in as JPEG (as scanners store them; `jpeg_quality=None` keeps them
    lossless), bilevel pages as CCITT G4 (as fax servers do). No text layer at all.
    """
    pdf = _FixedPDF()
    for img in images:
        k = 72.0 / _dpi(img)
        w, h = img.size[0] * k, img.size[1] * k
        pdf.add_page(format=(w, h))
        if img.mode == "1" or jpeg_quality is None:
            src = img if img.mode in ("1", "L") else img.convert("L")
        else:
            buf = io.BytesIO()
            img.convert("L").save(buf, format="JPEG", quality=jpeg_quality)
            src = io.BytesIO(buf.getvalue())
        pdf.image(src, x=0, y=0, w=w, h=h)
    pdf.output(str(path))
    return Path(path)


def write_pngs(images: Iterable[Image.Image], stem: str | Path) -> list[Path]:
    """`stem-p001.png`, `stem-p002.png`, ... with the dpi recorded in pHYs."""
    paths = []
    for n, img in enumerate(images, start=1):
        p = Path(f"{stem}-p{n:03d}.png")
        d = _dpi(img)
        img.save(p, format="PNG", dpi=(d, d))
        paths.append(p)
    return paths


def write_tiff(images: Sequence[Image.Image], path: str | Path) -> Path:
    """One multi-page TIFF with dpi tags.

    Pillow applies one compression to every frame, so: Group 4 when every page is
    bilevel (a fax file), Deflate otherwise (bilevel frames stay 1-bit inside it).
    """
    imgs = list(images)
    if not imgs:
        raise ValueError("write_tiff needs at least one image")
    d = _dpi(imgs[0])
    compression = "group4" if all(i.mode == "1" for i in imgs) else "tiff_adobe_deflate"
    # Fresh copies: Pillow leaves a previous save's encoder settings on the image object
    # (a PNG's, say) and the TIFF writer would pick them up.
    imgs = [i.copy() if i.mode in ("1", "L") else i.convert("L") for i in imgs]
    imgs[0].save(path, format="TIFF", save_all=True, append_images=imgs[1:], compression=compression, dpi=(d, d))
    return Path(path)


def write_jpeg(image: Image.Image, path: str | Path, *, quality: int = 85) -> Path:
    """A single page as a JPEG (phone snapshots and e-mailed scans arrive this way)."""
    d = _dpi(image)
    image.convert("L").save(path, format="JPEG", quality=quality, dpi=(int(d), int(d)))
    return Path(path)


def page_rng(seed: int, page_number: int) -> np.random.Generator:
    """Per-page randomness that depends only on (seed, page), not on page count or order."""
    return np.random.default_rng([int(seed), int(page_number)])


def render_document(
    pages: Sequence[str],
    out_dir: str | Path,
    stem: str,
    *,
    noise: str = "none",
    seed: int = 0,
    formats: Sequence[str] = DEFAULT_FORMATS,
    dpi: int = 300,
    title: str = "",
    font_size: float = 9.0,
) -> dict:
    """Write one document in the asked formats and return its truth as plain JSON data.

    formats: "pdf" (`stem.pdf`, text layer), "scan_pdf" (`stem.scan.pdf`), "png"
    (`stem-p001.png`...), "tiff" (`stem.tif`), "jpeg" (`stem-p001.jpg`...). The image
    formats all hold the same degraded pages. File names in the result are relative to
    `out_dir`. Per page, "scan" gives the raster dpi and size, the transform, and each
    word's box mapped onto the degraded image, in points ("word_boxes") and pixels.
    """
    unknown = set(formats) - {"pdf", "scan_pdf", "png", "tiff", "jpeg"}
    if unknown:
        raise ValueError(f"unknown formats: {sorted(unknown)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result: dict = {"stem": stem, "noise": noise, "seed": int(seed), "files": {}, "pages": []}
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = out / f"{stem}.pdf" if "pdf" in formats else Path(tmp) / "clean.pdf"
        truths = render_text_pdf(pages, pdf_path, title=title, font_size=font_size)
        if "pdf" in formats:
            result["files"]["pdf"] = pdf_path.name
        result["pages"] = [t.to_dict() for t in truths]
        if not set(formats) & {"scan_pdf", "png", "tiff", "jpeg"}:
            return result
        images = []
        for truth, clean in zip(truths, rasterize(pdf_path, dpi)):
            img, tr = _noise.degrade_with_transform(clean, noise, page_rng(seed, truth.number))
            images.append(img)
            result["pages"][truth.number - 1]["scan"] = {
                "dpi": tr.dpi,
                "width_px": img.size[0],
                "height_px": img.size[1],
                "binarized": img.mode == "1",
                "transform": tr.as_dict(),
                "word_boxes": [[round(v, 3) for v in tr.map_box_points(w.box)] for w in truth.words],
                "word_boxes_px": [[round(v, 2) for v in tr.map_box(w.box)] for w in truth.words],
            }
    if "scan_pdf" in formats:
        result["files"]["scan_pdf"] = write_image_pdf(images, out / f"{stem}.scan.pdf").name
    if "png" in formats:
        result["files"]["png"] = [p.name for p in write_pngs(images, out / stem)]
    if "tiff" in formats:
        result["files"]["tiff"] = write_tiff(images, out / f"{stem}.tif").name
    if "jpeg" in formats:
        result["files"]["jpeg"] = [
            write_jpeg(img, out / f"{stem}-p{n:03d}.jpg").name for n, img in enumerate(images, start=1)
        ]
    return result
